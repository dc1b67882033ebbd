from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import XinfangCase


def days_between(start, stop):
    return [start + timedelta(days=n) for n in range((stop - start).days + 1)]


@tagged("post_install", "-at_install")
class TestReceptionSchedule(XinfangCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.leader2 = new_test_user(
            cls.env,
            login="xf_t_leader2",
            groups="base.group_user,xinfang_module.group_xinfang_leader",
        )
        cls.Generator = cls.env["xinfang.reception.generator"].with_user(cls.officer)
        cls.Day = cls.env["xinfang.reception.day"]

    def _generate(self, **vals):
        generator = self.Generator.create(
            {"leader_id": self.leader.id, "skip_holidays": False, **vals}
        )
        action = generator.action_generate()
        return self.Day.browse(action["domain"][0][2])

    def test_every_monday_and_friday_of_a_quarter(self):
        days = self._generate(
            mode="weekdays",
            date_from=date(2027, 1, 1),
            date_to=date(2027, 3, 31),
            mon=True,
            fri=True,
            place="门诊楼三楼接待室",
        )
        expected = [
            day
            for day in days_between(date(2027, 1, 1), date(2027, 3, 31))
            if day.weekday() in (0, 4)
        ]
        self.assertEqual(len(expected), 26)
        self.assertEqual(sorted(days.mapped("date")), expected)
        self.assertEqual(days.leader_id, self.leader)
        self.assertEqual(set(days.mapped("place")), {"门诊楼三楼接待室"})

    def test_the_16th_of_each_month(self):
        days = self._generate(
            mode="month_day",
            month_day=16,
            date_from=date(2027, 1, 1),
            date_to=date(2027, 12, 31),
        )
        self.assertEqual(
            sorted(days.mapped("date")),
            [date(2027, month, 16) for month in range(1, 13)],
        )

    def test_weekly_rota_of_leaders(self):
        generator = self.Generator.create(
            {
                "mode": "rota",
                "date_from": date(2027, 1, 1),
                "date_to": date(2027, 1, 31),
                "mon": True,
                "skip_holidays": False,
                "rota_ids": [
                    (0, 0, {"sequence": 1, "user_id": self.leader2.id}),
                    (0, 0, {"sequence": 2, "user_id": self.leader.id}),
                ],
            }
        )
        self.assertEqual(
            [(day, leader) for day, leader in generator._dates()],
            [
                (date(2027, 1, 4), self.leader2),
                (date(2027, 1, 11), self.leader),
                (date(2027, 1, 18), self.leader2),
                (date(2027, 1, 25), self.leader),
            ],
        )

    def test_public_holidays_are_skipped(self):
        self.company.action_xinfang_load_prc_holidays()
        days = self._generate(
            mode="weekdays",
            date_from=date(2026, 10, 1),
            date_to=date(2026, 10, 31),
            mon=True,
            fri=True,
            skip_holidays=True,
        )
        dates = days.mapped("date")
        # 国庆节 1-7 October 2026: Friday 2 and Monday 5 are holidays.
        self.assertNotIn(date(2026, 10, 2), dates)
        self.assertNotIn(date(2026, 10, 5), dates)
        self.assertEqual(len(dates), 7)

    def test_running_twice_adds_nothing(self):
        vals = {
            "mode": "weekdays",
            "date_from": date(2027, 1, 1),
            "date_to": date(2027, 3, 31),
            "mon": True,
            "fri": True,
        }
        first = self._generate(**vals)
        second = self._generate(**vals)
        self.assertEqual(len(first), 26)
        self.assertFalse(second)
        self.assertEqual(
            self.Day.search_count([("leader_id", "=", self.leader.id)]), 26
        )

    def test_bad_schedules_are_refused(self):
        with self.assertRaises(UserError):
            self._generate(
                mode="weekdays", date_from=date(2027, 1, 1), date_to=date(2027, 1, 31)
            )
        with self.assertRaises(UserError):
            self._generate(
                mode="month_day",
                month_day=16,
                date_from=date(2027, 2, 1),
                date_to=date(2027, 1, 1),
            )

    def test_appointments_fill_the_slots(self):
        day = self.Day.create(
            {
                "leader_id": self.leader.id,
                "date": date.today() + timedelta(days=3),
                "capacity": 1,
                "officer_ids": [(6, 0, self.officer.ids)],
            }
        )
        action = day.with_user(self.registrar).action_book_appointment()
        self.assertEqual(action["context"]["default_reception_day_id"], day.id)
        self.assertEqual(action["context"]["default_leader_id"], self.leader.id)
        Visit = self.env["xinfang.visit"].with_user(self.registrar)
        visit = Visit.with_context(**action["context"]).create({"subject": "约访"})
        self.assertEqual((visit.state, visit.visit_type), ("booked", "appointment"))
        with self.assertRaises(UserError):
            day.with_user(self.registrar).action_book_appointment()
        with self.assertRaises(ValidationError):
            Visit.with_context(**action["context"]).create({"subject": "约访二"})
        # Registering its petition from the booking form keeps the petition's
        # own defaults.
        visit.action_receive()
        self.assertLessEqual(visit.date, datetime.now())
        visit.said = "要求查看检查报告"
        petition_action = visit.with_context(
            **action["context"]
        ).action_create_petition()
        petition = self.env["xinfang.petition"].browse(petition_action["res_id"])
        self.assertEqual(petition.state, "draft")
        visit.notice_method = "phone"
        visit.action_record_notice()
        # Another registrar opens the day: the booking counts in its slots,
        # though they may not read the visit itself.
        day.invalidate_recordset()
        other = day.with_user(self.registrar2)
        other.web_read({"appointment_count": {}, "visit_count": {}})
        self.assertEqual(other.appointment_count, 1)
        self.assertFalse(
            self.env["xinfang.visit"]
            .with_user(self.registrar2)
            .search([("reception_day_id", "=", day.id)])
        )
        self.assertTrue(visit.notice_date)
        self.assertIn("约访", visit.display_name)

    def test_who_changes_a_reception_day(self):
        mine = self.Day.create({"leader_id": self.leader.id, "date": date(2027, 1, 4)})
        other = self.Day.create(
            {"leader_id": self.leader2.id, "date": date(2027, 1, 4)}
        )
        mine.with_user(self.leader).write({"place": "行政楼"})
        with self.assertRaises(AccessError):
            other.with_user(self.leader).write({"place": "行政楼"})
        other.with_user(self.officer).write({"place": "行政楼"})
        for user in (self.registrar, self.handler):
            self.assertEqual(
                self.Day.with_user(user).search([("id", "in", (mine | other).ids)]),
                mine | other,
            )
            with self.assertRaises(AccessError):
                mine.with_user(user).write({"place": "门诊"})
        # A leader's own reception days.
        action = self.env.ref("xinfang_module.xinfang_reception_day_action_mine")
        self.assertIn("search_default_mine", action.context)
        self.assertEqual(
            self.Day.with_user(self.leader).search(
                [("leader_id", "=", self.leader.id)]
            ),
            mine,
        )


@tagged("post_install", "-at_install")
class TestVisit(XinfangCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Visit = cls.env["xinfang.visit"]

    def _visit(self, user=None, **vals):
        return self.Visit.with_user(user or self.registrar).create(
            {
                "subject": "反映门诊排队时间长",
                "petitioner_ids": [(6, 0, self.zhang.ids)],
                "said": "上午挂号后等候三小时",
                **vals,
            }
        )

    def test_visit_creates_its_petition(self):
        visit = self._visit(
            petitioner_ids=[(6, 0, (self.zhang | self.li).ids)],
            people_count=2,
            place="门诊接待室",
            promise="一周内答复",
            date=datetime(2026, 3, 2, 2, 0),
        )
        action = visit.action_create_petition()
        petition = self.env["xinfang.petition"].browse(action["res_id"])
        self.assertEqual(petition.channel, "visit")
        self.assertEqual(petition.visit_id, visit)
        self.assertIn(petition.petitioner_id, self.zhang | self.li)
        self.assertEqual(petition.subject, "反映门诊排队时间长")
        self.assertEqual(petition.content, "上午挂号后等候三小时")
        self.assertIn("一周内答复", petition.requests)
        self.assertEqual(petition.people_count, 2)
        self.assertTrue(petition.joint)
        # The other visitor co-signs (A4).
        self.assertEqual(
            petition.cosigner_ids, (self.zhang | self.li) - petition.petitioner_id
        )
        self.assertFalse(petition.representative_ids)
        self.assertEqual(petition.registration_date, datetime(2026, 3, 2, 2, 0))
        self.assertEqual(petition.place, "门诊接待室")
        self.assertEqual(petition.registrar_id, self.registrar)
        self.assertEqual(petition.state, "draft")
        self.assertEqual(visit.outcome, "registered")
        self.assertEqual(visit.petition_count, 1)

    def test_petition_needs_a_received_visit_with_content(self):
        with self.assertRaises(UserError):
            self._visit(said=False).action_create_petition()
        with self.assertRaises(UserError):
            self._visit(state="booked").action_create_petition()
        with self.assertRaises(ValidationError):
            self._visit(outcome="redirected")
        self._visit(outcome="redirected", competent_body="市卫生健康委员会")

    def test_collective_visit_warns_at_once(self):
        self.assertEqual(self.company.xinfang_collective_threshold, 5)
        quiet = self._visit(people_count=4)
        self.assertFalse(quiet.collective or quiet.alert_sent or quiet.checklist_ids)
        visit = self._visit(people_count=6)
        self.assertTrue(visit.collective)
        self.assertTrue(visit.alert_sent)
        self.assertEqual(visit.risk_level, "medium")
        steps = self.env["xinfang.contingency.step"].search([])
        self.assertEqual(visit.checklist_ids.step_id, steps)
        self.assertGreaterEqual(len(steps), 5)
        warning = visit.message_ids.filtered("partner_ids")
        self.assertEqual(len(warning), 1)
        self.assertIn(self.manager.partner_id, warning.partner_ids)
        self.assertIn(self.leader.partner_id, warning.partner_ids)
        self.assertNotIn(self.handler.partner_id, warning.partner_ids)
        # Once per visit.
        visit.write({"people_count": 8, "abnormal": True})
        self.assertEqual(len(visit.message_ids.filtered("partner_ids")), 1)
        # A single cross-level visitor warns too.
        self.assertTrue(self._visit(cross_level=True).alert_sent)
        # Checking a step records who and when.
        line = visit.checklist_ids[0].with_user(self.registrar)
        line.done = True
        self.assertEqual(line.done_by_id, self.registrar)
        self.assertTrue(line.done_time)

    def test_handler_reads_the_visit_without_every_visitor(self):
        visit = self._visit(
            petitioner_ids=[(6, 0, (self.zhang | self.li).ids)],
            people_count=2,
            representative_ids=[(6, 0, self.zhang.ids)],
        )
        visit.action_create_petition()
        visit.petition_ids.category_id = self.cat_quality
        # 李秀英's only item conceals her identity: the handler may not read
        # her, though he sees the visit of his department's item.
        Visit = self.Visit.with_user(self.handler)
        arch = Visit.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="petitioner_ids"', arch)
        self.assertIn('name="visitor_names"', arch)
        [values] = visit.with_user(self.handler).web_read(
            {"visitor_names": {}, "subject": {}, "said": {}, "petition_count": {}}
        )
        self.assertIn("张建华", values["visitor_names"])
        self.assertNotIn("李秀英", values["visitor_names"])
        self.assertIn("Identity concealed", values["visitor_names"])
        self.assertEqual(values["petition_count"], 1)
        # The registrar sees every visitor in the tags.
        arch = self.Visit.with_user(self.registrar).get_views([(False, "form")])
        self.assertIn('name="petitioner_ids"', arch["views"]["form"]["arch"])

    def test_checklist_follows_its_visit(self):
        visit = self._visit(people_count=9)
        line = visit.checklist_ids[:1]
        line.note = "保卫科已到场"
        Checklist = self.env["xinfang.visit.checklist"]
        self.assertEqual(
            Checklist.with_user(self.registrar).search([("id", "=", line.id)]), line
        )
        self.assertEqual(
            Checklist.with_user(self.officer).search([("id", "=", line.id)]), line
        )
        for user in (self.registrar2, self.handler_nursing):
            self.assertFalse(
                Checklist.with_user(user).search([("id", "=", line.id)]), user.login
            )
            with self.assertRaises(AccessError):
                line.with_user(user).read(["note"])
        with self.assertRaises(AccessError):
            line.with_user(self.leader).write({"done": True})

    def test_at_most_five_representatives(self):
        people = self.env["xinfang.petitioner"].create(
            [{"name": f"代表{n}"} for n in range(6)]
        )
        visitors = [(6, 0, people.ids)]
        with self.assertRaises(ValidationError):
            self._visit(
                people_count=30,
                petitioner_ids=visitors,
                representative_ids=[(6, 0, people.ids)],
            )
        with self.assertRaises(ValidationError):
            self._visit(people_count=30, representative_ids=[(6, 0, people[:1].ids)])
        self._visit(
            people_count=30,
            petitioner_ids=visitors,
            representative_ids=[(6, 0, people[:5].ids)],
        )

    def test_access_by_group(self):
        mine = self._visit()
        other = self._visit(user=self.registrar2)
        mine.action_create_petition()
        petition = mine.petition_ids
        self.assertEqual(petition.department_id, self.env["hr.department"])
        petition.category_id = self.cat_quality
        concealed = self._visit(
            user=self.registrar2, petitioner_ids=[(6, 0, self.li.ids)]
        )
        concealed.action_create_petition()
        concealed.petition_ids.write(
            {"category_id": self.cat_quality.id, "conceal_identity": True}
        )
        confidential = self._visit(user=self.officer)
        confidential.action_create_petition()
        confidential.petition_ids.category_id = self.cat_accusation
        everything = mine | other | concealed | confidential

        def visible(user):
            return self.Visit.with_user(user).search([("id", "in", everything.ids)])

        self.assertEqual(visible(self.registrar), mine)
        self.assertEqual(visible(self.registrar2), other | concealed)
        self.assertEqual(visible(self.handler), mine)
        self.assertFalse(visible(self.handler_nursing))
        self.assertEqual(visible(self.officer), mine | other | concealed)
        self.assertEqual(visible(self.leader), mine | other | concealed)
        self.assertEqual(visible(self.discipline), confidential)
        self.assertEqual(visible(self.manager), everything)
        with self.assertRaises(AccessError):
            visible(self.outsider)
        # Handlers read, do not write; a leader writes only what they received.
        with self.assertRaises(AccessError):
            mine.with_user(self.handler).write({"said": "改"})
        with self.assertRaises(AccessError):
            mine.with_user(self.leader).write({"said": "改"})
        received = self._visit(leader_id=self.leader.id)
        received.with_user(self.leader).write({"promise": "月底前答复"})
        # Identity: the handler sees the visitor of their item, never the
        # concealed one, not even by searching its name.
        self.assertEqual(
            mine.with_user(self.handler).petitioner_ids.display_name, "张建华"
        )
        self.assertFalse(
            self.Visit.with_user(self.handler).search(
                [("petitioner_ids.name", "=", "李秀英")]
            )
        )


@tagged("post_install", "-at_install")
class TestScreening(XinfangCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.cron = cls.env.ref("xinfang_module.ir_cron_screening_reminder")
        cls.head_medical = cls._department_head(cls.dept_medical, "xf_t_head_medical")
        cls.head_nursing = cls._department_head(cls.dept_nursing, "xf_t_head_nursing")
        cls.activity_type = cls.env.ref("xinfang_module.mail_activity_type_screening")

    def _reminders(self, department):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "hr.department"),
                ("res_id", "=", department.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def _run(self, when):
        with freeze_time(when):
            self.cron.method_direct_trigger()

    def test_reminder_when_due_once_per_period(self):
        self.assertEqual(self.company.xinfang_screening_per_month, 2)
        self.env["xinfang.screening"].create(
            {
                "date": date(2025, 5, 5),
                "department_id": self.dept_nursing.id,
                "findings": "病房陪护管理引发家属不满",
                "risk_level": "medium",
            }
        )
        self._run("2025-05-10 02:00:00")
        self.assertFalse(self._reminders(self.dept_medical))
        self._run("2025-05-13 02:00:00")
        reminder = self._reminders(self.dept_medical)
        self.assertEqual(reminder.user_id, self.head_medical)
        self.assertEqual(reminder.date_deadline, date(2025, 5, 15))
        self.assertFalse(self._reminders(self.dept_nursing))
        self._run("2025-05-14 02:00:00")
        self.assertEqual(len(self._reminders(self.dept_medical)), 1)
        # The second half of the month is a new period, for both.
        self._run("2025-05-29 02:00:00")
        self.assertEqual(len(self._reminders(self.dept_medical)), 2)
        self.assertEqual(
            self._reminders(self.dept_nursing).date_deadline, date(2025, 5, 31)
        )

    def test_monthly_cadence(self):
        self.company.xinfang_screening_per_month = 1
        self._run("2025-05-13 02:00:00")
        self.assertFalse(self._reminders(self.dept_medical))
        self._run("2025-05-28 02:00:00")
        self.assertEqual(
            self._reminders(self.dept_medical).date_deadline, date(2025, 5, 31)
        )

    def test_access(self):
        Screening = self.env["xinfang.screening"]
        medical = Screening.with_user(self.handler).create(
            {
                "department_id": self.dept_medical.id,
                "findings": "患者投诉检查等候时间长",
                "risk_level": "province",
            }
        )
        nursing = Screening.create(
            {"department_id": self.dept_nursing.id, "findings": "护工收费争议"}
        )
        both = medical | nursing
        self.assertEqual(
            Screening.with_user(self.handler).search([("id", "in", both.ids)]), medical
        )
        self.assertEqual(
            Screening.with_user(self.head_nursing).search([("id", "in", both.ids)]),
            nursing,
        )
        for user in (self.officer, self.leader, self.manager):
            self.assertEqual(
                Screening.with_user(user).search([("id", "in", both.ids)]), both
            )
        with self.assertRaises(AccessError):
            nursing.with_user(self.leader).write({"follow_up": "约谈"})
        with self.assertRaises(AccessError):
            Screening.with_user(self.registrar).search([])
        groups = Screening.with_user(self.manager)._read_group(
            [("id", "in", both.ids)], ["department_id", "date:month"], ["__count"]
        )
        self.assertEqual(len(groups), 2)
