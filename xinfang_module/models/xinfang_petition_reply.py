"""Reply and closure (C1-C4): the handling department's reply opinion, its
review by the office, extensions, closure with the completion report, and
filing."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .xinfang_petition import (
    MANAGER,
    NOTIFY_METHODS,
    OFFICER,
)


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    # --- Reply and closure (C2-C4) --------------------------------------
    reply_facts = fields.Text(string="Facts", copy=False, prefetch=False)

    reply_basis = fields.Text(string="Basis", copy=False, prefetch=False)

    reply_conclusion = fields.Text(string="Conclusion", copy=False, prefetch=False)

    reply_return_count = fields.Integer(
        string="Reply Send-backs", copy=False, tracking=True
    )

    reply_date = fields.Date(copy=False, tracking=True)

    completion_report = fields.Text(copy=False, prefetch=False)

    completion_approver_id = fields.Many2one(
        "res.users", string="Completion Approved By", copy=False, tracking=True
    )

    close_date = fields.Date(copy=False, tracking=True, index="btree_not_null")

    notify_method = fields.Selection(
        NOTIFY_METHODS, string="Result Told By", copy=False, tracking=True
    )

    notify_date = fields.Date(string="Result Told On", copy=False)

    publication_note = fields.Text(
        copy=False,
        help="C4: for an anonymous item, where and how the result was published.",
    )

    extension_ids = fields.One2many("xinfang.extension", "petition_id")

    extension_days = fields.Integer(
        compute="_compute_extension_days",
        store=True,
        help="Days added to the handling deadline by approved extensions.",
    )

    @api.depends("extension_ids.state", "extension_ids.days")
    def _compute_extension_days(self):
        for petition in self:
            petition.extension_days = sum(
                petition.extension_ids.filtered(lambda e: e.state == "approved").mapped(
                    "days"
                )
            )

    def action_submit_reply(self):
        self._do_submit_reply()
        return True

    def action_approve_reply(self):
        self._do_approve_reply()
        return True

    def action_return_reply(self):
        return self._open_dialog(
            "xinfang.petition.send.back", self.env._("Send Reply Back (退办)")
        )

    def action_close(self):
        return self._open_dialog("xinfang.petition.close", self.env._("Close (办结)"))

    def action_file(self):
        """归档: the filing dialog (its class, then the volume)."""
        self.filtered(lambda p: p.state != "filed")._check_state(
            ("closed",), self.env._("filed"), claim=False
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_archive_file_wizard_action"
        )
        action["context"] = {
            "active_model": self._name,
            "active_ids": self.ids,
            "dialog_size": "medium",
        }
        return action

    def action_request_extension(self):
        return self._open_dialog(
            "xinfang.petition.extension.request", self.env._("Request Extension")
        )

    def _do_submit_reply(self):
        """The main department hands its reply opinion to the office (C2)."""
        self._check_group("xinfang_module.group_xinfang_handler")
        self.check_access("write")
        self._check_state(("handling",), self.env._("replied"))
        if not self.env.su and not self.env.user.has_group(OFFICER):
            mine = self.env.user.employee_ids.department_id | (
                self.env.user.xinfang_department_ids
            )
            for petition in self:
                if petition.department_id not in mine:
                    raise UserError(
                        self.env._(
                            "The main department (%(department)s) submits the "
                            "reply of %(petition)s.",
                            department=petition.department_id.name,
                            petition=petition.display_name,
                        )
                    )
        for petition in self:
            if not (
                petition.reply_facts
                and petition.reply_basis
                and petition.reply_conclusion
            ):
                raise UserError(
                    self.env._(
                        "The reply opinion of %s needs its facts, basis and "
                        "conclusion.",
                        petition.display_name,
                    )
                )
        self._xinfang_steps().write({"state": "review"})
        self._log(self.env._("Reply opinion submitted for review."))

    def _do_approve_reply(self):
        self._check_group(OFFICER)
        self._check_state(("review",), self.env._("approved"))
        today = fields.Date.context_today(self)
        self._xinfang_steps().write({"state": "replied", "reply_date": today})
        self._xinfang_reply_facts(today)
        self.assignment_ids.filtered(
            lambda a: a.state == "assigned"
        )._xinfang_steps().write({"state": "done"})
        self._log(self.env._("Reply opinion approved (已答复)."))

    def _do_return_reply(self, reason):
        """退办: the office sends the reply back for re-handling (C2)."""
        self._check_group(OFFICER)
        self._check_state(("review",), self.env._("sent back"))
        if not reason:
            raise UserError(self.env._("Say why the reply is sent back."))
        for petition in self._xinfang_steps():
            petition.write(
                {
                    "state": "handling",
                    "reply_return_count": petition.reply_return_count + 1,
                }
            )
        self._log(self.env._("Reply sent back for re-handling (退办): %s", reason))
        for petition in self:
            limit = petition.company_id.xinfang_escalation_sendbacks
            if (
                limit
                and petition.reply_return_count >= limit
                and not petition.escalated
            ):
                petition._escalate(
                    self.env._("The reply was sent back %s times.", limit)
                )

    def _do_close(
        self, report, notify_method=False, notify_date=False, publication_note=False
    ):
        """办结: needs an approved completion report and the result told (C3, C4)."""
        self._check_group(MANAGER, "xinfang_module.group_xinfang_leader")
        self.check_access("read")  # leaders close through a superuser write
        self._check_state(("replied",), self.env._("closed"))
        if not report:
            raise UserError(self.env._("Write the completion report (办结报告)."))
        for petition in self.filtered(
            lambda p: p.owner_leader_id and not p.owner_signoff_date
        ):
            raise UserError(
                self.env._(
                    "%(petition)s is owned by %(leader)s (包案): the leader signs "
                    "it off before it is closed.",
                    petition=petition.display_name,
                    leader=petition.owner_leader_id.name,
                )
            )
        for petition in self:
            if not petition.anonymous and not (notify_method and notify_date):
                raise UserError(
                    self.env._(
                        "Record how and when the petitioner of %s was told the "
                        "result.",
                        petition.display_name,
                    )
                )
        today = fields.Date.context_today(self)
        self.sudo().write(
            {
                "state": "closed",
                "completion_report": report,
                "completion_approver_id": self.env.uid,
                "close_date": today,
                "notify_method": notify_method,
                "notify_date": notify_date,
                "publication_note": publication_note,
            }
        )
        self.sudo()._xinfang_close_facts(today)
        self.sudo()._log(self.env._("Closed (办结), completion report approved."))

    def _do_request_extension(self, days, reason):
        self.ensure_one()
        self.check_access("write")
        self._check_state(("handling", "review"), self.env._("extended"))
        if days <= 0 or not reason:
            raise UserError(
                self.env._("An extension needs a number of days and a reason.")
            )
        return (
            self.env["xinfang.extension"]
            ._xinfang_steps()
            .create({"petition_id": self.id, "days": days, "reason": reason})
            ._xinfang_unmarked()
        )
