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
