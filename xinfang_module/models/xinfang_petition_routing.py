"""Instruction and routing (B2-B4): the processing slip to a leader, the
leader's instruction, and routing (交办) to the handling departments."""

from odoo import fields, models
from odoo.exceptions import UserError

from .xinfang_petition import (
    OFFICER,
)


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    # --- Leader instruction (B2) ----------------------------------------
    leader_id = fields.Many2one("res.users", tracking=True, copy=False)

    instruction_deadline = fields.Date(copy=False)

    leader_instruction = fields.Text(copy=False, tracking=True, prefetch=False)

    proposed_opinion = fields.Text(
        string="Proposed Opinion (拟办意见)",
        copy=False,
        tracking=True,
        prefetch=False,
        help="The office's proposal on the processing slip (处理签) it sends to "
        "the leader.",
    )

    instruction_date = fields.Date(copy=False)

    routing_deadline = fields.Date(copy=False)

    # 篇3 §一3: a hotline complaint is dispatched within minutes of acceptance.
    dispatch_deadline = fields.Datetime(
        string="Dispatch by",
        copy=False,
        index="btree_not_null",
        help="Set at acceptance for phone items when the settings give a "
        "dispatch limit in minutes; watched every minute.",
    )
    dispatch_date = fields.Datetime(
        string="Dispatched on", copy=False, help="When the item was first routed."
    )

    # --- Routing (B3, B4) -----------------------------------------------
    assignment_ids = fields.One2many("xinfang.assignment", "petition_id")

    def action_request_instruction(self):
        return self._open_dialog(
            "xinfang.petition.instruction.request",
            self.env._("Send Processing Slip"),
        )

    def action_record_instruction(self):
        return self._open_dialog(
            "xinfang.petition.instruction", self.env._("Record Instruction")
        )

    def action_assign(self):
        return self._open_dialog("xinfang.petition.assign", self.env._("Route (交办)"))

    def _do_request_instruction(self, leader, proposed_opinion=False):
        """Send the processing slip (处理签) to a leader, as an activity, with
        the office's proposed opinion (拟办意见)."""
        self._check_group(OFFICER)
        self._check_state(("pending", "accepted", "handling"), self.env._("sent"))
        if not leader.has_group("xinfang_module.group_xinfang_leader"):
            raise UserError(self.env._("%s is not a leader.", leader.name))
        today = fields.Date.context_today(self)
        for petition in self:
            company = petition.company_id
            deadline = company._xinfang_add_days(today, "instruction")
            petition._xinfang_steps().write(
                {
                    "leader_id": leader.id,
                    "instruction_deadline": deadline,
                    "instruction_date": False,
                    "proposed_opinion": proposed_opinion or petition.proposed_opinion,
                }
            )
            petition.activity_schedule(
                "xinfang_module.mail_activity_type_instruction",
                date_deadline=deadline,
                user_id=leader.id,
                summary=self.env._("Processing slip: %s", petition.name),
            )

    def _do_record_instruction(self, instruction):
        self._check_group("xinfang_module.group_xinfang_leader")
        self.check_access("read")  # the writes below run as superuser
        self._check_state(
            ("pending", "accepted", "handling"), self.env._("given an instruction")
        )
        for petition in self:
            if petition.leader_id and petition.leader_id != self.env.user:
                raise UserError(
                    self.env._(
                        "The processing slip of %(petition)s went to %(leader)s: "
                        "only they record its instruction.",
                        petition=petition.display_name,
                        leader=petition.leader_id.name,
                    )
                )
        if not instruction:
            raise UserError(self.env._("Write the instruction."))
        today = fields.Date.context_today(self)
        for petition in self.sudo():
            petition.write(
                {
                    "leader_instruction": instruction,
                    "instruction_date": today,
                    "leader_id": petition.leader_id.id or self.env.uid,
                    "routing_deadline": petition.company_id._xinfang_add_days(
                        today, "routing"
                    ),
                }
            )
            petition.activity_ids.filtered(
                lambda a: a.activity_type_id
                == self.env.ref("xinfang_module.mail_activity_type_instruction")
            ).action_feedback(feedback=instruction)
            petition._log(self.env._("Leader instruction: %s", instruction))

    def _do_assign(
        self, main_department, co_departments=None, deadline=False, handler=False
    ):
        """交办: one main department, any co-departments (B3)."""
        self._check_group(OFFICER)
        self._check_state(("accepted", "handling"), self.env._("routed"))
        self.ensure_one()
        co_departments = (co_departments or self.env["hr.department"]) - main_department
        departments = main_department | co_departments
        self._check_routing(departments, handler)
        if handler and handler not in main_department._xinfang_handler_employees():
            raise UserError(
                self.env._(
                    "%(person)s is neither a member nor a petition contact of "
                    "%(department)s.",
                    person=handler.name,
                    department=main_department.name or "-",
                )
            )
        deadline = deadline or self.handling_deadline
        open_assignments = self.assignment_ids.filtered(lambda a: a.state == "assigned")
        has_main = bool(open_assignments.filtered(lambda a: a.role == "main"))
        if main_department and has_main:
            raise UserError(
                self.env._(
                    "%s already has a main department: return it first.",
                    self.display_name,
                )
            )
        if not main_department and not has_main:
            # Co-departments alone would leave the item handled by nobody.
            raise UserError(
                self.env._("%s has no main department: name one.", self.display_name)
            )
        vals_list = [
            {
                "petition_id": self.id,
                "department_id": department.id,
                "role": "main" if department == main_department else "co",
                "deadline": deadline,
                "handler_id": handler.id
                if department == main_department and handler
                else False,
            }
            for department in departments
        ]
        assignments = (
            self.env["xinfang.assignment"]._xinfang_steps().create(vals_list)
        )._xinfang_unmarked()
        vals = {"state": "handling"}
        if not self.dispatch_date:
            vals["dispatch_date"] = fields.Datetime.now()
        if main_department:
            vals["department_id"] = main_department.id
        self._xinfang_steps().write(vals)
        self._log(
            self.env._(
                "Routed (交办) to %s.", ", ".join(assignments.mapped("display_name"))
            )
        )
        # Routed again: the office's "route it again" to-dos are done (this
        # note says how), whoever of the office held them.
        reroute = self.env.ref("xinfang_module.mail_activity_type_reroute")
        self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == reroute
        ).unlink()
        return assignments

    def _check_routing(self, departments, handler=False):
        """B4: never to the accused; confidential items only to discipline;
        only to departments that handle petitions."""
        self.ensure_one()
        idle = departments.sudo().filtered(lambda d: not d.xinfang_handles)
        if idle:
            raise UserError(
                self.env._(
                    "%(departments)s does not handle petitions: the office manager "
                    "marks it under Petitions > Configuration > Departments.",
                    departments=", ".join(idle.mapped("name")),
                )
            )
        if self.accused_department_id and self.accused_department_id in departments:
            raise UserError(
                self.env._(
                    "%(petition)s accuses %(department)s: it cannot be handled there.",
                    petition=self.display_name,
                    department=self.accused_department_id.name,
                )
            )
        if handler and handler == self.accused_employee_id:
            raise UserError(
                self.env._(
                    "%(petition)s accuses %(person)s: it cannot be handed to them.",
                    petition=self.display_name,
                    person=handler.name,
                )
            )
        personnel = self.company_id.xinfang_hr_department_id
        if (
            self.category_id.personnel
            and personnel
            and not self.confidential
            and departments - personnel
        ):
            raise UserError(
                self.env._(
                    "%(petition)s is a personnel matter: it is routed to "
                    "%(department)s.",
                    petition=self.display_name,
                    department=personnel.name,
                )
            )
        discipline = self.company_id.xinfang_discipline_department_id
        if self.confidential and departments - discipline:
            raise UserError(
                self.env._(
                    "%s is confidential: it can only be routed to the discipline "
                    "department set in the settings.",
                    self.display_name,
                )
            )
