from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .xinfang_petition import MANAGER, OFFICER


class XinfangAssignment(models.Model):
    _name = "xinfang.assignment"
    _description = "Petition Assignment"
    _inherit = ["xinfang.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "petition_id, role desc, id"
    _check_company_auto = True
    # Routing (交办) and return (退办) set these; the department writes its reply.
    _xinfang_step_fields = frozenset(
        {
            "petition_id",
            "department_id",
            "role",
            "handler_id",
            "assign_date",
            "deadline",
            "state",
            "return_reason",
        }
    )

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
    handler_id = fields.Many2one("hr.employee", tracking=True, check_company=True)
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
    reply = fields.Text(
        string="Department's Reply",
        tracking=True,
        help="The department's part of the reply, written while it handles "
        "the item (a co-department's 协办意见); the main department writes the "
        "reply opinion on the item itself.",
    )

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
        self._xinfang_check_create_vals(vals_list)
        assignments = super().create(vals_list)
        assignments._schedule_handler_activities()
        return assignments

    def write(self, vals):
        self._xinfang_check_step_fields(vals)
        if (
            "reply" in vals
            and not self._xinfang_trusted()
            and any(assignment.state != "assigned" for assignment in self)
        ):
            raise UserError(
                self.env._(
                    "A department writes its reply while the item is assigned to "
                    "it, not after it was returned or done."
                )
            )
        return super().write(vals)

    @api.constrains("handler_id")
    def _check_handler_not_accused(self):
        for assignment in self:
            petition = assignment.petition_id
            if assignment.handler_id and assignment.handler_id in (
                petition.accused_employee_id
                | petition.accused_department_id.sudo().member_ids
            ):
                raise ValidationError(
                    self.env._(
                        "%s cannot be handed to a person it accuses.",
                        petition.display_name,
                    )
                )

    def _xinfang_never_told(self):
        return self.petition_id._xinfang_accused_users()

    def _schedule_handler_activities(self):
        """An activity for the named handler, else for the department's
        petition contacts (its head and the users named for petitions) —
        never every member, never the accused. A department nobody can be
        told of is reported to the petition office instead."""
        for assignment in self:
            petition = assignment.petition_id
            users = assignment.handler_id.user_id or (
                assignment.department_id._xinfang_contacts()
            )
            users -= petition._xinfang_accused_users()
            summary = self.env._(
                "%(number)s: %(role)s",
                number=petition.name,
                role=assignment.display_name,
            )
            if not users:
                users = petition.company_id._xinfang_users(OFFICER, MANAGER)
                summary = self.env._(
                    "%(number)s: %(department)s has no petition contact to tell",
                    number=petition.name,
                    department=assignment.department_id.name,
                )
            petition._xinfang_notify_activities(
                "xinfang_module.mail_activity_type_assignment",
                users,
                assignment.deadline or fields.Date.context_today(self),
                summary,
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
        self.check_access("write")
        self._xinfang_steps().write({"state": "returned", "return_reason": reason})
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
            petition._xinfang_narrow_audience()
        return True

    def action_open_reply(self):
        """The department's part of the reply, in a dialog of its own."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Department's Reply"),
            "res_model": "xinfang.assignment",
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "xinfang_module.xinfang_assignment_view_form_reply"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
        }

    def action_open_return(self):
        self.ensure_one()
        return self.petition_id._open_dialog(
            "xinfang.petition.send.back",
            self.env._("Return Assignment (退办)"),
            assignment_id=self.id,
        )
