from datetime import date

from freezegun import freeze_time

from odoo.addons.xinfang_module.models.xinfang_numbered_mixin import assign_numbers
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import XinfangCase


@tagged("post_install", "-at_install")
class TestPetitionRegistration(XinfangCase):
    def _new(self, **vals):
        return self._petition(self.zhang, self.cat_quality, subject="挂号难", **vals)

    def test_number_yearly_sequence(self):
        with freeze_time("2031-03-04 08:00:00"):
            first, second, third = (
                self.env["xinfang.petition"]
                .with_user(self.registrar)
                .create(
                    [
                        {"channel": "letter", "subject": f"S{i}", "content": "x"}
                        for i in range(3)
                    ]
                )
            )
            self.assertRegex(first.name, r"^XF2031-\d{5}$")
            number = int(first.name[-5:])
            self.assertEqual(second.name, f"XF2031-{number + 1:05d}")
            self.assertEqual(third.name, f"XF2031-{number + 2:05d}")
        with freeze_time("2032-01-01 00:10:00"):
            self.assertEqual(self._new().name, "XF2032-00001")
            # A letter registered late is numbered in the year it arrived.
            late = self._new(registration_date="2031-12-31 10:00:00")
            self.assertEqual(late.name, f"XF2031-{number + 3:05d}")

    def test_number_takes_the_year_in_the_company_time_zone(self):
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        # 07:30 on 1 January 2033 in Beijing is still 2032 in UTC.
        with freeze_time("2032-12-31 23:30:00"):
            self.assertEqual(self._new().name, "XF2033-00001")
            visit = self.env["xinfang.visit"].create({"subject": "新年来访"})
            self.assertEqual(visit.name, "LF2033-00001")
        # 07:30 on 31 December in Beijing: the old year.
        with freeze_time("2033-12-30 23:30:00"):
            self.assertEqual(self._new().name, "XF2033-00002")

    def test_a_company_numbers_from_its_own_sequence(self):
        other = self.env["res.company"].create({"name": "血站 (test)"})
        self.env["ir.sequence"].create(
            {
                "name": "血站信访编号",
                "code": "xinfang.petition",
                "prefix": "XZ%(range_year)s-",
                "padding": 4,
                "use_date_range": True,
                "company_id": other.id,
            }
        )
        with freeze_time("2034-05-06 02:00:00"):
            mine = self._new()
            theirs = self.env["xinfang.petition"].create(
                {"channel": "letter", "subject": "献血反应", "company_id": other.id}
            )
        self.assertEqual(mine.name, "XF2034-00001")
        self.assertEqual(theirs.name, "XZ2034-0001")

    def test_each_company_numbers_on_its_own_from_where_the_shared_one_was(self):
        # A database upgraded from one shared sequence: 2035 numbers 1-2 were
        # given by it. Each company then numbers on its own, never reusing one.
        shared = self.env.ref("xinfang_module.seq_xinfang_petition")
        assign_numbers(shared, date(2035, 1, 1), [{}, {}])
        Petition = self.env["xinfang.petition"]
        station, bureau = self.env["res.company"].create(
            [{"name": "血站 (test)"}, {"name": "规划局 (test)"}]
        )
        with freeze_time("2035-03-01 02:00:00"):
            first, second = Petition.create(
                [
                    {"channel": "letter", "subject": "A", "company_id": station.id},
                    {"channel": "letter", "subject": "B", "company_id": station.id},
                ]
            )
            other = Petition.create(
                {"channel": "visit", "subject": "C", "company_id": bureau.id}
            )
        self.assertEqual((first.name, second.name), ("XF2035-00003", "XF2035-00004"))
        self.assertEqual(other.name, "XF2035-00003")
        self.assertEqual(
            self.env["ir.sequence"]
            .search(
                [("code", "=", "xinfang.petition"), ("company_id", "=", station.id)]
            )
            .company_id,
            station,
        )

    def test_copy_gets_new_number(self):
        copy = self.p_medical.copy()
        self.assertNotEqual(copy.name, self.p_medical.name)
        self.assertEqual(copy.state, "draft")

    def test_department_from_category(self):
        petition = self._new()
        self.assertEqual(petition.department_id, self.dept_medical)
        petition.category_id = self.cat_nursing
        self.assertEqual(petition.department_id, self.dept_nursing)

    def test_collective_threshold_is_a_setting(self):
        self.assertFalse(self._new(people_count=4).collective)
        self.assertTrue(self._new(people_count=5).collective)
        self.company.xinfang_collective_threshold = 3
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.xinfang_collective_threshold, 3)
        self.assertTrue(self._new(people_count=3).collective)

    def test_confidential_category_conceals_identity(self):
        petition = self._new(category_id=self.cat_accusation.id)
        self.assertTrue(petition.confidential)
        self.assertTrue(petition.conceal_identity)
        self.assertEqual(petition.department_id, self.dept_discipline)
        # Moving it to an ordinary category never makes it public again.
        petition.category_id = self.cat_quality
        self.assertTrue(petition.confidential)

    def test_people_count_validation(self):
        with self.assertRaisesRegex(ValidationError, "at least 1"):
            self._new(people_count=0)
        with self.assertRaisesRegex(ValidationError, "joint petition"):
            self._new(joint=True, people_count=1)
        self.assertTrue(self._new(joint=True, people_count=2).joint)

    @freeze_time("2026-05-10 10:00:00")
    def test_registration_time_not_in_future(self):
        with self.assertRaisesRegex(ValidationError, "future"):
            self._new(registration_date="2026-05-10 10:00:01")
        self.assertTrue(self._new(registration_date="2026-05-10 09:59:59"))

    def test_submit_requires_registration_data(self):
        petition = (
            self.env["xinfang.petition"]
            .with_user(self.registrar)
            .create({"channel": "phone", "subject": "无内容"})
        )
        with self.assertRaisesRegex(UserError, "Category.*Content.*Petitioner"):
            petition.action_submit()
        petition.write(
            {"category_id": self.cat_quality.id, "content": "内容", "anonymous": True}
        )
        petition.action_submit()
        self.assertEqual(petition.state, "pending")
        self.assertIn("awaiting acceptance", petition.message_ids[0].body.lower())
        with self.assertRaisesRegex(UserError, "already been registered"):
            petition.action_submit()

    def test_registrar_hands_over_confidential_item(self):
        petition = (
            self.env["xinfang.petition"]
            .with_user(self.registrar)
            .create(
                {
                    "channel": "letter",
                    "subject": "举报",
                    "content": "内容",
                    "anonymous": True,
                    "category_id": self.cat_accusation.id,
                }
            )
        )
        self.assertTrue(petition.confidential)
        action = petition.action_submit()
        self.assertEqual(action["res_model"], "xinfang.petition")
        self.assertFalse(petition.has_access("read"))
        self.assertEqual(petition.sudo().state, "pending")

    def test_review_request_needs_original_decision(self):
        petition = self._new(petition_type="review")
        with self.assertRaisesRegex(UserError, "Original Handling Organisation"):
            petition.action_submit()
        petition.write(
            {"original_org": "本院医务科", "original_doc_number": "医〔2026〕1号"}
        )
        petition.with_context(xinfang_skip_repeat_check=True).action_submit()
        self.assertEqual(petition.state, "pending")

    def test_unlink_refused_archive_allowed(self):
        petition = self._new(registrar_id=self.registrar.id)
        # Nobody holds the right to delete (the Delete action is not shown);
        # the model refuses it too, should a right be given by mistake.
        for user in (self.registrar, self.officer, self.manager):
            with self.assertRaises(AccessError):
                petition.with_user(user).unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            petition.with_user(self.officer)._unlink_except_system()
        petition.with_user(self.officer).action_archive()
        self.assertFalse(petition.active)
        self.assertTrue(petition.exists())
        # The system administrator may still delete, e.g. test data.
        petition.with_user(self.env.ref("base.user_admin")).unlink()
        self.assertFalse(petition.exists())

    def test_display_name_and_name_search(self):
        self.assertEqual(
            self.p_medical.display_name, f"{self.p_medical.name} 门诊候诊时间过长"
        )
        Petition = self.env["xinfang.petition"].with_user(self.officer)
        self.assertIn(
            self.p_medical,
            Petition.browse([r[0] for r in Petition.name_search("候诊时间")]),
        )
        self.assertIn(
            self.p_medical,
            Petition.browse([r[0] for r in Petition.name_search(self.p_medical.name)]),
        )
