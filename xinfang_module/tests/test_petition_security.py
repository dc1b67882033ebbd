from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import XinfangCase


@tagged("post_install", "-at_install", "xinfang_security")
class TestPetitionSecurity(XinfangCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fixtures = (
            cls.p_medical
            | cls.p_concealed
            | cls.p_nursing
            | cls.p_confidential
            | cls.p_draft_other
            | cls.p_mine_pending
        )

    def _visible(self, user):
        return (
            self.env["xinfang.petition"]
            .with_user(user)
            .search([("id", "in", self.fixtures.ids)])
        )

    def assertCanWrite(self, user, petition, allowed):
        """The record rules and access rights (which fields a role may change
        in which state is test_guard's)."""
        record = petition.with_user(user)
        if allowed:
            record.check_access("write")
        else:
            with self.assertRaises(AccessError):
                record.check_access("write")
            with self.assertRaises(AccessError):
                record.write({"priority": "1"})

    # ------------------------------------------------------------------
    # Petitions: read, write, create per group
    # ------------------------------------------------------------------

    def test_registrar_sees_own_and_in_registration(self):
        self.assertEqual(
            self._visible(self.registrar), self.p_draft_other | self.p_mine_pending
        )
        self.assertCanWrite(self.registrar, self.p_draft_other, True)
        self.assertCanWrite(self.registrar, self.p_mine_pending, True)
        self.assertCanWrite(self.registrar, self.p_medical, False)
        with self.assertRaises(AccessError):
            self.p_medical.with_user(self.registrar).read(["subject"])
        petition = (
            self.env["xinfang.petition"]
            .with_user(self.registrar)
            .create({"channel": "visit", "subject": "来访", "content": "x"})
        )
        self.assertEqual(petition.registrar_id, self.registrar)

    def test_handler_sees_own_departments(self):
        self.assertEqual(self._visible(self.handler), self.p_medical | self.p_concealed)
        self.assertEqual(
            self._visible(self.handler_nursing),
            self.p_nursing | self.p_draft_other | self.p_mine_pending,
        )
        self.assertCanWrite(self.handler, self.p_medical, True)
        self.assertCanWrite(self.handler, self.p_nursing, False)
        with self.assertRaises(AccessError):
            self.env["xinfang.petition"].with_user(self.handler).create(
                {"channel": "visit", "subject": "x"}
            )

    def test_handler_extra_department(self):
        self._link_department(self.handler, self.dept_nursing)
        self.assertIn(self.p_nursing, self._visible(self.handler))
        self.assertCanWrite(self.handler, self.p_nursing, True)
        self.handler.xinfang_department_ids = [Command.clear()]
        self.assertNotIn(self.p_nursing, self._visible(self.handler))

    def test_handler_follows_employee_department(self):
        self.handler.xinfang_department_ids = [Command.clear()]
        self.handler.employee_ids.department_id = self.dept_nursing
        self.assertIn(self.p_nursing, self._visible(self.handler))
        self.assertNotIn(self.p_medical, self._visible(self.handler))

    def test_officer_sees_all_but_confidential(self):
        public = self.fixtures - self.p_confidential
        self.assertEqual(self._visible(self.officer), public)
        self.assertCanWrite(self.officer, self.p_nursing, True)
        self.assertCanWrite(self.officer, self.p_confidential, False)

    def test_leader_reads_all_but_confidential_and_writes_nothing(self):
        public = self.fixtures - self.p_confidential
        self.assertEqual(self._visible(self.leader), public)
        self.assertCanWrite(self.leader, self.p_medical, False)
        with self.assertRaises(AccessError):
            self.env["xinfang.petition"].with_user(self.leader).create(
                {"channel": "visit", "subject": "x"}
            )

    def test_discipline_sees_confidential(self):
        self.assertEqual(self._visible(self.discipline), self.p_confidential)
        self.assertCanWrite(self.discipline, self.p_confidential, True)
        self.assertCanWrite(self.discipline, self.p_medical, False)
        petition = (
            self.env["xinfang.petition"]
            .with_user(self.discipline)
            .create(
                {
                    "channel": "visit",
                    "subject": "当面举报",
                    "category_id": self.cat_accusation.id,
                }
            )
        )
        self.assertTrue(petition.confidential)

    def test_manager_sees_everything(self):
        self.assertEqual(self._visible(self.manager), self.fixtures)
        self.assertCanWrite(self.manager, self.p_confidential, True)

    def test_other_internal_users_see_nothing(self):
        with self.assertRaises(AccessError):
            self.env["xinfang.petition"].with_user(self.outsider).search([])
        with self.assertRaises(AccessError):
            self.env["xinfang.petitioner"].with_user(self.outsider).search([])

    def test_confidential_hidden_from_read_group_and_counts(self):
        for user in (self.officer, self.leader, self.handler):
            groups = (
                self.env["xinfang.petition"]
                .with_user(user)
                .read_group(
                    [("id", "in", self.fixtures.ids)], ["category_id"], ["category_id"]
                )
            )
            self.assertNotIn(
                self.cat_accusation.id,
                [g["category_id"][0] for g in groups if g["category_id"]],
            )

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "市中心血站 (test)"})
        petition = self.env["xinfang.petition"].create(
            {"channel": "phone", "subject": "献血证", "company_id": other.id}
        )
        self.assertFalse(
            self.env["xinfang.petition"]
            .with_user(self.manager)
            .search([("id", "=", petition.id)])
        )
        self.manager.company_ids = [Command.link(other.id)]
        self.assertTrue(
            self.env["xinfang.petition"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[other.id])
            .search([("id", "=", petition.id)])
        )


@tagged("post_install", "-at_install", "xinfang_security")
class TestPetitionerIdentity(XinfangCase):
    """The petitioner's identity must not leak through any door."""

    def test_readable_petitioners_per_group(self):
        everyone = self.zhang | self.li | self.wang
        Petitioner = self.env["xinfang.petitioner"]

        def visible(user):
            return Petitioner.with_user(user).search([("id", "in", everyone.ids)])

        # Handler of medical affairs: zhang's item is not concealed, li's is.
        self.assertEqual(visible(self.handler), self.zhang)
        # Nursing handler: wang (p_nursing) and zhang (p_mine_pending, nursing).
        self.assertEqual(visible(self.handler_nursing), self.zhang | self.wang)
        for user in (self.registrar, self.officer, self.manager):
            self.assertEqual(visible(user), everyone, user.login)
        self.assertEqual(visible(self.discipline), self.wang)
        self.assertEqual(visible(self.leader), self.zhang | self.wang)

    def setUp(self):
        super().setUp()
        export = self.env.ref("base.group_allow_export")
        (self.handler | self.handler_nursing).groups_id = [Command.link(export.id)]

    def test_concealed_identity_hidden_from_own_handler(self):
        petition = self.p_concealed.with_user(self.handler)
        self.assertEqual(petition.subject, "反映医生收受红包")
        # read: the many2one only carries a masked name.
        value = petition.read(["petitioner_id"])[0]["petitioner_id"]
        self.assertNotIn("李秀英", str(value))
        self.assertEqual(value[1], "Identity concealed")
        spec = {"petitioner_id": {"fields": {"display_name": {}}}}
        web_value = petition.web_read(spec)[0]["petitioner_id"]
        self.assertEqual(web_value["display_name"], "Identity concealed")
        with self.assertRaises(AccessError):
            petition.petitioner_id.read(["name", "id_number", "phone"])
        # search_read on the petitioner model.
        self.assertFalse(
            self.env["xinfang.petitioner"]
            .with_user(self.handler)
            .search_read([("id", "=", self.li.id)], ["name"])
        )
        # name_search on the petitioner model, by name, ID number or phone.
        Petitioner = self.env["xinfang.petitioner"].with_user(self.handler)
        for term in ("李秀英", self.li.id_number, self.li.phone):
            self.assertFalse(Petitioner.name_search(term), term)
        # Searching petitions by identity finds nothing.
        Petition = self.env["xinfang.petition"].with_user(self.handler)
        for domain in (
            [("petitioner_id.name", "ilike", "李秀英")],
            [("petitioner_id.id_number", "=", self.li.id_number)],
            [("petitioner_id", "ilike", "李秀英")],
        ):
            self.assertFalse(Petition.search(domain), domain)
        # read_group by petitioner: the group label is masked.
        groups = Petition.read_group(
            [("id", "=", self.p_concealed.id)], ["petitioner_id"], ["petitioner_id"]
        )
        self.assertEqual(groups[0]["petitioner_id"][1], "Identity concealed")
        web_groups = Petition.web_read_group(
            [("id", "=", self.p_concealed.id)], ["petitioner_id"], ["petitioner_id"]
        )
        self.assertNotIn("李秀英", str(web_groups))
        # export: the masked name, and the identity fields empty.
        self.env.invalidate_all()
        exported = Petition.browse(self.p_concealed.id).export_data(
            ["petitioner_id", "petitioner_id/name"]
            + ["petitioner_id/id_number", "petitioner_id/phone"]
        )
        self.assertEqual(
            exported["datas"], [["Identity concealed", "Identity concealed", "", ""]]
        )

    def test_identity_visible_to_own_handler_when_not_concealed(self):
        petition = self.p_medical.with_user(self.handler)
        self.assertEqual(petition.petitioner_id.display_name, "张建华")
        self.assertEqual(petition.petitioner_id.id_number, self.zhang.id_number)
        exported = petition.export_data(["petitioner_id/phone"])
        self.assertEqual(exported["datas"][0][0], "13900001111")

    def test_identity_hidden_from_handler_of_other_department(self):
        # li only has a medical-affairs item: the nursing handler never sees her.
        Petitioner = self.env["xinfang.petitioner"].with_user(self.handler_nursing)
        self.assertFalse(Petitioner.search([("id", "=", self.li.id)]))
        self.assertFalse(Petitioner.name_search("李秀英"))
        with self.assertRaises(AccessError):
            self.li.with_user(self.handler_nursing).read(["name"])
        self.assertEqual(
            self.li.with_user(self.handler_nursing).display_name, "Identity concealed"
        )

    def test_concealing_later_hides_identity(self):
        Petitioner = self.env["xinfang.petitioner"].with_user(self.handler)
        self.assertTrue(Petitioner.search([("id", "=", self.zhang.id)]))
        self.p_medical.conceal_identity = True
        self.assertFalse(Petitioner.search([("id", "=", self.zhang.id)]))

    def test_one_concealed_item_hides_the_person_on_their_other_items(self):
        # 李秀英 also brings an ordinary item to the same department: reading
        # her through it would name her on the concealed one.
        ordinary = self._petition(
            self.li, self.cat_quality, subject="挂号窗口排队", state="pending"
        )
        for user in (self.handler, self.leader):
            self.assertEqual(
                self.p_concealed.with_user(user).petitioner_id.display_name,
                "Identity concealed",
                user.login,
            )
            self.assertEqual(
                ordinary.with_user(user).petitioner_id.display_name,
                "Identity concealed",
                user.login,
            )
            self.assertFalse(
                self.env["xinfang.petition"]
                .with_user(user)
                .search([("petitioner_id.id_number", "=", self.li.id_number)]),
                user.login,
            )
        # The office still sees her.
        self.assertEqual(
            self.p_concealed.with_user(self.officer).petitioner_id.display_name,
            "李秀英",
        )

    def test_identity_never_in_chatter_tracking(self):
        Petition = self.env["xinfang.petition"].with_context(mail_notrack=False)
        petition = Petition.create(
            {"channel": "letter", "subject": "x", "petitioner_id": self.li.id}
        )
        self.env.cr.precommit.run()  # end of the creating transaction
        petition.write({"petitioner_id": self.zhang.id, "subject": "y"})
        self.env.cr.precommit.run()
        values = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", petition._name),
                ("mail_message_id.res_id", "=", petition.id),
            ]
        )
        self.assertTrue(values.filtered(lambda v: v.field_id.name == "subject"))
        self.assertFalse(values.filtered(lambda v: v.field_id.name == "petitioner_id"))

    def test_registrar_cannot_see_whistleblower_of_confidential_item(self):
        informant = self.env["xinfang.petitioner"].create({"name": "匿名举报人"})
        self._petition(informant, self.cat_accusation, subject="举报")
        for user in (self.registrar, self.officer, self.leader):
            self.assertFalse(
                self.env["xinfang.petitioner"]
                .with_user(user)
                .search([("id", "=", informant.id)]),
                user.login,
            )
        for user in (self.discipline, self.manager):
            self.assertTrue(
                self.env["xinfang.petitioner"]
                .with_user(user)
                .search([("id", "=", informant.id)]),
                user.login,
            )
