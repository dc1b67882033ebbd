from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ID_ZHANG, XinfangCase


@tagged("post_install", "-at_install")
class TestPetitionRepeat(XinfangCase):
    def _register(self, petitioner, subject, **vals):
        return (
            self.env["xinfang.petition"]
            .with_user(self.registrar)
            .create(
                {
                    "channel": "letter",
                    "petitioner_id": petitioner.id,
                    "category_id": self.cat_quality.id,
                    "subject": subject,
                    "content": "内容",
                    **vals,
                }
            )
        )

    def test_candidates_same_person_similar_subject(self):
        new = self._register(self.zhang, "门诊候诊时间太长！")
        self.assertEqual(new._find_repeat_candidates(), self.p_medical)
        self.assertEqual(new.repeat_candidate_count, 1)
        unrelated = self._register(self.zhang, "建议增加停车位")
        self.assertFalse(unrelated._find_repeat_candidates())
        other_person = self._register(self.li, "门诊候诊时间太长")
        self.assertFalse(other_person._find_repeat_candidates())

    def test_candidates_by_id_number_or_phone_of_another_record(self):
        # A second record of the same person, as left from before one ID
        # number was one person (18.0.1.5.0), or by a desk that could not
        # see the first one.
        same_id = self.env["xinfang.petitioner"].create({"name": "张建华"})
        self.env.cr.execute(
            "UPDATE xinfang_petitioner SET id_number = %s WHERE id = %s",
            (ID_ZHANG, same_id.id),
        )
        same_id.invalidate_recordset(["id_number"])
        self.assertEqual(
            self._register(same_id, "门诊候诊时间过长")._find_repeat_candidates(),
            self.p_medical,
        )
        same_phone = self.env["xinfang.petitioner"].create(
            {"name": "张先生", "phone": "13900001111"}
        )
        self.assertEqual(
            self._register(same_phone, "候诊时间过长")._find_repeat_candidates(),
            self.p_medical,
        )

    def test_similarity_is_a_setting(self):
        new = self._register(self.zhang, "门诊排队时间长")
        self.company.xinfang_repeat_similarity = 95
        self.assertFalse(new._find_repeat_candidates())
        self.company.xinfang_repeat_similarity = 40
        self.assertEqual(new._find_repeat_candidates(), self.p_medical)

    def test_confidential_items_never_offered_to_registrar(self):
        new = self._register(self.wang, "举报采购收受回扣")
        self.assertFalse(new._find_repeat_candidates())
        as_discipline = new.with_user(self.discipline)
        self.assertEqual(as_discipline._find_repeat_candidates(), self.p_confidential)

    def test_submit_offers_repeats_and_links(self):
        new = self._register(self.zhang, "门诊候诊时间过长，再次反映")
        action = new.action_submit()
        self.assertEqual(action["res_model"], "xinfang.repeat.wizard")
        self.assertEqual(new.state, "draft")
        wizard = (
            self.env["xinfang.repeat.wizard"]
            .with_user(self.registrar)
            .browse(action["res_id"])
        )
        # The registrar cannot open the earlier item, but sees what it is.
        self.assertFalse(self.p_medical.with_user(self.registrar).has_access("read"))
        self.assertEqual(wizard.line_ids.number, self.p_medical.name)
        self.assertEqual(wizard.line_ids.subject, "门诊候诊时间过长")
        wizard.action_link()
        self.assertEqual(new.repeat_of_id, self.p_medical)
        self.assertEqual(new.state, "pending")
        self.assertEqual(self.p_medical.repeat_count, 1)
        self.assertIn(new.name, self.p_medical.message_ids[0].body)
        # A repeat of a repeat is linked to the original.
        third = self._register(self.zhang, "门诊候诊时间过长")
        third._link_as_repeat_of(new)
        self.assertEqual(third.repeat_of_id, self.p_medical)
        self.assertEqual(self.p_medical.repeat_count, 2)

    def test_cannot_link_to_an_item_not_offered(self):
        """The dialog's lines belong to the registrar: a forged line pointing
        at a hidden item (here a confidential one) is refused."""
        new = self._register(self.zhang, "门诊候诊时间过长")
        wizard = (
            self.env["xinfang.repeat.wizard"]
            .with_user(self.registrar)
            .browse(new.action_submit()["res_id"])
        )
        # The line cannot be pointed elsewhere...
        with self.assertRaisesRegex(AccessError, "not a possible repeat"):
            wizard.line_ids.candidate_id = self.p_confidential
        # ...and were it (as trusted code), linking still checks the target.
        wizard.line_ids.sudo().candidate_id = self.p_confidential
        with self.assertRaisesRegex(AccessError, "not a possible repeat"):
            wizard.action_link()
        with self.assertRaisesRegex(AccessError, "not a possible repeat"):
            wizard.action_merge()
        self.assertFalse(new.repeat_of_id)
        self.assertEqual(self.p_confidential.sudo().repeat_count, 0)

    def test_register_new_despite_candidates(self):
        new = self._register(self.zhang, "门诊候诊时间过长")
        wizard = self.env["xinfang.repeat.wizard"].browse(new.action_submit()["res_id"])
        wizard.action_register_new()
        self.assertEqual(new.state, "pending")
        self.assertFalse(new.repeat_of_id)

    def test_repeat_cycle_refused(self):
        # The link is a step's (the repeat dialog): as trusted code here.
        new = self._register(self.zhang, "门诊候诊时间过长").sudo()
        new.repeat_of_id = self.p_medical
        with self.assertRaisesRegex(ValidationError, "repeat of itself"):
            self.p_medical.repeat_of_id = new

    @freeze_time("2026-06-01 09:00:00")
    def test_merge_same_day_call(self):
        first = self._register(
            self.zhang,
            "药费收据丢失",
            channel="phone",
            registration_date="2026-06-01 01:00:00",
        )
        first.with_context(xinfang_skip_repeat_check=True).action_submit()
        call = self._register(
            self.zhang,
            "药费收据丢失，要求补开",
            channel="phone",
            registration_date="2026-06-01 08:30:00",
        )
        wizard = (
            self.env["xinfang.repeat.wizard"]
            .with_user(self.registrar)
            .browse(call.action_submit()["res_id"])
        )
        self.assertTrue(wizard.can_merge)
        wizard.action_merge()
        self.assertFalse(call.active, "a merged call is archived, never deleted")
        self.assertEqual(call.merged_into_id, first)
        self.assertEqual(first.repeat_count, 1)
        self.assertIn(call.name, first.message_ids[0].body)
        self.assertIn("16:30", first.message_ids[0].body)  # Asia/Shanghai

    @freeze_time("2026-06-02 09:00:00")
    def test_merge_refused_for_other_day_or_channel(self):
        yesterday = self._register(
            self.zhang,
            "药费收据丢失",
            channel="phone",
            registration_date="2026-06-01 03:00:00",
        )
        call = self._register(self.zhang, "药费收据丢失", channel="phone")
        with self.assertRaisesRegex(UserError, "same day"):
            call._merge_call_into(yesterday)
        letter = self._register(self.zhang, "药费收据丢失", channel="letter")
        today_call = self._register(self.zhang, "药费收据丢失", channel="phone")
        with self.assertRaisesRegex(UserError, "same day"):
            letter._merge_call_into(today_call)

    def test_repeat_banner_in_form(self):
        form = Form(self.env["xinfang.petition"].with_user(self.registrar))
        form.channel = "letter"
        form.subject = "门诊候诊时间过长"
        form.petitioner_id = self.zhang
        self.assertEqual(form.repeat_candidate_count, 1)
