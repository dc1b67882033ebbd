from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.xinfang_petition import STATES, subject_similarity


class XinfangRepeatWizard(models.TransientModel):
    _name = "xinfang.repeat.wizard"
    _inherit = ["xinfang.dialog.mixin"]
    _description = "Possible Repeat Petitions"

    petition_id = fields.Many2one("xinfang.petition", required=True, ondelete="cascade")
    line_ids = fields.One2many("xinfang.repeat.wizard.line", "wizard_id")
    can_merge = fields.Boolean(compute="_compute_can_merge")

    @api.depends("line_ids.can_merge")
    def _compute_can_merge(self):
        for wizard in self:
            wizard.can_merge = any(wizard.line_ids.mapped("can_merge"))

    @api.model
    def _prepare_vals(self, petition):
        candidates = petition._find_repeat_candidates()
        return {
            "petition_id": petition.id,
            "line_ids": [
                fields.Command.create(
                    {
                        "candidate_id": candidate.id,
                        "number": candidate.name,
                        "registration_date": candidate.registration_date,
                        "subject": candidate.subject,
                        "state": candidate.state,
                        "similarity": subject_similarity(
                            candidate.subject, petition.subject
                        ),
                        "can_merge": petition._can_merge_into(candidate),
                        "selected": index == 0,
                    }
                )
                for index, candidate in enumerate(candidates)
            ],
        }

    def _selected_candidate(self):
        self.ensure_one()
        lines = self.line_ids.filtered("selected")
        if len(lines) != 1:
            raise UserError(self.env._("Select exactly one earlier petition."))
        return lines.candidate_id

    def action_link(self):
        """Link the new item as a repeat, then finish its registration."""
        self.petition_id._link_as_repeat_of(self._selected_candidate())
        self.petition_id.with_context(xinfang_skip_repeat_check=True).action_submit()
        return {"type": "ir.actions.act_window_close"}

    def action_merge(self):
        """Merge a same-day repeat call into the selected open item."""
        self.petition_id._merge_call_into(self._selected_candidate())
        return {"type": "ir.actions.act_window_close"}

    def action_register_new(self):
        """Not a repeat: register the item as a new one."""
        self.petition_id.with_context(xinfang_skip_repeat_check=True).action_submit()
        return {"type": "ir.actions.act_window_close"}


class XinfangRepeatWizardLine(models.TransientModel):
    _name = "xinfang.repeat.wizard.line"
    _description = "Possible Repeat Petition"
    _order = "similarity desc, registration_date desc"

    wizard_id = fields.Many2one(
        "xinfang.repeat.wizard", required=True, ondelete="cascade"
    )
    # Only the copied values below are shown: the registrar may not be allowed
    # to open the earlier petition itself.
    candidate_id = fields.Many2one(
        "xinfang.petition", required=True, ondelete="cascade"
    )
    selected = fields.Boolean()
    number = fields.Char(readonly=True)
    registration_date = fields.Datetime(readonly=True)
    subject = fields.Char(readonly=True)
    state = fields.Selection(STATES, readonly=True)
    similarity = fields.Integer(string="Similarity (%)", readonly=True)
    can_merge = fields.Boolean(string="Same-day Call", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        """A line shows an earlier item the user may not read: only the items
        the repeat search offers for the dialog's petition."""
        if not self.env.su:
            wizards = self.env["xinfang.repeat.wizard"].browse(
                {vals["wizard_id"] for vals in vals_list if vals.get("wizard_id")}
            )
            offered = {
                wizard.id: set(wizard.petition_id._find_repeat_candidates().ids)
                for wizard in wizards
            }
            for vals in vals_list:
                if vals.get("candidate_id") not in offered.get(
                    vals.get("wizard_id"), ()
                ):
                    raise AccessError(
                        self.env._(
                            "This item is not a possible repeat of the petition."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and {"candidate_id", "wizard_id"} & set(vals):
            raise AccessError(
                self.env._("This item is not a possible repeat of the petition.")
            )
        return super().write(vals)
