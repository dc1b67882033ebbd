import io
import unicodedata
from datetime import date

from PyPDF2 import PdfFileReader

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

# A 4x2 black-on-white PNG standing in for a signature.
SIGNATURE_PNG = (
    b"iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAAAAABawyK/AAAAEklEQVR4nGP8z8DAwMTAyMAA"
    b"AAkYAQSTwKiCAAAAAElFTkSuQmCC"
)


@tagged("post_install", "-at_install")
class TestPetitionReports(HttpCase):
    """Each notice renders as a real PDF (wkhtmltopdf, CJK fonts) in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "=", "xinfang_module")]
        )._update_translations(["zh_CN"])
        cls.env.company.partner_id.lang = "zh_CN"
        department = cls.env["hr.department"].create(
            {"name": "医务科报表", "xinfang_handles": True}
        )
        cls.env.company.xinfang_discipline_department_id = department
        cls.officer = new_test_user(
            cls.env,
            login="xf_report_manager",
            groups="base.group_user,xinfang_module.group_xinfang_manager",
            lang="zh_CN",
        )
        petitioner = cls.env["xinfang.petitioner"].create({"name": "欧阳明"})
        category = cls.env["xinfang.category"].create(
            {"name": "报表分类", "department_id": department.id}
        )
        # Registered items, as the office finds them (created as superuser).
        Petition = cls.env["xinfang.petition"]
        cls.petition = Petition.create(
            {
                "channel": "letter",
                "subject": "急诊输液室座椅不足",
                "content": "内容",
                "summary": "患者反映输液室座椅不足",
                "petitioner_id": petitioner.id,
                "category_id": category.id,
                "state": "pending",
            }
        )
        cls.refused = Petition.create(
            {
                "channel": "phone",
                "subject": "要求赔偿停车费",
                "petitioner_id": petitioner.id,
                "state": "pending",
            }
        )
        cls.petition = cls.petition.with_user(cls.officer)
        cls.refused = cls.refused.with_user(cls.officer)
        cls.refused._do_refuse("redirected", "不属于本院职责", "市交通运输局")
        cls.petition._do_accept()
        cls.assignment = cls.petition._do_assign(department)
        cls.petition._do_request_extension(15, "需要调取监控录像")
        cls.petition.extension_ids.action_approve()
        cls.petition.write(
            {
                "reply_facts": "经查输液室现有座椅四十张",
                "reply_basis": "门诊服务规范",
                "reply_conclusion": "已增加座椅二十张",
            }
        )
        cls.petition._do_submit_reply()
        cls.petition._do_approve_reply()
        cls.petition._do_close("输液室已整改完毕", "phone", date.today())

    def setUp(self):
        super().setUp()
        # wkhtmltopdf loads the report styles from this test's own server.
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())

    def _pdf_text(self, xmlid, records):
        # As the web client does: in the user's language (zh_CN).
        report = (
            self.env.ref(xmlid)
            .with_user(self.officer)
            .with_context(lang="zh_CN", force_report_rendering=True)
        )
        pdf, kind = report._render_qweb_pdf(xmlid, records.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        reader = PdfFileReader(io.BytesIO(pdf))
        text = "".join(page.extract_text() for page in reader.pages)
        # The CJK font maps some characters to Kangxi radicals (⾜ for 足):
        # NFKC folds them back.
        text = unicodedata.normalize("NFKC", text)
        return "".join(text.split())

    def test_acceptance_notice(self):
        text = self._pdf_text(
            "xinfang_module.xinfang_petition_report_acceptance", self.petition
        )
        self.assertIn("急诊输液室座椅不足", text)
        # NFKC folds the full-width colon of the addressee.
        self.assertIn("欧阳明:", text)
        self.assertIn("受理告知书", text)
        # GB/T 9704: the issuing body, the document number, the legal basis,
        # the date in Chinese and the room for the seal.
        document = self.env["xinfang.document"].search(
            [("petition_id", "=", self.petition.id), ("kind", "=", "acceptance")]
        )
        self.assertRegex(document.name, r"^信访〔\d{4}〕\d+号$")
        self.assertIn(document.name, text)
        self.assertIn("《信访工作条例》", text)
        today = date.today()
        self.assertIn(f"{today.year}年{today.month}月{today.day}日", text)
        self.assertIn("盖章", text)

    def test_refusal_notice(self):
        text = self._pdf_text(
            "xinfang_module.xinfang_petition_report_refusal", self.refused
        )
        self.assertIn("市交通运输局", text)
        self.assertIn("不属于本院职责", text)

    def test_extension_notice(self):
        text = self._pdf_text(
            "xinfang_module.xinfang_petition_report_extension", self.petition
        )
        self.assertIn("需要调取监控录像", text)

    def test_reply_letter(self):
        text = self._pdf_text(
            "xinfang_module.xinfang_petition_report_reply", self.petition
        )
        self.assertIn("已增加座椅二十张", text)
        self.assertIn("经调查核实，现答复如下", text.replace(",", "，"))

    def test_completion_report(self):
        text = self._pdf_text(
            "xinfang_module.xinfang_petition_report_completion", self.petition
        )
        self.assertIn("输液室已整改完毕", text)

    def test_transfer_slip(self):
        text = self._pdf_text(
            "xinfang_module.xinfang_assignment_report_slip", self.assignment
        )
        self.assertIn("医务科报表", text)
        self.assertIn("患者反映输液室座椅不足", text)

    def test_callback_record_form_with_signature(self):
        callback = self.env["xinfang.callback"].create(
            {
                "petition_id": self.petition.id,
                "method": "in_person",
                "officer_ids": [Command.set(self.officer.ids)],
                "visited_person": "欧阳明",
                "q_solved": "yes",
                "rating": "satisfied",
                "suggestions": "座椅问题已解决",
                "signature": SIGNATURE_PNG,
            }
        )
        text = self._pdf_text("xinfang_module.xinfang_callback_report_form", callback)
        self.assertIn("信访事项处理情况回访工作登记表", text)
        self.assertIn("急诊输液室座椅不足", text)
        self.assertIn("座椅问题已解决", text)
        self.assertIn("满意", text)
        report = self.env.ref("xinfang_module.xinfang_callback_report_form")
        html = report.with_context(lang="zh_CN")._render_qweb_html(
            report.report_name, callback.ids
        )[0]
        self.assertIn(b"data:image/png;base64", html)

    def test_callback_bulletin(self):
        bulletin = self.env["xinfang.callback.bulletin"].create(
            {"name": "回访通报 2026-10", "month": date(2026, 10, 1)}
        )
        bulletin.action_compute()
        text = self._pdf_text(
            "xinfang_module.xinfang_callback_bulletin_report", bulletin
        )
        self.assertIn("回访通报2026-10", text)
        self.assertIn("不满意的案件", text)
