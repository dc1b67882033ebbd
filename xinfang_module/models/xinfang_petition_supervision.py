"""Supervision (D1-D3): notices, escalation with its criticism, and the
leader who owns a major case (包案)."""

from odoo import Command, fields, models
from odoo.exceptions import UserError

from .tools import count_by
from .xinfang_petition import (
    DONE_STATES,
    MANAGER,
)


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    # --- Supervision (D1, D2) -------------------------------------------
    supervision_ids = fields.One2many("xinfang.supervision", "petition_id")

    supervision_count = fields.Integer(compute="_compute_supervision_count")

    escalated = fields.Boolean(copy=False, tracking=True, index=True)

    criticism_suggestion = fields.Text(
        string="Suggested Criticism (通报批评建议)", copy=False, tracking=True
    )

    owner_leader_id = fields.Many2one(
        "res.users",
        string="Owning Leader (包案领导)",
        index="btree_not_null",
        tracking=True,
        copy=False,
    )

    owner_duties = fields.Text(
        string="Ownership Duties (四包)",
        copy=False,
        help="包掌握情况、包思想教育、包矛盾化解、包息诉息访: what the owning "
        "leader does on each.",
    )

    owner_signoff_date = fields.Date(
        string="Leader Sign-off", copy=False, tracking=True
    )

    def _compute_supervision_count(self):
        counts = count_by(self, "xinfang.supervision", "petition_id")
        for petition in self:
            petition.supervision_count = counts.get(petition, 0)

    def action_view_supervision(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_supervision_action"
        )
        action["domain"] = [("petition_id", "=", self.id)]
        return action

    def _escalate(self, reason):
        """Escalate to the office managers and the owning leader, with a
        suggested criticism (通报批评建议) of the responsible department."""
        Supervision = self.env["xinfang.supervision"].sudo()
        today_by_company = {}
        for petition in self.sudo():
            company = petition.company_id
            today = today_by_company.setdefault(company, company._xinfang_today())
            suggestion = self.env._(
                "Suggest a circulated criticism (通报批评) of %(department)s: "
                "%(reason)s",
                department=petition.department_id.name or company.name,
                reason=reason,
            )
            users = company._xinfang_users(MANAGER) | petition.owner_leader_id
            Supervision.create(
                {
                    "petition_id": petition.id,
                    "department_id": petition.department_id.id,
                    "kind": "escalation",
                    "deadline": petition.next_deadline or today,
                    "date": today,
                    "note": reason,
                    "user_ids": [Command.set(users.ids)],
                }
            )
            petition.write({"escalated": True, "criticism_suggestion": suggestion})
            for user in users:
                petition.activity_schedule(
                    "xinfang_module.mail_activity_type_supervision",
                    user_id=user.id,
                    date_deadline=today,
                    summary=self.env._("Escalated: %s", reason),
                )
            petition._log(self.env._("Escalated: %s", reason))

    def action_own_case(self):
        """包案: the leader takes ownership of the case."""
        self._check_group("xinfang_module.group_xinfang_leader")
        self.check_access("read")  # the writes below run as superuser
        for petition in self:
            if petition.owner_leader_id and petition.owner_leader_id != self.env.user:
                raise UserError(
                    self.env._(
                        "%(petition)s is already owned by %(leader)s (包案).",
                        petition=petition.display_name,
                        leader=petition.owner_leader_id.name,
                    )
                )
            if petition.state in DONE_STATES or petition.state == "draft":
                raise UserError(
                    self.env._("%s cannot be owned in its state.", petition.name)
                )
        self.sudo().write(
            {"owner_leader_id": self.env.uid, "owner_signoff_date": False}
        )
        self.sudo()._log(self.env._("Case owned by %s (包案).", self.env.user.name))
        return True

    def action_owner_signoff(self):
        self.check_access("read")
        for petition in self:
            if petition.owner_leader_id != self.env.user:
                raise UserError(
                    self.env._("Only the owning leader signs off %s.", petition.name)
                )
        self.sudo().write({"owner_signoff_date": fields.Date.context_today(self)})
        self.sudo()._log(self.env._("Signed off by the owning leader."))
        return True
