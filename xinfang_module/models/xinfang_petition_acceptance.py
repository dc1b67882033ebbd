"""Acceptance (受理, B1): the decision within the acceptance limit — accept,
not accept, no further acceptance, redirect — and the notice to the petitioner."""

from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from .xinfang_petition import (
    NOTIFY_METHODS,
    OFFICER,
)

TRANSFER_METHODS = [
    ("post", "Post / Confidential Mail"),
    ("system", "Petition Information System"),
    ("hand", "By Hand"),
    ("email", "E-mail"),
]


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

    # --- Transfer out (转送, issue 15 item 4) -------------------------------
    # 告知转出 tells the petitioner where to go; 转送 also sends the material
    # there, with a slip (转送单) and a receipt (回执) coming back.
    transfer_out_date = fields.Date(
        string="Transferred Out On", copy=False, tracking=True
    )
    transfer_out_method = fields.Selection(
        TRANSFER_METHODS, string="Transferred By", copy=False, tracking=True
    )
    transfer_receipt_date = fields.Date(
        string="Receipt Received On", copy=False, tracking=True
    )
    transfer_receipt_ref = fields.Char(
        string="Receipt Reference",
        copy=False,
        tracking=True,
        help="The receiving body's number or the signer of the receipt (回执).",
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

    def _do_refuse(
        self,
        state,
        note,
        competent_body=False,
        notice_method=False,
        transfer_method=False,
    ):
        """不予受理, 不再受理 or 告知转出: the item ends at acceptance. A
        redirected item may also be sent to the competent body (转送) by
        ``transfer_method``."""
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
                "transfer_out_date": transfer_method
                and state == "redirected"
                and today,
                "transfer_out_method": state == "redirected" and transfer_method,
            }
        )
        self._xinfang_decision_facts(today)
        label = dict(self._fields["state"]._description_selection(self.env))[state]
        self._log(
            self.env._("Decision: %(decision)s. %(note)s", decision=label, note=note)
        )
        if transfer_method and state == "redirected":
            methods = dict(
                self._fields["transfer_out_method"]._description_selection(self.env)
            )
            self._log(
                self.env._(
                    "Transferred to %(body)s (转送) by %(method)s.",
                    body=competent_body,
                    method=methods[transfer_method],
                )
            )

    def action_record_receipt(self):
        self._check_group(OFFICER)
        return self._open_dialog(
            "xinfang.petition.receipt", self.env._("Transfer Receipt (回执)")
        )

    def _do_record_receipt(self, receipt_date, reference):
        """The receiving body's receipt (回执) of a transfer out."""
        self._check_group(OFFICER)
        for petition in self:
            if not petition.transfer_out_date:
                raise UserError(
                    self.env._("%s was not transferred out (转送).", petition.name)
                )
            if petition.transfer_receipt_date:
                raise UserError(
                    self.env._("The receipt of %s is already recorded.", petition.name)
                )
            if fields.Date.to_date(receipt_date) < petition.transfer_out_date:
                raise UserError(
                    self.env._(
                        "The receipt of %s cannot be dated before the transfer.",
                        petition.name,
                    )
                )
        self._xinfang_steps().write(
            {"transfer_receipt_date": receipt_date, "transfer_receipt_ref": reference}
        )
        self._log(
            self.env._(
                "Receipt (回执) of the transfer recorded: %(date)s %(ref)s",
                date=receipt_date,
                ref=reference or "",
            )
        )
