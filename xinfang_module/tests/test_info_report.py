from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import XinfangCase


@tagged("post_install", "-at_install", "xinfang_security")
class TestInformationReports(XinfangCase):
    """信息报送 (issue 15, item 5): a collective visit drafts the immediate
    report, a reminder comes two hours later if it is still unwritten, the
    office manager approves, the month-end summary is a zero report when
    nothing happened."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("xinfang_module.ir_cron_info_reports")
        cls.company.xinfang_setup_done = True
        # The company works in Shanghai, whatever the database was made with.
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.Report = cls.env["xinfang.info.report"]

    def _collective_visit(self, subject="集体反映停车收费"):
        return (
            self.env["xinfang.visit"]
            .with_user(self.registrar)
            .create(
                {
                    "subject": subject,
                    "petitioner_ids": [(6, 0, self.zhang.ids)],
                    "said": "要求取消停车收费",
                    "people_count": 12,
                }
            )
        )

    def test_collective_visit_proposes_the_immediate_report(self):
        with freeze_time("2026-11-02 01:00:00"):
            visit = self._collective_visit()
        report = self.Report.search([("visit_id", "=", visit.id)])
        self.assertEqual(report.kind, "immediate")
        self.assertEqual(report.state, "draft")
        self.assertEqual(report.people_count, 12)
        self.assertRegex(report.name, r"^XB2026-\d{4}$")
        self.assertIn(report.name, visit.message_ids[0].body)
        # Once per visit.
        visit.sudo().write({"abnormal": True})
        self.assertEqual(self.Report.search_count([("visit_id", "=", visit.id)]), 1)
        # Not written after two hours: the office managers are reminded, once.
        with freeze_time("2026-11-02 02:30:00"):
            self.cron.method_direct_trigger()
        self.assertFalse(report.activity_ids)
        with freeze_time("2026-11-02 03:05:00"):
            self.cron.method_direct_trigger()
            self.cron.method_direct_trigger()
        self.assertIn(self.manager, report.activity_ids.user_id)
        self.assertNotIn(self.officer, report.activity_ids.user_id)
        self.assertEqual(len(report.activity_ids), len(report.activity_ids.user_id))
        # Written, submitted by the office, approved by the office manager.
        report = report.with_user(self.officer)
        with self.assertRaises(UserError):
            report.action_submit()  # nothing said yet
        report.write(
            {
                "phone_report_time": "2026-11-02 01:20:00",
                "phone_report_to": "市卫健委办公室",
                "situation": "十二名患者家属反映停车收费过高",
                "measures": "院办主任接待，承诺三日内答复",
            }
        )
        report.action_submit()
        with self.assertRaises(UserError):
            report.action_approve()  # the officer does not approve
        report.with_user(self.manager).action_approve()
        self.assertEqual(report.state, "approved")
        with self.assertRaises(UserError):
            report.write({"measures": "改写"})
        # The PDF names what, where, how many and the phone report.
        html = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            ._render_qweb_pdf("xinfang_module.xinfang_info_report_report", report.ids)[
                0
            ]
            .decode()
        )
        for part in ("集体反映停车收费", "市卫健委办公室", "承诺三日内答复"):
            self.assertIn(part, html)
        # A follow-up continues it.
        context = report.action_followup()["context"]
        followup = (
            self.Report.with_user(self.officer)
            .with_context(**context)
            .create({"situation": "家属已离开", "measures": "继续沟通"})
        )
        self.assertEqual(followup.parent_id, report)
        self.assertEqual(followup.kind, "followup")

    def test_month_end_summary_and_zero_report(self):
        with freeze_time("2026-11-02 01:00:00"):
            self._collective_visit()
        # 1 December, 01:00 in Shanghai: December's, not November's.
        with freeze_time("2026-11-30 17:00:00"):
            self._collective_visit("夜间集体访")
        with freeze_time("2026-12-01 02:00:00"):
            self.cron.method_direct_trigger()
            self.cron.method_direct_trigger()
        november = self.Report.search(
            [
                ("company_id", "=", self.company.id),
                ("kind", "=", "monthly"),
                ("month", "=", date(2026, 11, 1)),
            ]
        )
        self.assertEqual(len(november), 1)
        self.assertFalse(november.zero_report)
        self.assertIn("集体反映停车收费", november.situation)
        self.assertNotIn("夜间集体访", november.situation)
        # A month without any event: the zero report (a month long past, so
        # that nothing the database holds falls into it).
        with freeze_time("2020-06-01 02:00:00"):
            self.cron.method_direct_trigger()
        may = self.Report.search(
            [
                ("company_id", "=", self.company.id),
                ("kind", "=", "monthly"),
                ("month", "=", date(2020, 5, 1)),
            ]
        )
        self.assertEqual(len(may), 1)
        self.assertTrue(may.zero_report)
        # In the company's language (Chinese or, without it, English).
        self.assertRegex(may.situation, r"^(零报告|Zero report)")
        self.assertNotIn("集体反映停车收费", may.situation)

    def test_who_reads_and_writes(self):
        with freeze_time("2026-11-02 01:00:00"):
            report = self.Report.search(
                [("visit_id", "=", self._collective_visit().id)]
            )
        for user in (self.handler, self.registrar):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                report.with_user(user).read(["situation"])
        self.assertTrue(report.with_user(self.leader).read(["situation"]))
        with self.assertRaises(AccessError):
            report.with_user(self.leader).write({"situation": "改写"})
        for user in (self.officer, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                report.with_user(user).unlink()
        # Steps only: no approval by a write.
        with self.assertRaises(UserError):
            report.with_user(self.officer).write({"state": "approved"})
        # A follow-up needs its immediate report; a summary its month.
        with self.assertRaises(UserError):
            self.Report.with_user(self.officer).create(
                {"kind": "followup", "subject": "续报"}
            )
        with self.assertRaises(UserError):
            self.Report.with_user(self.officer).create(
                {"kind": "monthly", "subject": "汇总", "month": "2026-11-15"}
            )
        # Rendering as superuser (a mail composer) still checks the user.
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(
                self.handler
            ).sudo()._render_qweb_pdf(
                "xinfang_module.xinfang_info_report_report", report.ids
            )
