from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import XinfangCase


@tagged("post_install", "-at_install")
class TestKpi(XinfangCase):
    """The facts the steps store, and the KPI computed from them, against
    figures counted by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.Kpi = cls.env["xinfang.kpi"]

    def _item(self, subject, **vals):
        return self._petition(
            self.zhang,
            self.cat_quality,
            subject=subject,
            state="pending",
            registration_date=datetime(2026, 3, 2, 2, 0),
            **vals,
        )

    def _walk(self, petition, accept, close=None):
        """Accept on ``accept``, route, reply and close on ``close``."""
        with freeze_time(f"{accept} 02:00:00"):
            petition.with_user(self.officer)._do_accept()
            petition.with_user(self.officer)._do_assign(self.dept_medical)
        if close:
            with freeze_time(f"{close} 02:00:00"):
                petition.with_user(self.handler).write(
                    {"reply_facts": "f", "reply_basis": "b", "reply_conclusion": "c"}
                )
                petition.with_user(self.handler)._do_submit_reply()
                petition.with_user(self.officer)._do_approve_reply()
                petition.with_user(self.manager)._do_close(
                    "办结", notify_method="phone", notify_date=date.fromisoformat(close)
                )

    def test_facts_and_rates(self):
        # Acceptance deadline 2026-03-17, handling 60 days from acceptance.
        on_time = self._item("按期")
        late_decision = self._item("受理超期")
        late_close = self._item("办结超期")
        open_item = self._item("在办")
        self._walk(on_time, "2026-03-05", "2026-04-01")
        self._walk(late_decision, "2026-03-20", "2026-04-10")
        self._walk(late_close, "2026-03-05", "2026-05-14")
        self._walk(open_item, "2026-03-05")
        self.assertTrue(on_time.decided_on_time)
        self.assertFalse(late_decision.decided_on_time)
        self.assertEqual(late_close.handling_deadline, date(2026, 5, 4))
        self.assertFalse(late_close.closed_on_time)
        self.assertFalse(late_close.replied_on_time)
        self.assertEqual(late_close.overdue_days_at_close, 10)
        self.assertEqual(late_close.handling_days_at_close, 70)
        self.assertTrue(on_time.closed_on_time)
        self.assertEqual(on_time.overdue_days_at_close, 0)
        self.assertEqual(on_time.handling_days_at_close, 27)
        # The facts are the steps': nobody writes them by hand.
        for field, value in (("closed_on_time", True), ("overdue_days_at_close", 0)):
            with self.subTest(field=field), self.assertRaises(UserError):
                late_close.with_user(self.manager).write({field: value})
        # A later change of the settings does not rewrite the facts.
        self.company.xinfang_handling_days = 90
        self.assertFalse(late_close.closed_on_time)
        # Callbacks: two rated, one satisfied.
        for petition, rating in ((on_time, "satisfied"), (late_close, "dissatisfied")):
            callback = self.env["xinfang.callback"].create(
                {
                    "petition_id": petition.id,
                    "planned_date": date(2026, 5, 20),
                    "method": "phone",
                    "officer_ids": [(6, 0, self.officer.ids)],
                }
            )
            callback.with_user(self.officer).write(
                {"rating": rating, "q_solved": "yes"}
            )
            callback.with_user(self.officer).action_done()
        items = on_time | late_decision | late_close | open_item
        figures = self.Kpi._figures([("id", "in", items.ids)])[None]
        self.assertEqual(figures["timely_acceptance"], (75.0, 3, 4))
        self.assertEqual(figures["on_time_completion"][1:], (2, 3))
        self.assertEqual(figures["callback"][1:], (2, 3))
        self.assertEqual(figures["satisfaction"], (50.0, 1, 2))
        self.assertEqual(figures["repeat"], (0.0, 0, 4))
        # Closed late, and the open item, past its deadline of 2026-05-04 now.
        self.assertEqual(figures["overdue"][0], 2)
        self.assertEqual(figures["average_handling_days"][1:], (27 + 21 + 70, 3))
        self.assertEqual(self.Kpi._format(figures["satisfaction"][0]), "50.00 %")
        # Per department, as the department's handler reads it.
        self.assertEqual(
            self.dept_medical.with_user(self.handler).xinfang_satisfaction_rate,
            "50.00 %",
        )

    def test_no_base_is_a_dash(self):
        figures = self.Kpi._figures([("id", "=", 0)])[None]
        self.assertEqual(figures["satisfaction"], (None, 0, 0))
        self.assertEqual(figures["average_handling_days"], (None, 0, 0))
        self.assertEqual(self.Kpi._format(None), "—")
        self.assertEqual(self.dept_nursing.xinfang_on_time_rate, "—")

    def test_nature_from_the_category(self):
        self.cat_quality.request_nature = "complaint"
        petition = self._item("性质")
        self.assertEqual(petition.request_nature, "complaint")
        self.assertEqual(self.p_confidential.request_nature, "report")
        petition.request_nature = "consultation"  # the registrar's choice
        self.assertEqual(petition.request_nature, "consultation")

    def test_queries_do_not_grow(self):
        counts = []
        for count in (5, 50):
            self.env["xinfang.petition"].create(
                [
                    {
                        "channel": "letter",
                        "petitioner_id": self.zhang.id,
                        "category_id": self.cat_quality.id,
                        "content": "内容",
                        "subject": f"统计{count}-{index}",
                    }
                    for index in range(count)
                ]
            )
            self.env.flush_all()
            before = self.cr.sql_log_count
            self.Kpi._figures([], "department_id")
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
