from datetime import date

from freezegun import freeze_time

from odoo import sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import format_date

from ..models.res_company import CRON_LOCK_SPACE
from .common import XinfangCase


@tagged("post_install", "-at_install")
class TestSupervision(XinfangCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.cron = cls.env.ref("xinfang_module.ir_cron_deadline_watch")
        cls.dept_manager = cls._department_head(
            cls.dept_medical, "xf_t_dept_manager", email="chief@hospital.example.cn"
        )
        with freeze_time("2026-03-02 02:00:00"):
            cls.due = cls._petition(
                cls.zhang, cls.cat_quality, subject="期限督办", state="pending"
            )
            cls.done = cls._petition(
                cls.zhang, cls.cat_quality, subject="已办结", state="closed"
            )
            cls.env.flush_all()
        # Only the two items above take part; the fixtures' other items
        # registered today are far from their deadlines.

    def _watch(self, when):
        with freeze_time(when):
            self.cron.method_direct_trigger()
        return self.env["xinfang.supervision"].search(
            [("petition_id", "in", (self.due | self.done).ids)]
        )

    def test_reminder_notice_escalation(self):
        self.assertEqual(self.due.acceptance_deadline, date(2026, 3, 17))
        self.assertFalse(self._watch("2026-03-13 02:00:00"))  # T-4
        # T-3 (14 March in Beijing): the 催办预告.
        records = self._watch("2026-03-13 20:00:00")
        self.assertEqual(records.mapped("kind"), ["reminder"])
        self.assertEqual(records.deadline, date(2026, 3, 17))
        # Acceptance is the office's decision: the office is reminded, not
        # the department.
        self.assertIn(self.officer, records.user_ids)
        self.assertIn(self.manager, records.user_ids)
        self.assertNotIn(self.handler, records.user_ids)
        self.assertNotIn(self.dept_manager, records.user_ids)
        activity = self.due.activity_ids.filtered(lambda a: a.user_id == self.officer)
        self.assertEqual(activity.date_deadline, date(2026, 3, 17))
        # The day as the user's language writes it (2026年03月17日 in
        # zh_CN), not ISO.
        self.assertIn(format_date(self.env, date(2026, 3, 17)), activity.summary)
        self.assertNotIn("2026-03-17", activity.summary)
        self.assertIn(records.name, self.due.message_ids[0].body)
        # Re-run the same day: nothing twice.
        self.assertEqual(self._watch("2026-03-14 01:00:00"), records)
        # T+1: the 督办通知, mailed to the petition office.
        records = self._watch("2026-03-18 02:00:00")
        notice = records.filtered(lambda r: r.kind == "notice")
        self.assertEqual(len(notice), 1)
        self.assertIn(self.officer, notice.user_ids)
        self.assertNotIn(self.dept_manager, notice.user_ids)
        mail = self.env["mail.mail"].search(
            [("model", "=", "xinfang.supervision"), ("res_id", "=", notice.id)]
        )
        self.assertEqual(mail.recipient_ids, notice.user_ids.partner_id)
        self.assertIn(self.due.name, mail.subject)
        self.assertFalse(self.due.escalated)
        self.assertEqual(self._watch("2026-03-18 08:00:00"), records)
        # A week later the second notice escalates the item.
        records = self._watch("2026-03-25 02:00:00")
        self.assertEqual(
            sorted(records.mapped("kind")),
            ["escalation", "notice", "notice", "reminder"],
        )
        self.assertTrue(self.due.escalated)
        self.assertIn("通报批评", self.due.criticism_suggestion)
        escalation = records.filtered(lambda r: r.kind == "escalation")
        self.assertIn(self.manager, escalation.user_ids)
        self.assertEqual(self._watch("2026-03-25 09:00:00"), records)
        # Nothing ever for the closed item.
        self.assertFalse(records.filtered(lambda r: r.petition_id == self.done))

    def test_assignment_deadlines_are_watched(self):
        with freeze_time("2026-03-02 02:00:00"):
            self.due.with_user(self.officer)._do_accept()
            assignment = self.due.with_user(self.officer)._do_assign(
                self.dept_medical, deadline=date(2026, 3, 10)
            )
        records = self._watch("2026-03-07 02:00:00")
        self.assertEqual(records.assignment_id, assignment)
        self.assertEqual(records.kind, "reminder")
        records = self._watch("2026-03-11 02:00:00")
        self.assertEqual(
            records.filtered(lambda r: r.kind == "notice").assignment_id, assignment
        )

    def test_sendbacks_escalate(self):
        self.due.with_user(self.officer)._do_accept()
        self.due.with_user(self.officer)._do_assign(self.dept_medical)
        for reason in ("第一次退回", "第二次退回"):
            self.due.write(
                {"reply_facts": "f", "reply_basis": "b", "reply_conclusion": "c"}
            )
            self.due._do_submit_reply()
            self.due.with_user(self.officer)._do_return_reply(reason)
        self.assertTrue(self.due.escalated)
        self.assertEqual(
            self.due.supervision_ids.filtered(lambda r: r.kind == "escalation").note,
            "The reply was sent back 2 times.",
        )

    def test_interrupted_run_resumes(self):
        with freeze_time("2026-03-02 02:00:00"):
            extra = self.env["xinfang.petition"]
            for index in range(4):
                extra |= self._petition(
                    self.li, self.cat_quality, subject=f"批量{index}", state="pending"
                )
            self.env.flush_all()
        Supervision = self.env["xinfang.supervision"]
        with freeze_time("2026-03-14 02:00:00"):
            self.assertEqual(Supervision._cron_deadline_watch(batch_size=2), 2)
            # The run stops here; the next one goes on where it stopped.
            self.assertEqual(Supervision._cron_deadline_watch(batch_size=2), 2)
            self.assertEqual(Supervision._cron_deadline_watch(batch_size=2), 1)
            self.assertEqual(Supervision._cron_deadline_watch(batch_size=2), 0)
        reminders = Supervision.search([("petition_id", "in", (extra | self.due).ids)])
        self.assertEqual(len(reminders), 5)
        self.assertEqual(reminders.petition_id, extra | self.due)

    def test_a_second_run_at_once_does_nothing(self):
        """The deadline watch started twice at once (a shell, a server
        action, another worker): the second run finds the first one's lock,
        does nothing and fails on nothing; once the first has ended, a run
        does the work (issue 18)."""
        Supervision = self.env["xinfang.supervision"]
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            # Another connection is running the watch: it holds its lock.
            other.execute(
                "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))",
                [CRON_LOCK_SPACE, "_cron_deadline_watch"],
            )
            self.assertTrue(other.fetchone()[0])
            with freeze_time("2026-03-14 02:00:00"):
                self.assertEqual(Supervision._cron_deadline_watch(), 0)
            self.assertFalse(Supervision.search([("petition_id", "=", self.due.id)]))
        finally:
            other.rollback()
            other.close()
        with freeze_time("2026-03-14 02:00:00"):
            self.assertEqual(Supervision._cron_deadline_watch(), 1)
        self.assertTrue(Supervision.search([("petition_id", "=", self.due.id)]))

    def test_leader_cannot_act_on_confidential_items(self):
        # Leaders act through superuser writes: the item must still be theirs
        # to read.
        with self.assertRaises(AccessError):
            self.p_confidential.with_user(self.leader).action_own_case()
        with self.assertRaises(AccessError):
            self.p_confidential.with_user(self.leader)._do_record_instruction("批示")
        self.assertFalse(self.p_confidential.owner_leader_id)

    def test_owned_case_needs_sign_off(self):
        petition = self.due
        petition.with_user(self.officer)._do_accept()
        with self.assertRaises(AccessError):
            petition.with_user(self.officer).action_own_case()
        petition.with_user(self.leader).action_own_case()
        self.assertEqual(petition.owner_leader_id, self.leader)
        owned = (
            self.env["xinfang.petition"]
            .with_user(self.leader)
            .search([("owner_leader_id", "=", self.leader.id)])
        )
        self.assertEqual(owned, petition)
        petition.with_user(self.officer)._do_assign(self.dept_medical)
        petition.write(
            {"reply_facts": "f", "reply_basis": "b", "reply_conclusion": "c"}
        )
        petition._do_submit_reply()
        petition.with_user(self.officer)._do_approve_reply()
        with self.assertRaisesRegex(UserError, "signs it off"):
            petition.with_user(self.manager)._do_close("报告", "phone", date.today())
        with self.assertRaisesRegex(UserError, "Only the owning leader"):
            petition.with_user(self.manager).action_owner_signoff()
        petition.with_user(self.leader).action_owner_signoff()
        petition.with_user(self.manager)._do_close("报告", "phone", date.today())
        self.assertEqual(petition.state, "closed")

    def test_supervision_access(self):
        records = self._watch("2026-03-18 02:00:00")
        notice = records.filtered(lambda r: r.kind == "notice")
        Supervision = self.env["xinfang.supervision"]
        self.assertEqual(
            Supervision.with_user(self.handler).search([("id", "in", records.ids)]),
            records,
        )
        self.assertFalse(
            Supervision.with_user(self.handler_nursing).search(
                [("id", "in", records.ids)]
            )
        )
        self.assertTrue(
            Supervision.with_user(self.leader).search([("id", "=", notice.id)])
        )
        # Handlers answer; only the office creates or cancels.
        notice.with_user(self.handler).write({"response": "已加快办理"})
        notice.with_user(self.handler).action_answer()
        self.assertEqual(notice.state, "answered")
        with self.assertRaises(AccessError):
            notice.with_user(self.handler).action_cancel()
        with self.assertRaisesRegex(UserError, "change only through their step"):
            notice.with_user(self.handler).write({"kind": "reminder"})
        with self.assertRaises(AccessError):
            Supervision.with_user(self.handler).create(
                {"petition_id": self.due.id, "kind": "notice", "deadline": date.today()}
            )
        with self.assertRaises(AccessError):
            Supervision.with_user(self.leader).create(
                {"petition_id": self.due.id, "kind": "notice", "deadline": date.today()}
            )
        # An answered notice is evidence: it is not cancelled afterwards.
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            notice.with_user(self.officer).action_cancel()
        self.assertEqual(notice.state, "answered")

    def test_handling_stage_reminders_go_to_the_department_contacts(self):
        with freeze_time("2026-03-02 02:00:00"):
            self.due.with_user(self.officer)._do_accept()
            self.due.with_user(self.officer)._do_assign(
                self.dept_medical, deadline=date(2026, 3, 10)
            )
        member = self._department_member()
        records = self._watch("2026-03-07 02:00:00")
        self.assertIn(self.handler, records.user_ids)  # the petition contact
        self.assertIn(self.dept_manager, records.user_ids)  # the head
        self.assertNotIn(member, records.user_ids)  # not every member
        self.assertNotIn(self.officer, records.user_ids)

    def _department_member(self):
        member = new_test_user(
            self.env,
            login="xf_t_member",
            groups="base.group_user,xinfang_module.group_xinfang_handler",
        )
        self.env["hr.employee"].create(
            {
                "name": "member",
                "user_id": member.id,
                "department_id": self.dept_medical.id,
            }
        )
        return member

    def test_department_figures(self):
        self._watch("2026-03-18 02:00:00")
        self._watch("2026-03-25 02:00:00")
        with freeze_time("2026-03-25 02:00:00"):
            self.env["xinfang.petition"]._cron_refresh_deadline_status()
        few = (self.dept_medical | self.dept_nursing).with_user(self.officer)
        many = few | self.env["hr.department"].create(
            [{"name": f"科室{index}", "xinfang_handles": True} for index in range(10)]
        ).with_user(self.officer)

        def queries(departments):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            departments.mapped("xinfang_open_count")
            return self.cr.sql_log_count - before

        queries(few)  # warm the caches (access rules, groups)
        # One _read_group per figure, not one query per department.
        self.assertEqual(queries(few), queries(many))
        medical = few[0]
        self.assertGreaterEqual(medical.xinfang_open_count, 2)
        self.assertEqual(medical.xinfang_overdue_count, 1)
        self.assertEqual(medical.xinfang_notice_count, 2)
        self.assertEqual(medical.xinfang_escalation_count, 1)


@tagged("post_install", "-at_install")
class TestSupervisionStaleRun(XinfangCase):
    """In a class of its own: its transaction must begin before the other
    run commits, and the other tests' transactions after."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        with freeze_time("2026-03-02 02:00:00"):
            cls.due = cls._petition(
                cls.zhang, cls.cat_quality, subject="期限督办", state="pending"
            )
            cls.env.flush_all()

    def test_a_run_that_cannot_see_the_last_one_does_nothing(self):
        """A run whose snapshot is older than another run's commit (it
        started reading before that run ended, then got the free lock)
        would not see that run's records and make them again: it gives up
        (issue 18)."""
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            # Another run of the watch, ended after this transaction began.
            other.execute(
                """INSERT INTO xinfang_cron_run (action, run_at)
                   VALUES ('_cron_deadline_watch', now())
                   ON CONFLICT (action) DO UPDATE SET run_at = now()"""
            )
            other.commit()
        finally:
            other.close()
        Supervision = self.env["xinfang.supervision"]
        with freeze_time("2026-03-14 02:00:00"):
            self.assertEqual(Supervision._cron_deadline_watch(), 0)
        self.assertFalse(Supervision.search([("petition_id", "=", self.due.id)]))
        # The next run, in a transaction that sees the other one, works:
        # here, the same transaction cannot, whatever it tries.
        with freeze_time("2026-03-14 02:00:00"):
            self.assertEqual(Supervision._cron_deadline_watch(), 0)


@tagged("post_install", "-at_install")
class TestSupervisionQueries(XinfangCase):
    def test_queries_per_batch_do_not_grow_with_due_items(self):
        """5,000 due items: every batch costs the same number of queries."""
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        Petition = self.env["xinfang.petition"].with_context(
            tracking_disable=True, mail_create_nolog=True
        )
        with freeze_time("2026-03-02 02:00:00"):
            Petition.create(
                [
                    {
                        "channel": "letter",
                        "subject": f"批量督办{index}",
                        "category_id": self.cat_quality.id,
                        "state": "pending",
                    }
                    for index in range(5000)
                ]
            )
            self.env.flush_all()
        Supervision = self.env["xinfang.supervision"]
        counts = []
        with freeze_time("2026-03-14 02:00:00"):
            for _batch in range(4):
                self.env.invalidate_all()
                before = self.cr.sql_log_count
                self.assertEqual(Supervision._cron_deadline_watch(batch_size=500), 500)
                counts.append(self.cr.sql_log_count - before)
        # The same work per batch, whatever is left behind it (the first
        # batch also warms the caches).
        self.assertLessEqual(max(counts[1:]) - min(counts[1:]), 5, counts)
        # Bounded: the sequence takes one query per record, the rest is batched.
        self.assertLess(max(counts), 500 + 120, counts)
