from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo users see what the README promises (demo databases only)."""

    def setUp(self):
        super().setUp()
        module = self.env["ir.module.module"].search([("name", "=", "xinfang_module")])
        if not module.demo:
            self.skipTest("database installed without demo data")

    def _user(self, role):
        return self.env.ref(f"xinfang_module.user_xf_{role}_demo")

    def test_demo_users_and_visibility(self):
        Petition = self.env["xinfang.petition"]
        self.assertGreaterEqual(Petition.search_count([]), 20)
        self.assertEqual(
            set(Petition.search([]).mapped("channel")),
            {key for key, _label in Petition._fields["channel"].selection},
        )
        confidential = Petition.search([("confidential", "=", True)])
        self.assertTrue(confidential)
        for role in ("registrar", "officer", "leader", "handler"):
            visible = Petition.with_user(self._user(role)).search([])
            self.assertTrue(visible, role)
            self.assertFalse(visible & confidential, role)
        discipline = Petition.with_user(self._user("discipline")).search([])
        self.assertEqual(discipline & confidential, confidential)

    def test_demo_handler_sees_concealed_item_without_identity(self):
        concealed = self.env.ref("xinfang_module.petition_10_demo")
        handler = self._user("handler")
        self.assertTrue(concealed.with_user(handler).has_access("read"))
        self.assertFalse(concealed.petitioner_id.with_user(handler).has_access("read"))
        self.assertEqual(
            concealed.with_user(handler).petitioner_id.display_name,
            "Identity concealed",
        )

    def test_demo_visits_callbacks_and_reception_days(self):
        collective = self.env.ref("xinfang_module.visit_collective_demo")
        self.assertTrue(collective.collective and collective.alert_sent)
        self.assertTrue(collective.checklist_ids)
        walk_in = self.env.ref("xinfang_module.visit_walk_in_demo")
        self.assertEqual(walk_in.petition_ids.channel, "visit")
        leader = self._user("leader")
        days = self.env["xinfang.reception.day"].with_user(leader)
        self.assertEqual(len(days.search([("leader_id", "=", leader.id)])), 2)
        self.assertEqual(
            self.env.ref("xinfang_module.visit_appointment_demo").reception_day_id,
            self.env.ref("xinfang_module.reception_day_1_demo"),
        )
        # Reception hours are Beijing time: 08:30 is 00:30 UTC.
        day = self.env.ref("xinfang_module.reception_day_1_demo")
        self.assertEqual(day.start.strftime("%H:%M"), "00:30")
        # The closed demo item was selected for a callback.
        closed = self.env.ref("xinfang_module.petition_03_demo")
        self.assertEqual(closed.callback_ids.state, "planned")
        officer = self._user("officer")
        self.assertTrue(
            self.env["xinfang.callback"].with_user(officer).search([])
            >= closed.callback_ids
        )
