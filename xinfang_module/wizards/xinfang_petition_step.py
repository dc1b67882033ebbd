from odoo import api, fields, models

from ..models.xinfang_petition import NOTIFY_METHODS

STEPS = [
    ("accept", "Accept"),
    ("rejected", "Not Accepted (不予受理)"),
    ("not_reaccepted", "Not Re-accepted (不再受理)"),
    ("redirected", "Redirect (告知转出)"),
    ("request_instruction", "Send Processing Slip"),
    ("record_instruction", "Record Instruction"),
    ("assign", "Route (交办)"),
    ("return_assignment", "Return Assignment (退办)"),
    ("return_reply", "Send Reply Back (退办)"),
    ("close", "Close (办结)"),
    ("extension", "Request Extension"),
    ("review", "Request Review (复查/复核)"),
]


class XinfangPetitionStep(models.TransientModel):
    """One small dialog per lifecycle step: it captures what the step needs and
    calls the petition's ``_do_<step>`` method, where the rules live."""

    _name = "xinfang.petition.step"
    _inherit = ["xinfang.dialog.mixin"]
    _description = "Petition Lifecycle Step"
    _xinfang_dialog_targets = ("petition_id", "assignment_id")

    step = fields.Selection(STEPS, required=True, readonly=True)
    petition_id = fields.Many2one("xinfang.petition", required=True, readonly=True)
    company_id = fields.Many2one(related="petition_id.company_id")
    final_closure = fields.Boolean(related="petition_id.final_closure")
    anonymous = fields.Boolean(related="petition_id.anonymous")
    note = fields.Text(string="Reason / Note")
    competent_body = fields.Char()
    notice_method = fields.Selection(NOTIFY_METHODS, string="Told By")
    notice_date = fields.Date(string="Told On", default=fields.Date.context_today)
    leader_id = fields.Many2one(
        "res.users",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("xinfang_module.group_xinfang_leader").ids)
        ],
    )
    main_department_id = fields.Many2one("hr.department")
    co_department_ids = fields.Many2many(
        "hr.department", string="Co-handling Departments"
    )
    handler_id = fields.Many2one("hr.employee")
    deadline = fields.Date()
    assignment_id = fields.Many2one("xinfang.assignment")
    days = fields.Integer()
    request_date = fields.Date(default=fields.Date.context_today)
    publication_note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        petition = self.env["xinfang.petition"].browse(
            values.get("petition_id") or self.env.context.get("active_id")
        )
        if petition and values.get("step") == "assign":
            values.setdefault("main_department_id", petition.department_id.id)
            values.setdefault("deadline", petition.handling_deadline)
        if petition and values.get("step") == "close":
            values.setdefault("notice_method", petition.notify_method)
        return values

    def action_confirm(self):
        self.ensure_one()
        petition = self.petition_id
        step = self.step
        if step == "accept":
            petition._do_accept(self.note, self.notice_method)
        elif step in ("rejected", "not_reaccepted", "redirected"):
            petition._do_refuse(
                step, self.note, self.competent_body, self.notice_method
            )
        elif step == "request_instruction":
            petition._do_request_instruction(self.leader_id)
        elif step == "record_instruction":
            petition._do_record_instruction(self.note)
        elif step == "assign":
            petition._do_assign(
                self.main_department_id,
                self.co_department_ids,
                self.deadline,
                self.handler_id,
            )
        elif step == "return_assignment":
            self.assignment_id.action_return(self.note)
        elif step == "return_reply":
            petition._do_return_reply(self.note)
        elif step == "close":
            petition._do_close(
                self.note, self.notice_method, self.notice_date, self.publication_note
            )
        elif step == "extension":
            petition._do_request_extension(self.days, self.note)
        elif step == "review":
            child = petition._do_request_review(self.request_date, self.note)
            return {
                "type": "ir.actions.act_window",
                "res_model": "xinfang.petition",
                "res_id": child.id,
                "view_mode": "form",
            }
        return {"type": "ir.actions.act_window_close"}
