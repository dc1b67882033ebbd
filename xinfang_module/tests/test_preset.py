from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, users

from .common import XinfangCase


@tagged("post_install", "-at_install")
class TestPresetApplication(XinfangCase):
    """Applying a preset: settings, departments and categories, idempotent,
    keeping what the office changed unless asked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.preset = cls.env["xinfang.preset"].create(
            {
                "name": "Test rules",
                "code": "test_rules",
                "settings": {
                    "xinfang_handling_days": 7,
                    "xinfang_collective_threshold": 3,
                    "xinfang_callback_base": "reply",
                },
                "discipline_department": "纪检监察室 (preset)",
                "category_ids": [
                    (
                        0,
                        0,
                        {
                            "code": "T-MED",
                            "name": "Medical",
                            "department": "医务科 (preset)",
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "code": "T-MED-FEE",
                            "name": "Fees",
                            "parent_code": "T-MED",
                            "department": "财务科 (preset)",
                            "callback_rule": "always",
                        },
                    ),
                ],
            }
        )
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.preset.category_ids[0].update_field_translations("name", {"zh_CN": "医疗"})

    def setUp(self):
        super().setUp()
        self.company.xinfang_discipline_department_id = False

    def _categories(self):
        return self.env["xinfang.category"].search(
            [("company_id", "=", self.company.id), ("code", "like", "T-MED")]
        )

    def _departments(self):
        return self.env["hr.department"].search([("name", "like", "(preset)")])

    @users("xf_t_manager")
    def test_apply_twice_makes_nothing_twice(self):
        preset = self.preset.with_env(self.env)
        company = self.env.company
        self.assertEqual(preset._apply(company), [])
        self.assertEqual(company.xinfang_handling_days, 7)
        self.assertEqual(company.xinfang_collective_threshold, 3)
        self.assertEqual(company.xinfang_callback_base, "reply")
        self.assertEqual(company.xinfang_preset_id, preset)
        self.assertEqual(len(self._departments()), 3)
        self.assertEqual(
            company.xinfang_discipline_department_id.name, "纪检监察室 (preset)"
        )
        categories = self._categories()
        self.assertEqual(len(categories), 2)
        fees = categories.filtered(lambda c: c.code == "T-MED-FEE")
        self.assertEqual(fees.parent_id.code, "T-MED")
        self.assertEqual(fees.department_id.name, "财务科 (preset)")
        self.assertEqual(fees.callback_rule, "always")
        self.assertEqual(fees.display_name, "Medical / Fees")
        self.assertEqual(fees.parent_id.with_context(lang="zh_CN").name, "医疗")
        # Again: nothing made twice, nothing reported as kept.
        self.assertEqual(preset._apply(company), [])
        self.assertEqual(len(self._departments()), 3)
        self.assertEqual(self._categories(), categories)

    @users("xf_t_manager")
    def test_office_changes_are_kept_unless_overwritten(self):
        preset = self.preset.with_env(self.env)
        company = self.env.company
        preset._apply(company)
        company.xinfang_handling_days = 10  # the office's own decision
        self._categories().filtered(lambda c: c.code == "T-MED").name = "医疗质量"
        kept = preset._apply(company)
        self.assertEqual(kept, ["Handling (days)"])
        self.assertEqual(company.xinfang_handling_days, 10)
        self.assertEqual(self._categories().mapped("name")[0], "医疗质量")
        preset._apply(company, overwrite=True)
        self.assertEqual(company.xinfang_handling_days, 7)
        self.assertEqual(
            self._categories().filtered(lambda c: c.code == "T-MED").name, "Medical"
        )

    def test_a_setting_left_at_its_default_is_set(self):
        # Never applied before: a value still at the legal default is the
        # office's only if they changed it.
        self.company.xinfang_collective_threshold = 4
        kept = self.preset._apply(self.company)
        self.assertEqual(kept, ["Collective Petition Threshold"])
        self.assertEqual(self.company.xinfang_handling_days, 7)

    def test_only_the_office_manager_applies(self):
        for user in (self.officer, self.registrar, self.leader, self.handler):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.preset.with_user(user)._apply(self.company)
        with self.assertRaises(AccessError):
            self.preset.with_user(self.manager).write({"settings": {}})
        self.assertEqual(self.preset.with_user(self.manager).name, "Test rules")
        with self.assertRaises(AccessError):
            self.preset.with_user(self.officer).read(["name"])
        lines = self.preset.category_ids
        self.assertEqual(len(lines.with_user(self.manager).read(["code"])), 2)
        for user in (self.officer, self.handler, self.leader):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                lines.with_user(user).read(["code"])
        with self.assertRaises(AccessError):
            lines.with_user(self.manager).write({"department": "别处"})

    def test_unknown_settings_are_refused(self):
        with self.assertRaises(ValidationError):
            self.preset.settings = {"xinfang_no_such_thing": 1}
        with self.assertRaises(ValidationError):
            self.preset.settings = {"name": "other"}

    def test_every_shipped_preset_applies(self):
        presets = self.env["xinfang.preset"].search([("code", "!=", "test_rules")])
        self.assertEqual(len(presets), 9)
        for preset in presets:
            with self.subTest(preset=preset.code):
                preset._apply(self.company, overwrite=True)
                self.assertEqual(self.company.xinfang_preset_id, preset)
                for name, value in (preset.settings or {}).items():
                    self.assertEqual(self.company[name], value, name)
                codes = preset.category_ids.mapped("code")
                found = self.env["xinfang.category"].search(
                    [("company_id", "=", self.company.id), ("code", "in", codes)]
                )
                self.assertEqual(sorted(found.mapped("code")), sorted(codes))


@tagged("post_install", "-at_install")
class TestSetupWizard(XinfangCase):
    """First-run set-up: the home action, the two steps, who may run it."""

    def test_home_action(self):
        company = self.company
        company.xinfang_setup_done = False
        Company = self.env["res.company"]
        action = Company.with_user(self.manager)._xinfang_home_action()
        self.assertEqual(action["res_model"], "xinfang.setup.wizard")
        for user in (self.registrar, self.officer, self.handler, self.leader):
            with self.subTest(user=user.login):
                action = Company.with_user(user)._xinfang_home_action()
                self.assertEqual(action["res_model"], "xinfang.petition")
        company.xinfang_setup_done = True
        action = Company.with_user(self.manager)._xinfang_home_action()
        self.assertEqual(action["res_model"], "xinfang.petition")
        # The app is the first: the home of users without a home action.
        root = self.env.ref("xinfang_module.xinfang_menu_root")
        self.assertLess(root.sequence, self.env.ref("mail.menu_root_discuss").sequence)

    def test_two_steps(self):
        preset = self.env.ref("xinfang_module.preset_hospital")
        Wizard = self.env["xinfang.setup.wizard"].with_user(self.manager)
        wizard = Wizard.create({"preset_id": preset.id, "tz": "Asia/Shanghai"})
        wizard.action_apply_preset()
        self.assertEqual(wizard.step, "departments")
        self.assertEqual(self.company.partner_id.tz, "Asia/Shanghai")
        self.assertEqual(self.company.resource_calendar_id.tz, "Asia/Shanghai")
        # The PRC holidays are in the calendar (National Day 2026).
        leaves = self.company.resource_calendar_id.global_leave_ids
        self.assertTrue(
            any(
                leave.date_from.date() <= date(2026, 10, 2) <= leave.date_to.date()
                for leave in leaves
            )
        )
        line = wizard.line_ids.filtered(lambda x: x.department_id == self.dept_nursing)
        line.user_ids = self.handler_nursing | self.handler
        wizard.discipline_department_id = self.dept_discipline
        action = wizard.action_done()
        self.assertEqual(action["res_model"], "xinfang.petition")
        self.assertTrue(self.company.xinfang_setup_done)
        self.assertEqual(
            self.company.xinfang_discipline_department_id, self.dept_discipline
        )
        self.assertEqual(
            self.dept_nursing.xinfang_user_ids, self.handler_nursing | self.handler
        )

    def test_only_the_manager_sets_up(self):
        for user in (self.officer, self.registrar, self.leader, self.discipline):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["xinfang.setup.wizard"].with_user(user).create({})
        wizard = self.env["xinfang.setup.wizard"].with_user(self.manager).create({})
        with self.assertRaises(UserError):
            wizard.action_apply_preset()  # no preset chosen
        # Another manager does not reach this manager's dialog.
        other = self.manager.copy({"login": "xf_t_manager_other"})
        with self.assertRaises(AccessError):
            wizard.with_user(other).read(["step"])
        wizard.preset_id = self.env.ref("xinfang_module.preset_company")
        wizard.action_apply_preset()
        self.assertTrue(wizard.line_ids)
        with self.assertRaises(AccessError):
            wizard.line_ids.with_user(other).read(["user_ids"])
        # Who handles petitions is the office manager's (or HR's), not a
        # handler's of the department.
        with self.assertRaises(AccessError):
            self.dept_medical.with_user(self.handler).write({"xinfang_handles": False})


@tagged("post_install", "-at_install")
class TestTimeLimits(XinfangCase):
    """Limits in minutes and hours, watched every minute by the real cron."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.company.xinfang_dispatch_minutes = 3
        cls.cron = cls.env.ref("xinfang_module.ir_cron_time_limit_watch")

    def _limits(self, petition):
        return self.env["xinfang.supervision"].search(
            [
                ("petition_id", "in", petition.ids),
                ("kind", "in", ("dispatch", "verification")),
            ]
        )

    def _hotline(self):
        return self._petition(
            self.zhang,
            self.cat_quality,
            subject="占道经营",
            state="pending",
            channel="phone",
        )

    def test_dispatch_within_three_minutes(self):
        petition = self._hotline()
        with freeze_time("2026-03-02 01:00:00"):  # 09:00 in Beijing
            petition.with_user(self.officer)._do_accept()
        self.assertEqual(petition.dispatch_deadline, datetime(2026, 3, 2, 1, 3))
        with freeze_time("2026-03-02 01:02:00"):
            self.cron.method_direct_trigger()
        self.assertFalse(self._limits(petition))
        with freeze_time("2026-03-02 01:04:00"):  # 09:04, not dispatched
            self.cron.method_direct_trigger()
            self.cron.method_direct_trigger()  # twice: told once
        notice = self._limits(petition)
        self.assertEqual(notice.kind, "dispatch")
        self.assertEqual(notice.deadline_at, datetime(2026, 3, 2, 1, 3))
        self.assertIn(self.officer, notice.user_ids)
        self.assertIn("09:03", petition.message_ids[0].body)
        self.assertTrue(
            petition.activity_ids.filtered(lambda a: a.user_id == self.officer)
        )
        with freeze_time("2026-03-02 01:30:00"):
            self.cron.method_direct_trigger()
        self.assertEqual(self._limits(petition), notice)

    def test_a_confidential_item_is_told_to_its_readers_only(self):
        # The officers may not read an accusation: its notice and activity
        # (which carry the number and subject) go to the office manager.
        petition = self._petition(
            self.zhang,
            self.cat_accusation,
            subject="举报采购受贿",
            state="pending",
            channel="phone",
        )
        with freeze_time("2026-03-02 01:00:00"):
            petition.with_user(self.manager)._do_accept()
        with freeze_time("2026-03-02 01:04:00"):
            self.cron.method_direct_trigger()
        notice = self._limits(petition)
        self.assertIn(self.manager, notice.user_ids)
        self.assertNotIn(self.officer, notice.user_ids)
        self.assertEqual(petition.activity_ids.user_id, notice.user_ids)
        self.assertFalse(
            self.env["mail.activity"]
            .with_user(self.officer)
            .search(
                [("res_model", "=", "xinfang.petition"), ("res_id", "=", petition.id)]
            )
        )

    def test_only_departments_that_handle_petitions(self):
        petition = self._hotline()
        petition.with_user(self.officer)._do_accept()
        idle = self.env["hr.department"].create({"name": "Sales (test)"})
        with self.assertRaises(UserError):
            petition.with_user(self.officer)._do_assign(idle)
        with self.assertRaises(UserError):
            petition.with_user(self.officer)._do_assign(
                self.dept_medical, co_departments=idle
            )
        # The handler is a member or a petition contact of the department.
        with self.assertRaises(UserError):
            petition.with_user(self.officer)._do_assign(
                self.dept_medical, handler=self.handler_nursing.employee_ids
            )
        petition.with_user(self.officer)._do_assign(
            self.dept_medical, handler=self.handler.employee_ids
        )
        self.assertEqual(petition.department_id, self.dept_medical)

    def test_queries_do_not_grow_with_the_items(self):
        counts = {}
        for count in (20, 200):
            petitions = self.env["xinfang.petition"].create(
                [
                    {
                        "channel": "phone",
                        "petitioner_id": self.zhang.id,
                        "category_id": self.cat_quality.id,
                        "content": "内容",
                        "subject": f"热线{count}-{index}",
                        "state": "pending",
                    }
                    for index in range(count)
                ]
            )
            with freeze_time("2026-03-02 01:00:00"):
                petitions.with_user(self.officer)._do_accept()
            self.env.flush_all()
            self.env.invalidate_all()
            with freeze_time("2026-03-02 01:04:00"):
                before = self.cr.sql_log_count
                done = self.env["xinfang.supervision"]._cron_time_limit_watch()
                counts[count] = self.cr.sql_log_count - before
            self.assertEqual(done, count)
        self.assertLessEqual(counts[200], counts[20] + 5, counts)

    def test_notes_in_the_office_language(self):
        # The scheduled actions write in the company's language, not in the
        # language of the user the cron runs as.
        self.env["res.lang"]._activate_lang("zh_CN")
        self.company.partner_id.lang = "zh_CN"
        petition = self._hotline()
        with freeze_time("2026-03-02 01:00:00"):
            petition.with_user(self.officer)._do_accept()
        with freeze_time("2026-03-02 01:04:00"):
            self.cron.method_direct_trigger()
        self.assertIn("已过", petition.message_ids[0].body)
        pending = self._petition(
            self.zhang,
            self.cat_quality,
            subject="夜间催办",
            state="pending",
            registration_date=datetime(2026, 3, 2, 2, 0),
        )
        with freeze_time("2026-03-14 02:00:00"):
            self.env.ref(
                "xinfang_module.ir_cron_deadline_watch"
            ).method_direct_trigger()
        self.assertIn("到期", pending.activity_ids[0].summary)

    def test_dispatched_in_time_is_not_told(self):
        petition = self._hotline()
        letter = self._petition(
            self.zhang, self.cat_quality, subject="信", state="pending"
        )
        with freeze_time("2026-03-02 01:00:00"):
            (petition | letter).with_user(self.officer)._do_accept()
        self.assertFalse(letter.dispatch_deadline)  # only the hotline counts
        with freeze_time("2026-03-02 01:02:00"):
            petition.with_user(self.officer)._do_assign(self.dept_medical)
        self.assertEqual(petition.dispatch_date, datetime(2026, 3, 2, 1, 2))
        with freeze_time("2026-03-02 01:10:00"):
            self.cron.method_direct_trigger()
        self.assertFalse(self._limits(petition | letter))

    def test_the_limit_cannot_be_written_by_hand(self):
        petition = self._hotline()
        with freeze_time("2026-03-02 01:00:00"):
            petition.with_user(self.officer)._do_accept()
        for field, value in (
            ("dispatch_deadline", "2026-03-09 01:00:00"),
            ("dispatch_date", "2026-03-02 01:01:00"),
        ):
            with self.subTest(field=field), self.assertRaises(UserError):
                petition.with_user(self.manager).write({field: value})

    def test_dissatisfaction_verified_within_the_hours(self):
        self.company.xinfang_verification_hours = 24
        petition = self._petition(
            self.zhang,
            self.cat_quality,
            subject="回访",
            state="closed",
            close_date=date(2026, 3, 1),
        )
        callback = self.env["xinfang.callback"].create(
            {
                "petition_id": petition.id,
                "planned_date": date(2026, 3, 2),
                "method": "phone",
                "officer_ids": [(6, 0, self.officer.ids)],
            }
        )
        with freeze_time("2026-03-02 02:00:00"):
            callback.with_user(self.officer).write(
                {"rating": "dissatisfied", "q_solved": "no"}
            )
            callback.with_user(self.officer).action_done()
        self.assertEqual(callback.verification_deadline, datetime(2026, 3, 3, 2, 0))
        with freeze_time("2026-03-03 01:59:00"):
            self.cron.method_direct_trigger()
        self.assertFalse(self._limits(petition))
        with freeze_time("2026-03-03 02:01:00"):
            self.cron.method_direct_trigger()
        notice = self._limits(petition)
        self.assertEqual(notice.kind, "verification")
        self.assertEqual(notice.callback_id, callback)


@tagged("post_install", "-at_install")
class TestAccountability(XinfangCase):
    """问责名单 (篇3 §三2): two failures in a month or five in a year."""

    def _failures(self, department, dates, kind="notice"):
        petition = self._petition(
            self.zhang, self.cat_quality, subject="问责", state="handling"
        )
        self.env["xinfang.supervision"]._xinfang_steps().create(
            [
                {
                    "petition_id": petition.id,
                    "department_id": department.id,
                    "kind": kind,
                    "deadline": day,
                    "date": day,
                }
                for day in dates
            ]
        )

    def _listed(self, user=None):
        Accountability = self.env["xinfang.accountability"].with_user(
            user or self.officer
        )
        return {
            (row.department_id.id, row.month.month, row.failures, row.year_failures)
            for row in Accountability.search(
                [
                    ("listed", "=", True),
                    (
                        "department_id",
                        "in",
                        (self.dept_medical | self.dept_nursing).ids,
                    ),
                ]
            )
        }

    def test_thresholds(self):
        self.company.write(
            {"xinfang_accountability_month": 2, "xinfang_accountability_year": 5}
        )
        self._failures(self.dept_medical, [date(2026, 1, 5), date(2026, 1, 20)])
        self._failures(self.dept_nursing, [date(2026, 1, 5)], kind="dispatch")
        self._failures(self.dept_nursing, [date(2026, 2, 5), date(2026, 3, 5)])
        self._failures(
            self.dept_nursing,
            [date(2026, 4, 5), date(2026, 5, 5)],
            kind="rectification",
        )
        # Reminders are no failure.
        self._failures(self.dept_nursing, [date(2026, 6, 5)] * 1, kind="reminder")
        self.env.flush_all()
        self.assertEqual(
            self._listed(),
            {(self.dept_medical.id, 1, 2, 2), (self.dept_nursing.id, 5, 1, 5)},
        )
        self.assertEqual(self._listed(self.leader), self._listed())
        self.company.xinfang_accountability_year = 0
        self.env.flush_all()
        self.assertEqual(self._listed(), {(self.dept_medical.id, 1, 2, 2)})

    def test_confidential_items_are_not_counted(self):
        petition = self._petition(
            self.zhang, self.cat_accusation, subject="检举", state="handling"
        )
        self.env["xinfang.supervision"]._xinfang_steps().create(
            {
                "petition_id": petition.id,
                "department_id": self.dept_discipline.id,
                "kind": "notice",
                "deadline": date(2026, 1, 5),
                "date": date(2026, 1, 5),
            }
        )
        self.env.flush_all()
        self.assertFalse(
            self.env["xinfang.accountability"].search(
                [("department_id", "=", self.dept_discipline.id)]
            )
        )

    def test_who_reads_it(self):
        for user in (self.handler, self.registrar, self.outsider):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["xinfang.accountability"].with_user(user).search([])
        with self.assertRaises(AccessError):
            self.env["xinfang.accountability"].with_user(self.manager).create({})
