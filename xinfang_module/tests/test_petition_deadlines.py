from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import XinfangCase


@tagged("post_install", "-at_install")
class TestPetitionDeadlines(XinfangCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.company.resource_calendar_id
        cls.calendar.tz = "Asia/Shanghai"
        # National Day 2026: 1-7 October off; Saturday 10 October is a make-up
        # workday (调休), as in the State Council's 2026 arrangement.
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "国庆节",
                "calendar_id": cls.calendar.id,
                "date_from": datetime(2026, 9, 30, 16, 0),
                "date_to": datetime(2026, 10, 7, 15, 59, 59),
            }
        )
        cls.env["resource.calendar.attendance"].create(
            [
                {
                    "name": "国庆节调休上班",
                    "calendar_id": cls.calendar.id,
                    "dayofweek": "5",
                    "hour_from": hour_from,
                    "hour_to": hour_to,
                    "day_period": period,
                    "date_from": date(2026, 10, 10),
                    "date_to": date(2026, 10, 10),
                }
                for hour_from, hour_to, period in (
                    (8, 12, "morning"),
                    (13, 17, "afternoon"),
                )
            ]
        )

    def _register(self, when, **vals):
        with freeze_time(when):
            petition = self._petition(
                self.zhang, self.cat_quality, subject="期限", **vals
            )
            petition.flush_recordset()  # stored computes run on that day
            return petition

    def test_calendar_days(self):
        petition = self._register("2026-09-28 02:00:00")
        self.assertEqual(petition.acceptance_deadline, date(2026, 10, 13))
        self.assertEqual(petition.next_deadline, date(2026, 10, 13))

    def test_working_days_across_holiday_and_make_up_day(self):
        self.company.xinfang_acceptance_working = True
        petition = self._register("2026-09-28 02:00:00")  # Monday
        # Sep 29, 30; Oct 8, 9, 10 (make-up Saturday), 12-16, 19-23.
        self.assertEqual(petition.acceptance_deadline, date(2026, 10, 23))

    def test_working_days_without_make_up_day(self):
        self.calendar.attendance_ids.filtered("date_from").unlink()
        self.company.xinfang_acceptance_working = True
        petition = self._register("2026-09-28 02:00:00")
        self.assertEqual(petition.acceptance_deadline, date(2026, 10, 26))

    def test_registration_in_local_time(self):
        # 23:30 in Beijing on 30 September is still 30 September.
        petition = self._register("2026-09-30 15:30:00")
        self.assertEqual(petition.acceptance_deadline, date(2026, 10, 15))

    def test_category_override(self):
        self.cat_quality.handling_days = 7
        with freeze_time("2026-03-02 02:00:00"):
            self.p_medical.with_user(self.officer)._do_accept()
        self.assertEqual(self.p_medical.handling_deadline, date(2026, 3, 9))
        self.company.xinfang_handling_days = 90
        self.assertEqual(self.p_medical.handling_deadline, date(2026, 3, 9))
        self.cat_quality.handling_days = 0
        self.assertEqual(self.p_medical.handling_deadline, date(2026, 5, 31))

    def test_deadline_status_cron(self):
        cron = self.env.ref("xinfang_module.ir_cron_refresh_deadline_status")
        petition = self._register("2026-03-02 02:00:00", state="pending")
        closed = self._register("2026-03-02 02:00:00", state="closed")
        self.assertEqual(petition.acceptance_deadline, date(2026, 3, 17))
        self.assertEqual(petition.deadline_status, "on_time")
        self.assertEqual(closed.deadline_status, "none")
        Petition = self.env["xinfang.petition"]
        with freeze_time("2026-03-13 20:00:00"):  # 14 March in Beijing: T-3
            cron.method_direct_trigger()
            self.assertEqual(petition.deadline_status, "due_soon")
            self.assertEqual(Petition._cron_refresh_deadline_status(), 0)
        with freeze_time("2026-03-18 02:00:00"):  # T+1
            cron.method_direct_trigger()
            self.assertEqual(petition.deadline_status, "overdue")
            self.assertEqual(Petition._cron_refresh_deadline_status(), 0)
        self.assertEqual(closed.deadline_status, "none")
        self.assertIn(petition, Petition.search([("deadline_status", "=", "overdue")]))
        groups = Petition._read_group(
            [("id", "in", (petition | closed).ids)], ["deadline_status"], ["__count"]
        )
        self.assertEqual(dict(groups), {"overdue": 1, "none": 1})

    def test_extensions_counted_in_working_days(self):
        petition = self._register(
            "2026-09-21 02:00:00", state="handling", decision_date=date(2026, 9, 21)
        )
        self.assertEqual(petition.handling_deadline, date(2026, 11, 20))  # Friday
        self.env["xinfang.extension"].create(
            {
                "petition_id": petition.id,
                "days": 5,
                "reason": "鉴定",
                "state": "approved",
            }
        )
        self.assertEqual(petition.handling_deadline, date(2026, 11, 25))
        self.company.xinfang_extension_max_working = True
        self.assertEqual(petition.handling_deadline, date(2026, 11, 27))

    def test_due_soon_counted_in_working_days(self):
        petition = self._register("2026-03-02 02:00:00", state="pending")
        self.assertEqual(petition.acceptance_deadline, date(2026, 3, 17))  # Tuesday
        with freeze_time("2026-03-13 02:00:00"):  # Friday: 4 calendar days left
            petition.invalidate_recordset(["deadline_status"])
            petition._compute_deadline_status()
            self.assertEqual(petition.deadline_status, "on_time")
            # 3 working days from Friday reach Wednesday 18 March.
            self.company.xinfang_due_soon_working = True
            self.assertEqual(petition.deadline_status, "due_soon")
            # The reminder watch looks as far ahead.
            window = self.env["xinfang.supervision"]._due_window(
                self.company, date(2026, 3, 13)
            )
            self.assertEqual(window, (date(2026, 3, 13), date(2026, 3, 18)))

    def test_cron_works_in_bounded_batches(self):
        petitions = self.env["xinfang.petition"]
        for _i in range(5):
            petitions |= self._register("2026-03-02 02:00:00", state="pending")
        with freeze_time("2026-03-20 02:00:00"):
            Petition = self.env["xinfang.petition"]
            self.assertEqual(Petition._cron_refresh_deadline_status(batch_size=2), 2)
            self.assertEqual(Petition._cron_refresh_deadline_status(batch_size=2), 2)
            done = Petition._cron_refresh_deadline_status(batch_size=100)
            self.assertGreaterEqual(done, 1)
            self.assertEqual(Petition._cron_refresh_deadline_status(batch_size=100), 0)
        self.assertEqual(set(petitions.mapped("deadline_status")), {"overdue"})


@tagged("post_install", "-at_install")
class TestPublicHolidaysData(XinfangCase):
    def test_load_prc_holidays_twice(self):
        company = self.company
        company.resource_calendar_id.tz = "Asia/Shanghai"
        company.action_xinfang_load_prc_holidays()
        calendar = company.resource_calendar_id
        leaves = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", calendar.id)]
        )
        make_up = calendar.attendance_ids.filtered("date_from")
        self.assertEqual(len(leaves), 14)
        self.assertEqual(
            set(make_up.mapped("date_from")),
            {
                date(2026, 1, 4),
                date(2026, 2, 14),
                date(2026, 2, 28),
                date(2026, 5, 9),
                date(2026, 9, 20),
                date(2026, 10, 10),
            },
        )
        company.action_xinfang_load_prc_holidays()
        self.assertEqual(
            self.env["resource.calendar.leaves"].search_count(
                [("calendar_id", "=", calendar.id)]
            ),
            14,
        )
        self.assertEqual(calendar.attendance_ids.filtered("date_from"), make_up)
        company.xinfang_acceptance_working = True
        with freeze_time("2026-09-28 02:00:00"):
            petition = self._petition(self.zhang, self.cat_quality, subject="国庆")
        self.assertEqual(petition.acceptance_deadline, date(2026, 10, 23))
        with freeze_time("2026-02-13 02:00:00"):  # Friday before the Spring Festival
            petition = self._petition(self.zhang, self.cat_quality, subject="春节")
        # 14 Feb (make-up Sat), 24-27 Feb, 28 Feb (make-up Sat), 2-6 Mar, 9-12 Mar
        self.assertEqual(petition.acceptance_deadline, date(2026, 3, 12))
