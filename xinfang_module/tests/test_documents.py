from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

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
