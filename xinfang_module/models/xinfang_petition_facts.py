"""Facts for the statistics (G1): the nature of the request, and what each
step decided about time, stored when the step happens. A later change of the
settings never rewrites them: last year's on-time rate stays last year's."""

from odoo import api, fields, models

from .xinfang_category import REQUEST_NATURES


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    request_nature = fields.Selection(
        REQUEST_NATURES,
        string="Nature of the Request",
        compute="_compute_request_nature",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        help="诉求性质, as the statistics break items down; the category's "
        "nature is proposed.",
    )
    decided_on_time = fields.Boolean(
        string="Decided on Time",
        readonly=True,
        copy=False,
        index=True,
        help="B1: the acceptance decision came on or before the acceptance "
        "deadline of that day. Set by the decision.",
    )
    replied_on_time = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="C1: the reply was approved on or before the handling deadline "
        "(approved extensions included). Set by the approval.",
    )
    closed_on_time = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="C1: closed on or before the handling deadline (approved "
        "extensions included). Set by the closure.",
    )
    overdue_days_at_close = fields.Integer(
        string="Days Overdue at Closure",
        readonly=True,
        copy=False,
        help="Days between the handling deadline and the closure (0 on time).",
    )
    handling_days_at_close = fields.Integer(
        string="Handling Days",
        readonly=True,
        copy=False,
        help="Days from the acceptance decision to the closure.",
    )

    @api.depends("category_id")
    def _compute_request_nature(self):
        for petition in self:
            if petition.category_id.request_nature:
                petition.request_nature = petition.category_id.request_nature
            elif not petition.request_nature and petition.confidential:
                petition.request_nature = "report"

    def _xinfang_set_flag(self, field_name, date, deadline_field):
        """``field_name`` true for the items whose ``deadline_field`` is on
        or after ``date``, false for the others: two writes for the batch."""
        on_time = self.filtered(
            lambda p: p[deadline_field] and date <= p[deadline_field]
        )
        on_time._xinfang_steps().write({field_name: True})
        (self - on_time)._xinfang_steps().write({field_name: False})

    def _xinfang_decision_facts(self, decision_date):
        """Written with the acceptance decision (受理, 不予受理, 转出)."""
        self._xinfang_set_flag("decided_on_time", decision_date, "acceptance_deadline")

    def _xinfang_reply_facts(self, reply_date):
        self._xinfang_set_flag("replied_on_time", reply_date, "handling_deadline")

    def _xinfang_close_facts(self, close_date):
        for petition in self:
            deadline = petition.handling_deadline
            petition._xinfang_steps().write(
                {
                    "closed_on_time": bool(deadline and close_date <= deadline),
                    "overdue_days_at_close": max((close_date - deadline).days, 0)
                    if deadline
                    else 0,
                    "handling_days_at_close": (close_date - petition.decision_date).days
                    if petition.decision_date
                    else 0,
                }
            )
