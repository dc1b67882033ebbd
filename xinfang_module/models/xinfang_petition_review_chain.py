"""The 复查/复核 chain (C5): a request for review of a decision or a reply
opens a child item of the next level, within the legal windows."""

from odoo import fields, models
from odoo.exceptions import UserError

from .xinfang_petition import (
    MANAGER,
    OFFICER,
    subject_similarity,
)


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    final_closure = fields.Boolean(
        string="Three-level Closure (三级终结)",
        copy=False,
        tracking=True,
        help="The matter already went through 复查 and 复核: a new item on it "
        "defaults to 不再受理.",
    )

    parent_id = fields.Many2one(
        "xinfang.petition",
        string="Reviewed Item",
        index="btree_not_null",
        copy=False,
        help="For a 复查/复核 request: the item whose reply is contested.",
    )

    child_ids = fields.One2many(
        "xinfang.petition", "parent_id", string="Review Requests"
    )

    review_override_reason = fields.Text(copy=False)

    def action_request_review(self):
        return self._open_dialog(
            "xinfang.petition.review.request",
            self.env._("Request Review (复查/复核)"),
        )

    def _do_request_review(self, request_date=False, override_reason=False):
        """复查 from a replied or closed item, 复核 from a closed 复查 (C5)."""
        self._check_group(OFFICER)
        self.ensure_one()
        self._check_state(("replied", "closed", "filed"), self.env._("reviewed"))
        if self.petition_type == "reexamination":
            raise UserError(
                self.env._(
                    "%s is a 复核 decision: the chain is closed (三级终结).",
                    self.display_name,
                )
            )
        if self.petition_type == "review" and self.state == "replied":
            raise UserError(self.env._("Close the 复查 before requesting a 复核."))
        if self.sudo().child_ids:
            raise UserError(
                self.env._(
                    "%(petition)s was already reviewed: %(review)s.",
                    petition=self.display_name,
                    review=", ".join(self.sudo().child_ids.mapped("name")),
                )
            )
        request_date = fields.Date.to_date(request_date) or fields.Date.context_today(
            self
        )
        reference = self.reply_date or self.close_date or self.decision_date
        limit = self.company_id._xinfang_add_days(reference, "review_request")
        if limit and request_date > limit:
            if not override_reason:
                raise UserError(
                    self.env._(
                        "The request comes after %(limit)s, the end of the review "
                        "window: only the office manager can accept it, with a "
                        "reason.",
                        limit=limit,
                    )
                )
            self._check_group(MANAGER)
        new_type = "reexamination" if self.petition_type == "review" else "review"
        child = self._xinfang_steps().copy(
            {
                "petition_type": new_type,
                "parent_id": self.id,
                "channel": self.channel,
                "subject": self.subject,
                "original_org": self.company_id.name,
                "original_doc_number": self.name,
                "review_override_reason": override_reason,
                "state": "pending",
            }
        )
        self._log(
            self.env._(
                "%(type)s requested: %(number)s.",
                type=dict(
                    self._fields["petition_type"]._description_selection(self.env)
                )[new_type],
                number=child.name,
            )
        )
        return child._xinfang_unmarked()

    def _find_final_closure(self):
        """A 复核 already decided on the same matter of the same person: the
        matter is closed at three levels (三级终结)."""
        self.ensure_one()
        if not self.petitioner_id:
            return self.browse()
        threshold = self.company_id.xinfang_repeat_similarity
        petitioner = self.petitioner_id.sudo()
        same_person = (
            ("petitioner_id.id_number", "=", petitioner.id_number)
            if petitioner.id_number
            else ("petitioner_id", "=", petitioner.id)
        )
        # Whenever it was decided: unlike repeats, no time window applies.
        decided = self.sudo().search(
            [
                same_person,
                ("petition_type", "=", "reexamination"),
                ("state", "in", ("replied", "closed", "filed")),
                ("company_id", "=", self.company_id.id),
            ]
        )
        return decided.filtered(
            lambda c: subject_similarity(c.subject, self.subject) >= threshold
        )
