"""Acceptance (受理, B1): the decision within the acceptance limit — accept,
not accept, no further acceptance, redirect — and the notice to the petitioner."""

from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from .xinfang_petition import (
    NOTIFY_METHODS,
    OFFICER,
)


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    # --- Acceptance decision (B1) ---------------------------------------
    decision_date = fields.Date(tracking=True, copy=False)

    decision_note = fields.Text(
        string="Decision Reason", copy=False, tracking=True, prefetch=False
    )

    competent_body = fields.Char(
        copy=False,
        tracking=True,
        help="告知转出: the body that handles the matter, as told to the petitioner.",
    )

    decision_notice_method = fields.Selection(
        NOTIFY_METHODS, string="Decision Told By", copy=False
    )

    def action_accept(self):
        self.ensure_one()
        # A matter closed at three levels (三级终结) is not accepted again.
        return self._open_decision("not_reaccepted" if self.final_closure else "accept")

    def action_reject(self):
        return self._open_decision("rejected")

    def action_not_reaccept(self):
        return self._open_decision("not_reaccepted")

    def action_redirect(self):
        return self._open_decision("redirected")

    def _open_decision(self, decision):
        Decision = self.env["xinfang.petition.decision"]
        name = dict(Decision._fields["decision"]._description_selection(self.env))
        return self._open_dialog(Decision._name, name[decision], decision=decision)

    def _do_accept(self, note=False, notice_method=False):
        self._check_group(OFFICER)
        self._check_state(("pending",), self.env._("accepted"))
        for petition in self:
            if petition.final_closure:
                raise UserError(
                    self.env._(
                        "%s concerns a matter closed at three levels (三级终结): "
                        "it cannot be accepted again.",
                        petition.display_name,
                    )
                )
        today = fields.Date.context_today(self)
        self._xinfang_steps().write(
            {
                "state": "accepted",
                "decision_date": today,
                "decision_note": note,
                "decision_notice_method": notice_method,
            }
        )
        # B2: personnel and discipline matters reach HR or discipline within
        # the routing limit.
        for petition in self.filtered(
            lambda p: p.confidential or p.category_id.personnel
        ):
            petition._xinfang_steps().routing_deadline = (
                petition.company_id._xinfang_add_days(today, "routing")
            )
        for petition in self.filtered(
            lambda p: p.channel == "phone" and p.company_id.xinfang_dispatch_minutes
        ):
            petition._xinfang_steps().dispatch_deadline = (
                fields.Datetime.now()
                + timedelta(minutes=petition.company_id.xinfang_dispatch_minutes)
            )
        self._xinfang_decision_facts(today)
        self._log(self.env._("Accepted (受理)."))

    def _do_refuse(self, state, note, competent_body=False, notice_method=False):
        """不予受理, 不再受理 or 告知转出: the item ends at acceptance."""
        self._check_group(OFFICER)
        self._check_state(("pending",), self.env._("decided"))
        if not note:
            raise UserError(self.env._("Give the reason of the decision."))
        if state == "redirected" and not competent_body:
            raise UserError(
                self.env._("Name the body that handles the matter (告知转出).")
            )
        today = fields.Date.context_today(self)
        self._xinfang_steps().write(
            {
                "state": state,
                "decision_date": today,
                "decision_note": note,
                "competent_body": competent_body,
                "decision_notice_method": notice_method,
            }
        )
        self._xinfang_decision_facts(today)
        label = dict(self._fields["state"]._description_selection(self.env))[state]
        self._log(
            self.env._("Decision: %(decision)s. %(note)s", decision=label, note=note)
        )
