"""One dialog per question a step asks, each calling one ``_do_`` method of
the petition, where the rules live (as ``hr.expense.sheet._do_refuse``)."""

from odoo import api, fields, models

from ..models.xinfang_petition import NOTIFY_METHODS
from ..models.xinfang_petition_acceptance import TRANSFER_METHODS

DECISIONS = [
    ("accept", "Accept (受理)"),
    ("rejected", "Not Accepted (不予受理)"),
    ("not_reaccepted", "Not Re-accepted (不再受理)"),
    ("redirected", "Redirect (告知转出)"),
]


class XinfangPetitionDialog(models.AbstractModel):
    """What every petition dialog has: the item it is opened on."""

    _name = "xinfang.petition.dialog"
    _inherit = ["xinfang.dialog.mixin"]
    _description = "Dialog on a Petition Step"

    petition_id = fields.Many2one("xinfang.petition", required=True, readonly=True)
    company_id = fields.Many2one(related="petition_id.company_id")

    def _close(self):
        return {"type": "ir.actions.act_window_close"}


class XinfangPetitionDecision(models.TransientModel):
    """B1: the acceptance decision and how the petitioner was told."""

    _name = "xinfang.petition.decision"
    _inherit = ["xinfang.petition.dialog"]
    _description = "Acceptance Decision"

    decision = fields.Selection(DECISIONS, required=True, readonly=True)
    final_closure = fields.Boolean(related="petition_id.final_closure")
    reason = fields.Text(help="Why the item is not accepted or sent elsewhere.")
    competent_body = fields.Char(
        help="The body that handles the matter, as told to the petitioner."
    )
    notice_method = fields.Selection(NOTIFY_METHODS, string="Told By")
    transfer_method = fields.Selection(
        TRANSFER_METHODS,
        string="Send It There (转送)",
        help="Empty: the petitioner is told where to go (告知). Set: the office "
        "also sends the material to that body, with a transfer slip (转送单).",
    )

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "accept":
            self.petition_id._do_accept(self.reason, self.notice_method)
        else:
            self.petition_id._do_refuse(
                self.decision,
                self.reason,
                self.competent_body,
                self.notice_method,
                self.decision == "redirected" and self.transfer_method,
            )
        return self._close()


class XinfangPetitionReceipt(models.TransientModel):
    """转送回执: the receiving body confirms the transfer."""

    _name = "xinfang.petition.receipt"
    _inherit = ["xinfang.petition.dialog"]
    _description = "Transfer Receipt"

    receipt_date = fields.Date(required=True, default=fields.Date.context_today)
    reference = fields.Char(
        help="The receiving body's number or the signer of the receipt."
    )

    def action_confirm(self):
        self.ensure_one()
        self.petition_id._do_record_receipt(self.receipt_date, self.reference)
        return self._close()


class XinfangPetitionInstructionRequest(models.TransientModel):
    """B2: the processing slip goes to a leader."""

    _name = "xinfang.petition.instruction.request"
    _inherit = ["xinfang.petition.dialog"]
    _description = "Send a Processing Slip"

    leader_id = fields.Many2one(
        "res.users",
        required=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("xinfang_module.group_xinfang_leader").ids)
        ],
    )

    proposed_opinion = fields.Text(
        string="Proposed Opinion (拟办意见)",
        compute="_compute_proposed_opinion",
        store=True,
        readonly=False,
        help="What the office proposes: printed on the processing slip (处理签).",
    )

    @api.depends("petition_id")
    def _compute_proposed_opinion(self):
        # A slip sent again starts from the opinion already given.
        for dialog in self:
            dialog.proposed_opinion = dialog.petition_id.proposed_opinion

    def action_confirm(self):
        self.ensure_one()
        self.petition_id._do_request_instruction(self.leader_id, self.proposed_opinion)
        return self._close()


class XinfangPetitionInstruction(models.TransientModel):
    """B2: the leader's instruction on the processing slip."""

    _name = "xinfang.petition.instruction"
    _inherit = ["xinfang.petition.dialog"]
    _description = "Record a Leader's Instruction"

    instruction = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.petition_id._do_record_instruction(self.instruction)
        return self._close()


# Offered when routing: the company's departments that handle petitions.
ROUTING_DEPARTMENTS = (
    "[('xinfang_handles', '=', True), ('company_id', 'in', [company_id, False])]"
)


class XinfangPetitionAssign(models.TransientModel):
    """B3: routing (交办) to a main department and co-departments."""

    _name = "xinfang.petition.assign"
    _inherit = ["xinfang.petition.dialog"]
    _description = "Route a Petition"

    main_department_id = fields.Many2one("hr.department", domain=ROUTING_DEPARTMENTS)
    co_department_ids = fields.Many2many(
        "hr.department", string="Co-handling Departments", domain=ROUTING_DEPARTMENTS
    )
    handler_id = fields.Many2one(
        "hr.employee", domain="[('id', 'in', allowed_handler_ids)]"
    )
    allowed_handler_ids = fields.Many2many(
        "hr.employee", compute="_compute_allowed_handler_ids"
    )
    deadline = fields.Date()

    @api.depends("main_department_id")
    def _compute_allowed_handler_ids(self):
        for dialog in self:
            dialog.allowed_handler_ids = (
                dialog.main_department_id._xinfang_handler_employees()
            )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        petition = self.env["xinfang.petition"].browse(values.get("petition_id"))
        if petition:
            # Not the department the item accuses (it withdrew from there).
            department = petition.department_id - petition.accused_department_id
            values.setdefault("main_department_id", department.id)
            values.setdefault("deadline", petition.handling_deadline)
        return values

    def action_confirm(self):
        self.ensure_one()
        self.petition_id._do_assign(
            self.main_department_id,
            self.co_department_ids,
            self.deadline,
            self.handler_id,
        )
        return self._close()


class XinfangPetitionSendBack(models.TransientModel):
    """退办, with its reason: the office sends a reply back to the
    department, or a department returns its assignment (B3, C3)."""

    _name = "xinfang.petition.send.back"
    _inherit = ["xinfang.petition.dialog"]
    _description = "Send Back with a Reason"
    _xinfang_dialog_targets = ("petition_id", "assignment_id")

    assignment_id = fields.Many2one("xinfang.assignment", readonly=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.assignment_id:
            self.assignment_id.action_return(self.reason)
        else:
            self.petition_id._do_return_reply(self.reason)
        return self._close()


class XinfangPetitionClose(models.TransientModel):
    """C4: closure (办结) with the completion report."""

    _name = "xinfang.petition.close"
    _inherit = ["xinfang.petition.dialog"]
    _description = "Close a Petition"

    anonymous = fields.Boolean(related="petition_id.anonymous")
    completion_report = fields.Text(
        string="Completion Report (办结报告)", required=True
    )
    notice_method = fields.Selection(NOTIFY_METHODS, string="Told By")
    notice_date = fields.Date(string="Told On", default=fields.Date.context_today)
    publication_note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        petition = self.env["xinfang.petition"].browse(values.get("petition_id"))
        if petition:
            values.setdefault("notice_method", petition.notify_method)
        return values

    def action_confirm(self):
        self.ensure_one()
        self.petition_id._do_close(
            self.completion_report,
            self.notice_method,
            self.notice_date,
            self.publication_note,
        )
        return self._close()


class XinfangPetitionExtensionRequest(models.TransientModel):
    """C1: the handling department asks for more time."""

    _name = "xinfang.petition.extension.request"
    _inherit = ["xinfang.petition.dialog"]
    _description = "Request an Extension"

    days = fields.Integer(required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.petition_id._do_request_extension(self.days, self.reason)
        return self._close()


class XinfangPetitionReviewRequest(models.TransientModel):
    """C5: a 复查/复核 request opens the item of the next level."""

    _name = "xinfang.petition.review.request"
    _inherit = ["xinfang.petition.dialog"]
    _description = "Request a Review (复查/复核)"

    request_date = fields.Date(default=fields.Date.context_today)
    override_reason = fields.Text(string="Override Reason (past the review window)")

    def action_confirm(self):
        self.ensure_one()
        child = self.petition_id._do_request_review(
            self.request_date, self.override_reason
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "xinfang.petition",
            "res_id": child.id,
            "view_mode": "form",
        }
