"""One scenario per preset: the institution's characteristic path, with the
numbers of its rule set (readme/PRESETS.md gives each rule and reference)."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .test_callback import CallbackCase


@tagged("post_install", "-at_install")
class TestPresetScenarios(CallbackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.xinfang_discipline_department_id = False
        cls.time_cron = cls.env.ref("xinfang_module.ir_cron_time_limit_watch")

    def _apply(self, code):
        preset = self.env.ref(f"xinfang_module.preset_{code}")
        self.assertEqual(preset.with_user(self.manager)._apply(self.company), [])
        return preset

    def _category(self, code):
        return self.env["xinfang.category"].search(
            [("company_id", "=", self.company.id), ("code", "=", code)]
        )

    def _department(self, name):
        return self.env["hr.department"].search(
            [("company_id", "=", self.company.id), ("name", "=", name)]
        )

    def _accepted(self, category, when, user=None, **vals):
        petition = self._petition(
            self.zhang, category, subject="预设场景", state="pending", **vals
        )
        with freeze_time(when):
            petition.with_user(user or self.officer)._do_accept()
        return petition

    def test_hospital_one_week_at_most_two(self):
        # 篇1 §3, §5: medical disputes to 医患关系办公室, one week, two at most.
        self._apply("hospital")
        dispute = self._category("HOSP-DISPUTE")
        self.assertEqual(dispute.department_id, self._department("医患关系办公室"))
        petition = self._accepted(dispute, "2026-03-02 02:00:00")
        self.assertEqual(petition.department_id.name, "医患关系办公室")
        self.assertEqual(petition.handling_deadline, date(2026, 3, 9))
        Extension = self.env["xinfang.extension"]
        extension = Extension.create(
            {"petition_id": petition.id, "days": 7, "reason": "当事人外出"}
        )
        extension.with_user(self.manager).action_approve()
        self.assertEqual(petition.handling_deadline, date(2026, 3, 16))
        further = Extension.create(
            {"petition_id": petition.id, "days": 1, "reason": "再延一天"}
        )
        with self.assertRaises(UserError):
            further.with_user(self.manager).action_approve()

    def test_callback_letters_every_signed_item(self):
        # 篇二: every signed letter is called back; an anonymous one whose
        # writer is unknown cannot be.
        self._apply("callback_letters")
        self.assertEqual(self.company.xinfang_callback_rate, 100)
        signed = self._closed(12, date(2026, 5, 6))
        unknown = self._closed(
            1, date(2026, 5, 6), anonymous=True, high_impact=True, petitioner_id=False
        )
        self._plan("2026-05-07 02:00:00")
        self.assertEqual(len(self._selected(signed)), 12)
        self.assertFalse(self._selected(unknown))

    def test_city_hotline_dispatch_in_three_minutes(self):
        # 篇3 §一3: a 96310 complaint is dispatched within 3 minutes;
        # §三1: 10 % called back; §三2: 2 a month or 5 a year → 问责.
        self._apply("city_hotline")
        complaint = self._category("CITY-COMPLAINT")
        late = self._accepted(complaint, "2026-07-06 01:00:00", channel="phone")
        in_time = self._accepted(complaint, "2026-07-06 01:00:00", channel="phone")
        with freeze_time("2026-07-06 01:02:00"):
            in_time.with_user(self.officer)._do_assign(self.dept_medical)
        with freeze_time("2026-07-06 01:04:00"):  # 09:04 in Lishui
            self.time_cron.method_direct_trigger()
        notices = self.env["xinfang.supervision"].search(
            [("petition_id", "in", (late | in_time).ids), ("kind", "=", "dispatch")]
        )
        self.assertEqual(notices.petition_id, late)
        self.assertEqual(notices.deadline_at, datetime(2026, 7, 6, 1, 3))
        # 30 complaints closed in July: 3 are called back (10 %).
        closed = self._closed(30, date(2026, 7, 10), category=complaint)
        self._plan("2026-07-31 02:00:00")
        self.assertEqual(len(self._selected(closed)), 3)
        self.assertEqual(self.company.xinfang_accountability_month, 2)
        self.assertEqual(self.company.xinfang_accountability_year, 5)

    def test_company_keeps_the_legal_limits(self):
        # 篇四 states no number: the regulation's 15 and 60 days stay.
        self._apply("company")
        self.assertEqual(self.company.xinfang_acceptance_days, 15)
        self.assertEqual(self.company.xinfang_handling_days, 60)
        self.assertTrue(self._department("总经理工作部"))
        petition = self._petition(
            self.zhang,
            self._category("COMP-OPINION"),
            subject="职工意见",
            state="pending",
            registration_date=datetime(2026, 3, 2, 2, 0),
        )
        self.assertEqual(petition.acceptance_deadline, date(2026, 3, 17))
        with freeze_time("2026-03-02 02:00:00"):
            petition.with_user(self.officer)._do_accept()
        self.assertEqual(petition.handling_deadline, date(2026, 5, 1))

    def test_callback_opinion_seven_days_after_the_reply(self):
        # 篇五: a callback within 7 days of the handling opinion.
        self._apply("callback_opinion")
        self.company.xinfang_callback_rate = 100
        petition = self._closed(1, date(2026, 3, 2), reply_date=date(2026, 3, 2))
        self._plan("2026-03-02 10:00:00")
        callback = self._selected(petition)
        self.assertEqual(callback.planned_date, date(2026, 3, 9))
        self.assertEqual(callback.deadline, date(2026, 3, 9))

    def test_discipline_accusations_only_to_supervision(self):
        # 篇六: 检举控告 is confidential and goes to 监察处 only.
        self._apply("discipline")
        supervision_office = self._department("监察处")
        self.assertEqual(
            self.company.xinfang_discipline_department_id, supervision_office
        )
        self.assertFalse(self.company.xinfang_callback_scope_anonymous)
        accusation = self._category("DISC-ACCUSE")
        # Confidential: the office manager handles it, not the officers.
        petition = self._accepted(accusation, "2026-03-02 02:00:00", self.manager)
        self.assertTrue(petition.confidential)
        self.assertFalse(petition.with_user(self.officer).has_access("read"))
        with self.assertRaises(UserError):
            petition.with_user(self.manager)._do_assign(self.dept_medical)
        petition.with_user(self.manager)._do_assign(supervision_office)
        self.assertEqual(petition.department_id, supervision_office)

    def test_traffic_police_ten_days_five_for_major(self):
        # 篇七: 10 days after the written reply, 5 for major accidents,
        # at least 20 % of the others.
        self._apply("traffic_police")
        complaint = self._closed(
            1,
            date(2026, 6, 1),
            category=self._category("TP-COMPLAINT"),
            reply_date=date(2026, 6, 1),
        )
        major = self._closed(
            1,
            date(2026, 6, 1),
            category=self._category("TP-ACC-MAJOR"),
            reply_date=date(2026, 6, 1),
        )
        # 篇七 §八: anonymous items are not called back, complaint or not.
        anonymous = self._closed(
            1,
            date(2026, 6, 1),
            category=self._category("TP-COMPLAINT"),
            reply_date=date(2026, 6, 1),
            anonymous=True,
            high_impact=True,
        )
        self._plan("2026-06-01 10:00:00")
        self.assertFalse(self._selected(anonymous))
        self.assertEqual(self._selected(complaint).planned_date, date(2026, 6, 11))
        self.assertEqual(self._selected(major).planned_date, date(2026, 6, 6))
        # A month of general accidents only: 20 % of 20 are called back.
        general = self._closed(
            20,
            date(2026, 7, 1),
            category=self._category("TP-ACCIDENT"),
            reply_date=date(2026, 7, 1),
        )
        self._plan("2026-07-01 10:00:00")
        self.assertEqual(len(self._selected(general)), 4)

    def test_blood_station_three_people_are_collective(self):
        # 篇八: 3 people are a collective visit with at most 3 representatives;
        # the leader answers a slip in 2 working days.
        self._apply("blood_station")
        visitors = self.zhang | self.li | self.wang
        Visit = self.env["xinfang.visit"].with_user(self.officer)
        visit = Visit.create(
            {
                "petitioner_ids": [(6, 0, visitors.ids)],
                "people_count": 3,
                "representative_ids": [(6, 0, visitors.ids)],
                "subject": "献血者集体来访",
            }
        )
        self.assertTrue(visit.collective)
        fourth = self.env["xinfang.petitioner"].create({"name": "赵四"})
        with self.assertRaises(ValidationError):
            visit.write(
                {
                    "people_count": 4,
                    "petitioner_ids": [(4, fourth.id)],
                    "representative_ids": [(4, fourth.id)],
                }
            )
        petition = self._accepted(
            self._category("BLOOD-DONATION"), "2026-03-20 02:00:00"
        )
        with freeze_time("2026-03-20 02:00:00"):  # a Friday
            petition.with_user(self.officer)._do_request_instruction(self.leader)
        self.assertEqual(petition.instruction_deadline, date(2026, 3, 24))

    def test_subdistrict_quotas_and_one_month(self):
        # 篇九: one month, two with an extension; callbacks shared 10/30/60 %
        # between the office manager, the leaders and the department heads;
        # a dissatisfaction verified within 24 hours.
        self._apply("subdistrict")
        petition = self._accepted(self.cat_quality, "2026-07-01 02:00:00")
        self.assertEqual(petition.handling_deadline, date(2026, 7, 31))
        closed = self._closed(10, date(2026, 7, 10))
        self._plan("2026-07-31 02:00:00")
        callbacks = self._selected(closed)
        self.assertEqual(len(callbacks), 10)
        roles = callbacks.mapped("role")
        self.assertEqual(
            [roles.count(role) for role in ("manager", "leader", "department")],
            [1, 3, 6],
        )
        self.assertEqual(self.company.xinfang_verification_hours, 24)
