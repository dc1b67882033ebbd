from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.tools import date_text
from ..wizards import xinfang_register_wizard as register_wizard
from .common import XinfangCase

ACCEPTANCE = "xinfang_module.xinfang_petition_report_acceptance"
COMPLETION = "xinfang_module.xinfang_petition_report_completion"


@tagged("post_install", "-at_install", "xinfang_security")
class TestIssuedDocuments(XinfangCase):
    """Printing a notice issues it (issue 15, item 1): only in the states
    where it means something, numbered once, recorded on the item."""

    def _print(self, xmlid, records, user=None):
        # A PDF print (rendered as HTML in test mode, with the PDF's data).
        Report = self.env["ir.actions.report"].with_user(user or self.officer)
        return Report._render_qweb_pdf(xmlid, records.ids)[0].decode()

    def test_a_preview_issues_nothing(self):
        petition = self.p_medical
        petition.with_user(self.officer)._do_accept()
        Report = self.env["ir.actions.report"].with_user(self.officer)
        html = Report._render_qweb_html(ACCEPTANCE, petition.ids)[0].decode()
        self.assertIn(petition.name, html)
        self.assertNotIn("信访〔", html)
        self.assertFalse(self.env["xinfang.document"].search_count([]))
        # Whatever the data a URL sends: the route decides.
        Report._render_qweb_html(ACCEPTANCE, petition.ids, data={"report_type": "pdf"})
        self.assertFalse(self.env["xinfang.document"].search_count([]))
        # A preview is refused like a print to whoever may not issue it,
        # and outside the states where the notice means something.
        with self.assertRaises(AccessError):
            Report.with_user(self.handler)._render_qweb_html(ACCEPTANCE, petition.ids)
        with self.assertRaises(UserError):
            Report._render_qweb_html(COMPLETION, petition.ids)
        # The form's button prints the notice of the state.
        self.assertEqual(
            petition.with_user(self.officer).action_print_notice()["report_name"],
            "xinfang_module.report_petition_acceptance",
        )
        # The first print issues it; the form's smart button then lists it.
        self._print(ACCEPTANCE, petition)
        self.assertEqual(petition.with_user(self.officer).document_count, 1)
        action = petition.with_user(self.officer).action_view_documents()
        document = self.env["xinfang.document"].search(action["domain"])
        self.assertEqual(document.kind, "acceptance")
        # Printed again from the register: same number, counted.
        report_action = document.with_user(self.officer).action_print()
        self.assertEqual(
            report_action["report_name"],
            ACCEPTANCE.replace(
                "xinfang_petition_report_acceptance", "report_petition_acceptance"
            ),
        )

    def test_issued_once_numbered_and_recorded(self):
        petition = self.p_medical
        # Not yet accepted: no acceptance notice, nothing issued.
        with self.assertRaises(UserError):
            self._print(ACCEPTANCE, petition)
        self.assertFalse(self.env["xinfang.document"].search_count([]))
        petition.with_user(self.officer)._do_accept()
        html = self._print(ACCEPTANCE, petition)
        document = self.env["xinfang.document"].search(
            [("petition_id", "=", petition.id)]
        )
        self.assertEqual(len(document), 1)
        self.assertEqual(document.kind, "acceptance")
        self.assertEqual(document.issued_by, self.officer)
        self.assertRegex(document.name, r"^信访〔\d{4}〕\d+号$")
        self.assertIn(document.name, html)
        self.assertIn(self.env.company.name, html)
        self.assertIn("《信访工作条例》", html)
        self.assertIn(document.name, petition.message_ids[:1].body)
        # A reprint keeps the number and is counted.
        self._print(ACCEPTANCE, petition)
        self.assertEqual(document.print_count, 2)
        self.assertEqual(
            self.env["xinfang.document"].search_count(
                [("petition_id", "=", petition.id)]
            ),
            1,
        )
        # A completion report of an open item is refused.
        with self.assertRaises(UserError):
            self._print(COMPLETION, petition)

    def test_a_letter_with_nothing_to_say_takes_no_number(self):
        petition = self.p_medical.sudo()
        petition._xinfang_steps().write({"state": "closed"})
        with self.assertRaises(UserError):
            self._print("xinfang_module.xinfang_petition_report_reply", petition)
        with self.assertRaises(UserError):
            self._print(COMPLETION, petition)
        self.assertFalse(self.env["xinfang.document"].search_count([]))

    def test_only_the_office_issues(self):
        """The report routes do not check the report's groups: issuing does."""
        petition = self.p_mine_pending
        petition.with_user(self.officer)._do_accept()
        for user in (self.registrar, self.handler, self.leader):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._print(ACCEPTANCE, petition, user=user)
        self.assertFalse(self.env["xinfang.document"].search_count([]))
        # The same id twice is one document, one number.
        Report = self.env["ir.actions.report"].with_user(self.officer)
        Report._render_qweb_pdf(ACCEPTANCE, [petition.id, petition.id])
        self.assertEqual(self.env["xinfang.document"].search_count([]), 1)

    def test_no_notice_through_superuser_rendering(self):
        """A mail composer renders its template's reports as superuser: the
        real user is checked all the same (insider review, issue 15)."""
        self.p_medical.with_user(self.officer)._do_accept()
        self.p_confidential.with_user(self.manager)._do_accept()
        for user, petition in (
            (self.handler, self.p_medical),
            (self.leader, self.p_medical),
            (self.officer, self.p_confidential),
        ):
            Report = self.env["ir.actions.report"].with_user(user).sudo()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Report._render_qweb_pdf(ACCEPTANCE, petition.ids)
        self.assertFalse(self.env["xinfang.document"].search_count([]))

    def test_nobody_writes_the_register(self):
        self.p_medical.with_user(self.officer)._do_accept()
        self._print(ACCEPTANCE, self.p_medical)
        document = self.env["xinfang.document"].search([])
        for user in (self.officer, self.manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    document.with_user(user).write({"name": "伪造〔2026〕1号"})
                with self.assertRaises(AccessError):
                    document.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.env["xinfang.document"].with_user(user).create(
                        {
                            "petition_id": self.p_medical.id,
                            "kind": "reply",
                            "issued_by": user.id,
                            "issued_at": "2026-01-01 00:00:00",
                        }
                    )
        # The handler and the registrar do not read the office's register.
        for user in (self.handler, self.registrar):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                document.with_user(user).read(["name"])

    def test_confidential_documents_follow_their_item(self):
        confidential = self.p_confidential
        confidential.with_user(self.manager)._do_accept()
        self._print(ACCEPTANCE, confidential, user=self.manager)
        Document = self.env["xinfang.document"]
        self.assertFalse(Document.with_user(self.leader).search([]))
        self.assertFalse(Document.with_user(self.officer).search([]))
        self.assertEqual(len(Document.with_user(self.discipline).search([])), 1)
        # Discipline does not read the documents of items it may not read.
        self.p_medical.with_user(self.officer)._do_accept()
        self._print(ACCEPTANCE, self.p_medical)
        self.assertEqual(len(Document.with_user(self.discipline).search([])), 1)
        self.assertEqual(len(Document.with_user(self.manager).search([])), 2)


@tagged("post_install", "-at_install", "xinfang_security")
class TestOfficeForms(XinfangCase):
    """The office's forms (issue 15, item 2): the registration form, the
    processing slip, the reception day register and the period register,
    each naming the petitioner only to who may know them."""

    def _html(self, xmlid, records, user, lang=None):
        Report = self.env["ir.actions.report"].with_user(user)
        if lang:
            Report = Report.with_context(lang=lang)
        return Report._render_qweb_pdf(xmlid, records.ids)[0].decode()

    def test_registration_form_and_identity(self):
        form = "xinfang_module.xinfang_petition_report_registration"
        html = self._html(form, self.p_medical, self.officer)
        self.assertIn("Letter Registration Form", html)
        self.assertIn(self.zhang.name, html)
        self.assertIn(self.zhang.id_number, html)
        self.assertIn(self.p_medical.subject, html)
        # A leader prints the concealed item's form without its petitioner.
        html = self._html(form, self.p_concealed, self.leader)
        self.assertIn(self.p_concealed.subject, html)
        self.assertNotIn(self.li.name, html)
        self.assertNotIn(self.li.id_number, html)
        self.assertNotIn(self.li.phone, html)
        self.assertIn("Identity confidential", html)
        # A handler prints no form; nor does anyone through a superuser render.
        with self.assertRaises(AccessError):
            self._html(form, self.p_medical, self.handler)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(
                self.officer
            ).sudo()._render_qweb_pdf(form, self.p_confidential.ids)

    def test_dates_as_documents_write_them(self):
        # 01:05 on 1 December in Shanghai (17:05 UTC the day before): the
        # company's day and time, in Chinese without leading zeros.
        self.env["res.lang"]._activate_lang("zh_CN")
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        self.p_medical.sudo().registration_date = datetime(2026, 11, 30, 17, 5)
        widget = self.env["ir.qweb.field.xinfang_date"].with_context(lang="zh_CN")
        self.assertEqual(
            widget.record_to_html(self.p_medical, "registration_date", {}),
            "2026年12月1日 1:05",
        )
        self.assertEqual(
            widget.record_to_html(self.p_medical, "handling_deadline", {}),
            date_text(widget.env, self.p_medical.handling_deadline),
        )
        with freeze_time("2026-11-30 17:00:00"):
            html = self._html(
                "xinfang_module.xinfang_petition_report_registration",
                self.p_medical,
                self.officer,
                lang="zh_CN",
            )
        self.assertIn("2026年12月1日 1:05", html)
        self.assertIn('class="xinfang_date"', html)
        self.assertIn(">2026年12月1日</div>", html)

    def test_processing_slip_carries_the_proposed_opinion(self):
        petition = self.p_medical.with_user(self.officer)
        petition._do_request_instruction(self.leader, "建议交医务科调查处理")
        self.assertEqual(petition.proposed_opinion, "建议交医务科调查处理")
        # Sent again, the slip starts from the opinion given.
        dialog = (
            self.env["xinfang.petition.instruction.request"]
            .with_user(self.officer)
            .create({"petition_id": petition.id, "leader_id": self.leader.id})
        )
        self.assertEqual(dialog.proposed_opinion, "建议交医务科调查处理")
        html = self._html(
            "xinfang_module.xinfang_petition_report_processing_slip",
            petition,
            self.leader,
        )
        self.assertIn("建议交医务科调查处理", html)
        self.assertIn("Principal Leader", html)
        # The proposal is the step's: never written by hand.
        with self.assertRaises(UserError):
            petition.write({"proposed_opinion": "改写"})

    def test_registers(self):
        # The period register: what the user may read, in registration order.
        wizard = (
            self.env["xinfang.register.wizard"]
            .with_user(self.officer)
            .create({"channel": "letter"})
        )
        html = self._html(
            "xinfang_module.xinfang_register_report", wizard, self.officer
        )
        self.assertIn(self.p_medical.name, html)
        self.assertNotIn(self.p_confidential.subject, html)  # not theirs
        self.assertIn(self.li.name, html)  # the office knows who wrote
        # A leader's register hides the concealed item's petitioner.
        wizard = (
            self.env["xinfang.register.wizard"]
            .with_user(self.leader)
            .create({"channel": "letter"})
        )
        html = self._html("xinfang_module.xinfang_register_report", wizard, self.leader)
        self.assertIn(self.p_concealed.subject, html)
        self.assertNotIn(self.li.name, html)
        self.assertNotIn(self.li.id_number, html)
        self.assertIn("Identity confidential", html)
        Wizard = self.env["xinfang.register.wizard"]
        for vals in (
            {"date_from": "2026-05-01", "date_to": "2026-04-01"},
            {"date_from": "9999-01-01", "date_to": "9999-12-31"},
            {"company_id": self.env["res.company"].create({"name": "别院"}).id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                Wizard.with_user(self.officer).create(vals)
        # More items than a register prints: said, never cut short.
        with patch.object(register_wizard, "MAX_ITEMS", 2):
            with self.assertRaises(UserError):
                self._html(
                    "xinfang_module.xinfang_register_report", wizard, self.leader
                )
        # Registrars and handlers print no register.
        for user in (self.registrar, self.handler):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Wizard.with_user(user).create({"channel": "letter"})
        # One's register settings are one's own; nothing printed from none.
        with self.assertRaises(AccessError):
            wizard.with_user(self.officer).read(["channel"])
        with self.assertRaises(UserError):
            self._html("xinfang_module.xinfang_register_report", Wizard, self.leader)
        # The reception day register lists the day's visits.
        day = self.env["xinfang.reception.day"].create(
            {"leader_id": self.leader.id, "date": "2027-01-04", "place": "行政楼"}
        )
        self.env["xinfang.visit"].create(
            {
                "subject": "反映收费问题",
                "petitioner_ids": [(6, 0, self.zhang.ids)],
                "reception_day_id": day.id,
                "leader_id": self.leader.id,
            }
        )
        html = self._html(
            "xinfang_module.xinfang_reception_day_report_register", day, self.leader
        )
        self.assertIn("反映收费问题", html)
        self.assertIn("行政楼", html)
