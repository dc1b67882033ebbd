import base64
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import XinfangCase


@tagged("post_install", "-at_install", "xinfang_security")
class TestUpperLevelItems(XinfangCase):
    """Items from upper-level bodies (issue 15, item 3): the due-back date
    from the body's limit on the working calendar, 初报/续报/报结 with the
    three files and a leader's approval, the watch before and after the
    date, and who may read and write the reports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.cron = cls.env.ref("xinfang_module.ir_cron_deadline_watch")
        cls.city = cls.env.ref("xinfang_module.source_body_city")
        cls.hotline = cls.env.ref("xinfang_module.source_body_12345")
        with freeze_time("2026-03-02 02:00:00"):
            # Registered from the city bureau's transfer letter, by the
            # registrar, over JSON-RPC (no form onchange).
            cls.assigned = (
                cls.env["xinfang.petition"]
                .with_user(cls.registrar)
                .create(
                    {
                        "channel": "letter",
                        "petitioner_id": cls.zhang.id,
                        "category_id": cls.cat_quality.id,
                        "subject": "市信访局交办：挂号难",
                        "content": "内容",
                        "source_body_id": cls.city.id,
                        "source_ref": "市信交〔2026〕18号",
                        "source_date": "2026-03-02",
                    }
                )
                .sudo()
            )
            cls.assigned._xinfang_steps().write({"state": "pending"})
            cls.env.flush_all()

    def _watch(self, when):
        with freeze_time(when):
            self.cron.method_direct_trigger()
        return self.env["xinfang.supervision"].search(
            [
                ("petition_id", "=", self.assigned.id),
                ("kind", "in", ("report_back_reminder", "report_back_notice")),
            ]
        )

    def _file(self, report, name):
        return (
            self.env["ir.attachment"]
            .with_user(self.officer)
            .create(
                {
                    "name": name,
                    "datas": base64.b64encode(b"%PDF-1.4 test"),
                    "res_model": "xinfang.report.back",
                    "res_id": report.id,
                }
            )
        )

    def _report(self, kind, user=None):
        return (
            self.env["xinfang.report.back"]
            .with_user(user or self.officer)
            .create(
                {
                    "petition_id": self.assigned.id,
                    "kind": kind,
                    "content": "已约谈挂号处负责人，增开两个窗口。",
                }
            )
        )

    def test_due_back_date_from_the_body(self):
        # 30 calendar days from the transfer date, proposed at creation.
        self.assertEqual(self.assigned.source_kind, "assigned")
        self.assertEqual(self.assigned.source_due_date, date(2026, 4, 1))
        self.assertEqual(self.assigned.report_back_status, "due")
        # A hotline counts working days on the company's calendar: 5 working
        # days from Friday 6 March 2026 end on Friday 13 March.
        self.assertEqual(
            self.hotline._due_back_date(self.company, date(2026, 3, 6)),
            date(2026, 3, 13),
        )
        # A body's own date wins; a date before the transfer is refused.
        with self.assertRaises(UserError):
            self.assigned.with_user(self.officer).write(
                {"source_due_date": "2026-03-01"}
            )
        # An assigned item without a date to report back by is refused.
        no_limit = self.city.copy({"name": "无期限机关", "due_back_days": 0})
        with self.assertRaises(UserError):
            self._petition(
                self.zhang,
                self.cat_quality,
                subject="无期限",
                source_body_id=no_limit.id,
                source_date="2026-03-02",
            )
        # A forwarded item (转送) owes nothing.
        forwarded = self._petition(
            self.zhang,
            self.cat_quality,
            subject="转送件",
            source_body_id=self.city.id,
            source_kind="forwarded",
            source_date="2026-03-02",
        )
        self.assertEqual(forwarded.report_back_status, "none")
        with self.assertRaises(UserError):
            self.env["xinfang.report.back"].with_user(self.officer).create(
                {"petition_id": forwarded.id, "kind": "initial", "content": "x"}
            )

    def test_initial_followup_final(self):
        initial = self._report("initial")
        initial.action_send()
        self.assertEqual(self.assigned.report_back_status, "initial")
        self.assertIn("初报", self.assigned.message_ids[0].body)
        # Sent is final: neither the content nor the state change by a write.
        with self.assertRaises(UserError):
            initial.write({"content": "改写"})
        with self.assertRaises(UserError):
            initial.write({"state": "draft"})
        followup = self._report("followup")
        followup.action_send()
        self.assertEqual(self.assigned.report_back_status, "followup")
        # 报结 reports a result: not of an open item.
        final = self._report("final")
        for name in ("调查报告.pdf", "处理结论.pdf", "双方意见.pdf"):
            self._file(final, name)
        with self.assertRaises(UserError):
            final.with_user(self.leader).action_approve()
        self.assigned._xinfang_steps().write({"state": "closed"})
        # 报结: the three files, then a leader's approval, then sending.
        with self.assertRaises(UserError):
            final.with_user(self.leader).action_approve()
        investigation = self._file(final, "调查报告.pdf")
        conclusion = self._file(final, "处理结论.pdf")
        opinions = self._file(final, "双方意见.pdf")
        final.write(
            {
                "investigation_attachment_ids": [(6, 0, investigation.ids)],
                "conclusion_attachment_ids": [(6, 0, conclusion.ids)],
            }
        )
        with self.assertRaises(UserError):
            final.with_user(self.leader).action_approve()
        final.write({"opinion_attachment_ids": [(6, 0, opinions.ids)]})
        with self.assertRaises(UserError):
            final.action_send()  # not approved yet
        with self.assertRaises(UserError):
            final.with_user(self.handler).action_approve()
        final.with_user(self.leader).action_approve()
        self.assertEqual(final.approver_id, self.leader)
        # Its files are evidence from now on.
        with self.assertRaises(UserError):
            investigation.with_user(self.officer).write({"datas": b"eA=="})
        with self.assertRaises(UserError):
            investigation.with_user(self.officer).unlink()
        final.action_send()
        self.assertEqual(self.assigned.report_back_status, "done")
        # Nothing more after the 报结.
        late = self._report("followup")
        with self.assertRaises(UserError):
            late.action_send()
        # The letter names the body, its reference and the files.
        html = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            ._render_qweb_pdf("xinfang_module.xinfang_report_back_report", final.ids)[0]
            .decode()
        )
        for part in ("市信访局", "市信交〔2026〕18号", "1. 调查报告", "3. 双方意见"):
            self.assertIn(part, html)

    def test_nobody_signs_off_their_own_final_report(self):
        self.assigned._xinfang_steps().write({"state": "closed"})
        final = self._report("final", user=self.manager)
        # Uploaded apart, then linked: the report adopts the files.
        files = (
            self.env["ir.attachment"]
            .with_user(self.manager)
            .create(
                [
                    {"name": name, "datas": base64.b64encode(b"x")}
                    for name in ("调查报告", "处理结论", "双方意见")
                ]
            )
        )
        final.write(
            {
                "investigation_attachment_ids": [(6, 0, files[0].ids)],
                "conclusion_attachment_ids": [(6, 0, files[1].ids)],
                "opinion_attachment_ids": [(6, 0, files[2].ids)],
            }
        )
        self.assertEqual(set(files.mapped("res_model")), {"xinfang.report.back"})
        with self.assertRaises(UserError):
            final.with_user(self.manager).action_approve()
        final.with_user(self.leader).action_approve()
        self.assertEqual(final.state, "approved")

    def test_letter_not_through_superuser_rendering(self):
        report = self._report("initial")
        Report = self.env["ir.actions.report"].with_user(self.handler).sudo()
        with self.assertRaises(AccessError):
            Report._render_qweb_pdf(
                "xinfang_module.xinfang_report_back_report", report.ids
            )

    def test_watch_before_and_after_the_due_back_date(self):
        # Three days before 1 April: the office is reminded.
        self.assertFalse(self._watch("2026-03-27 02:00:00"))
        records = self._watch("2026-03-29 02:00:00")
        self.assertEqual(records.mapped("kind"), ["report_back_reminder"])
        self.assertIn(self.officer, records.user_ids)
        self.assertNotIn(self.handler, records.user_ids)
        # The office's to answer: the department's handlers do not read it.
        self.assigned.sudo().department_id = self.dept_medical
        self.assertFalse(
            self.env["xinfang.supervision"]
            .with_user(self.handler)
            .search([("id", "in", records.ids)])
        )
        # Twice the same day: nothing twice.
        self.assertEqual(self._watch("2026-03-29 05:00:00"), records)
        # After the date: the notice, also once the item is closed.
        self.assigned._xinfang_steps().write({"state": "closed"})
        records = self._watch("2026-04-02 02:00:00")
        self.assertEqual(
            sorted(records.mapped("kind")),
            ["report_back_notice", "report_back_reminder"],
        )
        self.assertIn("逾期未报结", self.assigned.message_ids[0].body)
        # Once reported back (报结), the watch is silent.
        self.env["xinfang.report.back"].sudo().create(
            {"petition_id": self.assigned.id, "kind": "final", "content": "x"}
        )._xinfang_steps().write({"state": "sent"})
        self.assertEqual(self.assigned.report_back_status, "done")
        self.assertEqual(self._watch("2026-04-20 02:00:00"), records)

    def test_who_reads_and_writes_reports_back(self):
        report = self._report("initial")
        # The handling department and the intake desk do not read them.
        for user in (self.handler, self.registrar):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                report.with_user(user).read(["content"])
        # A leader reads and approves, never writes or sends.
        self.assertTrue(report.with_user(self.leader).read(["content"]))
        with self.assertRaises(AccessError):
            report.with_user(self.leader).write({"content": "改写"})
        with self.assertRaises(UserError):
            report.with_user(self.leader).action_send()
        # Nobody deletes one.
        for user in (self.officer, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                report.with_user(user).unlink()
        # Sending is a step: never forged by a write.
        with self.assertRaises(UserError):
            report.write({"state": "sent"})
        # Another item's original is not attached through its id.
        original = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": "原件.pdf",
                    "datas": base64.b64encode(b"x"),
                    "res_model": "xinfang.petition",
                    "res_id": self.p_confidential.id,
                }
            )
        )
        with self.assertRaises(UserError):
            report.write({"investigation_attachment_ids": [(4, original.id)]})
        # Confidential items' reports: discipline and the manager only.
        self.p_confidential.sudo().write(
            {
                "source_body_id": self.city.id,
                "source_kind": "assigned",
                "source_date": "2026-03-02",
                "source_due_date": "2026-04-01",
            }
        )
        secret = (
            self.env["xinfang.report.back"]
            .with_user(self.manager)
            .create(
                {
                    "petition_id": self.p_confidential.id,
                    "kind": "initial",
                    "content": "保密",
                }
            )
        )
        Report = self.env["xinfang.report.back"]
        self.assertNotIn(secret, Report.with_user(self.officer).search([]))
        self.assertNotIn(secret, Report.with_user(self.leader).search([]))
        self.assertIn(secret, Report.with_user(self.discipline).search([]))
        # The handler reads the item's source fields, not its reports.
        petition = self.assigned.with_user(self.officer)
        self.assertEqual(petition.source_body_id, self.city)
        self.assertFalse(
            "report_back_ids"
            in self.assigned.with_user(self.handler).fields_get(["report_back_ids"])
        )

    def test_key_case_setting(self):
        self.assertFalse(self.assigned.key_case)
        self.company.xinfang_upper_key_cases = True
        self.assertTrue(self.assigned.key_case)
        Petition = self.env["xinfang.petition"].with_user(self.officer)
        self.assertIn(self.assigned, Petition.search([("key_case", "=", True)]))
        self.assertNotIn(self.p_medical, Petition.search([("key_case", "=", True)]))
        # Only the office changes the source data of a registered item.
        self.assigned._xinfang_steps().write({"state": "handling"})
        self.assigned.sudo().department_id = self.dept_medical
        self.assertTrue(self.assigned.with_user(self.handler).has_access("read"))
        with self.assertRaises(UserError):
            self.assigned.with_user(self.handler).write({"source_ref": "伪造"})


@tagged("post_install", "-at_install", "xinfang_security")
class TestTransferOut(XinfangCase):
    """转送 (issue 15, item 4): a redirected item sent to the competent body
    with a slip, a receipt coming back, and the petitioner told where it
    went."""

    def _print(self, xmlid, petition):
        Report = self.env["ir.actions.report"].with_user(self.officer)
        return Report._render_qweb_pdf(xmlid, petition.ids)[0].decode()

    def test_transfer_slip_and_receipt(self):
        petition = self.p_medical.with_user(self.officer)
        Decision = self.env["xinfang.petition.decision"].with_user(self.officer)
        Decision.create(
            {
                "petition_id": petition.id,
                "decision": "redirected",
                "reason": "属市医保局职责",
                "competent_body": "市医疗保障局",
                "transfer_method": "system",
            }
        ).action_confirm()
        self.assertEqual(petition.state, "redirected")
        self.assertTrue(petition.transfer_out_date)
        self.assertEqual(petition.transfer_out_method, "system")
        # The slip goes to the competent body; the notice says where it went.
        slip = self._print("xinfang_module.xinfang_petition_report_transfer", petition)
        self.assertIn("市医疗保障局", slip)
        self.assertIn(petition.subject, slip)
        notice = self._print("xinfang_module.xinfang_petition_report_refusal", petition)
        self.assertIn("transferred it to 市医疗保障局", notice)
        # The receipt: not before the transfer, once.
        Receipt = self.env["xinfang.petition.receipt"].with_user(self.officer)
        with self.assertRaises(UserError):
            Receipt.create(
                {"petition_id": petition.id, "receipt_date": "2000-01-01"}
            ).action_confirm()
        Receipt.create(
            {"petition_id": petition.id, "reference": "医保回〔2026〕3号"}
        ).action_confirm()
        self.assertEqual(petition.transfer_receipt_ref, "医保回〔2026〕3号")
        with self.assertRaises(UserError):
            petition._do_record_receipt(petition.transfer_receipt_date, "again")
        # Recorded by the steps only.
        with self.assertRaises(UserError):
            petition.write({"transfer_receipt_date": False})
        with self.assertRaises(UserError):
            self.p_nursing.with_user(self.officer)._do_record_receipt("2026-12-01", "x")

    def test_told_only_has_no_slip(self):
        petition = self.p_medical.with_user(self.officer)
        petition._do_refuse("redirected", "属市医保局职责", "市医疗保障局")
        self.assertFalse(petition.transfer_out_date)
        with self.assertRaises(UserError):
            self._print("xinfang_module.xinfang_petition_report_transfer", petition)
        notice = self._print("xinfang_module.xinfang_petition_report_refusal", petition)
        self.assertIn("Please address your request to 市医疗保障局", notice)
