from odoo import api, fields, models
from odoo.exceptions import UserError


class XinfangAssignment(models.Model):
    _name = "xinfang.assignment"
    _description = "Petition Assignment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "petition_id, role desc, id"
    _check_company_auto = True

    petition_id = fields.Many2one(
        "xinfang.petition", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="petition_id.company_id", store=True, index=True
    )
    confidential = fields.Boolean(related="petition_id.confidential", store=True)
    department_id = fields.Many2one(
        "hr.department", required=True, index=True, tracking=True, check_company=True
    )
    role = fields.Selection(
        [("main", "Main Handler (主办)"), ("co", "Co-handler (协办)")],
        required=True,
        default="main",
        tracking=True,
    )
    handler_id = fields.Many2one(
        "hr.employee", string="Handler", tracking=True, check_company=True
    )
    assign_date = fields.Date(default=fields.Date.context_today, required=True)
    deadline = fields.Date(index=True, tracking=True)
    return_deadline = fields.Date(
        compute="_compute_return_deadline",
        store=True,
        help="The department may return the assignment (退办) until this day.",
    )
    state = fields.Selection(
        [
            ("assigned", "Assigned"),
            ("returned", "Returned"),
            ("done", "Done"),
        ],
        default="assigned",
        required=True,
        index=True,
        tracking=True,
    )
    return_reason = fields.Text(tracking=True)
    reply = fields.Text(string="Department's Reply")

    @api.depends("petition_id.name", "department_id.name", "role")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for assignment in self:
            assignment.display_name = (
                f"{assignment.department_id.name} ({roles.get(assignment.role, '')})"
            )

    @api.depends("assign_date", "company_id")
    def _compute_return_deadline(self):
        cache = {}
        for assignment in self:
            company = assignment.company_id or self.env.company
            assignment.return_deadline = company._xinfang_add_days(
                assignment.assign_date, "return_window", cache=cache
            )

    @api.model_create_multi
    def create(self, vals_list):
        assignments = super().create(vals_list)
        assignments._schedule_handler_activities()
        return assignments

    def _schedule_handler_activities(self):
        """An activity for every handler of the department (its employees'
        users and its additional petition handlers)."""
        for assignment in self:
            department = assignment.department_id.sudo()
            users = department.member_ids.user_id | department.xinfang_user_ids
            if assignment.handler_id.user_id:
                users = assignment.handler_id.user_id
            for user in users:
                assignment.petition_id.activity_schedule(
                    "xinfang_module.mail_activity_type_assignment",
                    date_deadline=assignment.deadline
                    or fields.Date.context_today(self),
                    user_id=user.id,
                    summary=self.env._(
                        "%(number)s: %(role)s",
                        number=assignment.petition_id.name,
                        role=assignment.display_name,
                    ),
                )

    def action_return(self, reason):
        """退办: the department returns the assignment within the window."""
        for assignment in self:
            if assignment.state != "assigned":
                raise UserError(self.env._("Only an open assignment can be returned."))
            if not reason:
                raise UserError(self.env._("Say why the assignment is returned."))
            today = fields.Date.context_today(self)
            if assignment.return_deadline and today > assignment.return_deadline:
                raise UserError(
                    self.env._(
                        "The return window of %(assignment)s ended on %(date)s.",
                        assignment=assignment.display_name,
                        date=assignment.return_deadline,
                    )
                )
        self.write({"state": "returned", "return_reason": reason})
        for assignment in self:
            petition = assignment.petition_id.sudo()
            if assignment.role == "main":
                petition.state = "accepted"
            petition.message_post(
                body=self.env._(
                    "%(assignment)s returned (退办): %(reason)s. Route it again.",
                    assignment=assignment.display_name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_open_return(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return Assignment (退办)"),
            "res_model": "xinfang.petition.step",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_petition_id": self.petition_id.id,
                "default_step": "return_assignment",
                "default_assignment_id": self.id,
            },
        }
