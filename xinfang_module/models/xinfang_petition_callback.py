"""Callbacks (回访, F1-F6): the item's callbacks, its latest rating, and the
re-handling a dissatisfied callback opens."""

from odoo import api, fields, models

from .tools import count_by
from .xinfang_petition import (
    CALLBACK_RATINGS,
)


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    # --- Callbacks (回访) ------------------------------------------------------
    high_impact = fields.Boolean(
        help="F1: an anonymous item with a large impact is called back when its "
        "writer is known (recorded as petitioner).",
    )

    callback_ids = fields.One2many("xinfang.callback", "petition_id")

    rehandling_date = fields.Date(
        string="Reopened for Re-handling",
        copy=False,
        tracking=True,
        help="F6: reopened after a dissatisfied callback; the handling limit "
        "runs again from this day.",
    )

    callback_count = fields.Integer(compute="_compute_callback_count")

    callback_rating = fields.Selection(
        CALLBACK_RATINGS,
        compute="_compute_callback_rating",
        store=True,
        index="btree_not_null",
        help="The rating of the latest callback made.",
    )

    def _compute_callback_count(self):
        counts = count_by(self, "xinfang.callback", "petition_id")
        for petition in self:
            petition.callback_count = counts.get(petition, 0)

    @api.depends("callback_ids.state", "callback_ids.rating", "callback_ids.done_date")
    def _compute_callback_rating(self):
        # Every callback counts, also those the current user may not read.
        for petition in self:
            done = petition.sudo().callback_ids.filtered(
                lambda c: c.state == "done" and c.rating
            )
            latest = done.sorted(lambda c: (c.done_date, c.id))[-1:]
            petition.callback_rating = latest.rating

    def action_view_callbacks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_callback_action"
        )
        action["domain"] = [("petition_id", "=", self.id)]
        action["context"] = {"default_petition_id": self.id}
        return action
