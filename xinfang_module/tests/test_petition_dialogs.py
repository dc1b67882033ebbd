"""Each step's dialog, as the user who clicks its button: what it asks, what
it refuses to save without, and the step it runs."""

from odoo.tests import Form, tagged

from .common import XinfangCase


@tagged("post_install", "-at_install")
class TestPetitionDialogs(XinfangCase):
    def _click(self, record, button, user, **values):
        """Click ``button`` on ``record`` as ``user``, fill its dialog and
        confirm it."""
        action = getattr(record.with_user(user), button)()
        Dialog = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        with Form(Dialog) as form:
            for name, value in values.items():
                if isinstance(value, list):
                    for item in value:
                        form[name].add(item)
                else:
                    form[name] = value
        return form.record.action_confirm()

    def _handling(self):
        petition = self.p_medical
        self._click(petition, "action_accept", self.officer)
        self._click(petition, "action_assign", self.officer)
        return petition

    def test_decision_dialogs(self):
        self._click(self.p_medical, "action_accept", self.officer)
        self.assertEqual(self.p_medical.state, "accepted")
        # Not accepting says why; redirecting names the competent body.
        action = self.p_nursing.with_user(self.officer).action_reject()
        Decision = self.env["xinfang.petition.decision"].with_user(self.officer)
        form = Form(Decision.with_context(**action["context"]))
        with self.assertRaises(AssertionError):
            form.save()
        self._click(
            self.p_nursing,
            "action_redirect",
            self.officer,
            reason="属劳动仲裁",
            competent_body="区劳动人事争议仲裁院",
        )
        self.assertEqual(self.p_nursing.state, "redirected")
        self.assertEqual(self.p_nursing.competent_body, "区劳动人事争议仲裁院")

    def test_instruction_dialogs(self):
        self._click(
            self.p_medical,
            "action_request_instruction",
            self.officer,
            leader_id=self.leader,
        )
        self.assertEqual(self.p_medical.leader_id, self.leader)
        self._click(
            self.p_medical,
            "action_record_instruction",
            self.leader,
            instruction="请医务科三日内核实",
        )
        self.assertEqual(self.p_medical.leader_instruction, "请医务科三日内核实")

    def test_assign_dialog_offers_the_category_department(self):
        petition = self.p_medical
        self._click(petition, "action_accept", self.officer)
        self._click(
            petition,
            "action_assign",
            self.officer,
            co_department_ids=[self.dept_nursing],
        )
        self.assertEqual(petition.state, "handling")
        self.assertEqual(
            petition.assignment_ids.mapped("department_id"),
            self.dept_medical | self.dept_nursing,
        )

    def test_send_back_dialogs(self):
        petition = self._handling()
        petition.with_user(self.handler).write(
            {"reply_facts": "f", "reply_basis": "b", "reply_conclusion": "c"}
        )
        petition.with_user(self.handler).action_submit_reply()
        self._click(petition, "action_return_reply", self.officer, reason="依据不充分")
        self.assertEqual(petition.state, "handling")
        self.assertEqual(petition.reply_return_count, 1)
        assignment = petition.assignment_ids
        self._click(
            assignment, "action_open_return", self.handler, reason="非本科室职责"
        )
        self.assertEqual(assignment.state, "returned")

    def test_close_and_review_dialogs(self):
        petition = self._handling()
        petition.with_user(self.handler).write(
            {"reply_facts": "f", "reply_basis": "b", "reply_conclusion": "c"}
        )
        petition.with_user(self.handler).action_submit_reply()
        petition.with_user(self.officer).action_approve_reply()
        self._click(
            petition,
            "action_close",
            self.manager,
            completion_report="已整改",
            notice_method="phone",
        )
        self.assertEqual(petition.state, "closed")
        self.assertEqual(petition.completion_report, "已整改")
        action = self._click(petition, "action_request_review", self.officer)
        child = self.env["xinfang.petition"].browse(action["res_id"])
        self.assertEqual(child.parent_id, petition)

    def test_extension_dialog(self):
        petition = self._handling()
        self._click(
            petition,
            "action_request_extension",
            self.handler,
            days=10,
            reason="需要司法鉴定",
        )
        self.assertEqual(petition.extension_ids.days, 10)
        self.assertEqual(petition.extension_ids.state, "requested")
