from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.xinfang_petition import (
    CHANNELS,
    LETTER_FIELDS,
    MANAGER,
    NAMED_RELATIONS,
    OFFICER,
    PETITION_TYPES,
    SIGNATORY_FIELDS,
    settle_signatories,
)

# The letter as received, as the office may correct it (更正登记); the
# company is not corrected: an item moves to another company by no step.
CORRECTABLE = tuple(sorted(LETTER_FIELDS - {"company_id"}))


class XinfangPetitionCorrection(models.TransientModel):
    """更正登记: the office corrects the letter as received, with a reason.

    The changed fields are tracked with their old and new values in the
    chatter (the petitioner's change is logged without naming anyone)."""

    _name = "xinfang.petition.correction"
    _inherit = ["xinfang.dialog.mixin"]
    _description = "Correct a Registered Petition"

    petition_id = fields.Many2one("xinfang.petition", required=True, readonly=True)
    reason = fields.Text(required=True)
    channel = fields.Selection(CHANNELS, required=True)
    registration_date = fields.Datetime(required=True)
    petitioner_id = fields.Many2one("xinfang.petitioner")
    people_count = fields.Integer(string="Number of People")
    joint = fields.Boolean(string="Joint Petition")
    cosigner_ids = fields.Many2many(
        "xinfang.petitioner",
        "xinfang_petition_correction_cosigner_rel",
        string="Co-signers",
    )
    representative_ids = fields.Many2many(
        "xinfang.petitioner",
        "xinfang_petition_correction_representative_rel",
        string="Designated Representatives",
    )
    subject = fields.Char(required=True)
    summary = fields.Text()
    content = fields.Text()
    requests = fields.Text(string="Petitioner's Requests")
    petition_type = fields.Selection(PETITION_TYPES, string="Type", required=True)
    original_org = fields.Char(string="Original Handling Organisation")
    original_doc_number = fields.Char(string="Original Document Number")

    @api.onchange("joint", "petitioner_id", "cosigner_ids")
    def _onchange_signatories(self):
        settle_signatories(self, self.joint and not self.petition_id.anonymous)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        petition = self.env["xinfang.petition"].browse(values.get("petition_id"))
        if petition:
            for name in CORRECTABLE:
                if name in fields_list:
                    field = petition._fields[name]
                    values[name] = field.convert_to_write(petition[name], petition)
        return values

    def action_confirm(self):
        self.ensure_one()
        petition = self.petition_id
        petition._check_group(OFFICER)
        petition.check_access("write")
        if petition.state == "draft":
            raise UserError(
                self.env._("An item in registration is edited in its own form.")
            )
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the registration is corrected."))
        vals = {
            name: self._fields[name].convert_to_write(self[name], self)
            for name in CORRECTABLE
        }
        changed = petition._xinfang_changed(vals)
        if not changed:
            raise UserError(self.env._("Nothing was changed."))
        vals = {name: vals[name] for name in changed}
        petition._xinfang_check_targets([vals], NAMED_RELATIONS)
        # Signatories are logged by number, as the petitioner without a name.
        signatories = changed & set(SIGNATORY_FIELDS)
        before = {name: len(petition.sudo()[name]) for name in signatories}
        petition._xinfang_steps().write(vals)
        counts = [
            self.env._(
                "%(field)s: %(before)s → %(after)s",
                field=petition._labels([name]),
                before=before[name],
                after=len(petition.sudo()[name]),
            )
            for name in sorted(signatories)
        ]
        petition._log(
            self.env._(
                "Registration corrected (更正登记): %(fields)s. Reason: %(reason)s",
                fields=petition._labels(changed),
                reason=self.reason,
            )
            + "".join(f" {count}." for count in counts)
        )
        return {"type": "ir.actions.act_window_close"}


class XinfangPetitionProtection(models.TransientModel):
    """The office manager lifts 保密 or 隐去身份, with a reason. Logged
    without naming anyone; who may read the petitioner follows at once."""

    _name = "xinfang.petition.protection"
    _inherit = ["xinfang.dialog.mixin"]
    _description = "Lift a Petition's Identity Protection"

    petition_id = fields.Many2one("xinfang.petition", required=True, readonly=True)
    confidential = fields.Boolean(related="petition_id.confidential")
    lift = fields.Selection(
        [
            ("confidential", "Confidentiality (保密)"),
            ("conceal_identity", "Concealed Identity (隐去身份)"),
        ],
        required=True,
        default=lambda self: "confidential"
        if self.env["xinfang.petition"]
        .browse(self.env.context.get("default_petition_id"))
        .confidential
        else "conceal_identity",
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        petition = self.petition_id
        petition._check_group(MANAGER)
        petition.check_access("write")
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the protection is lifted."))
        if not petition[self.lift]:
            raise UserError(self.env._("%s is not protected that way.", petition.name))
        if self.lift == "conceal_identity" and petition.confidential:
            raise UserError(
                self.env._(
                    "%s is confidential: lift the confidentiality first.", petition.name
                )
            )
        if self.lift == "confidential" and petition.category_id.confidential:
            raise UserError(
                self.env._(
                    "The category of %s is confidential: reclassify it first.",
                    petition.name,
                )
            )
        label = dict(self._fields["lift"]._description_selection(self.env))[self.lift]
        petition._xinfang_steps().write({self.lift: False})
        petition._log(
            self.env._(
                "%(protection)s lifted by the office manager. Reason: %(reason)s",
                protection=label,
                reason=self.reason,
            )
        )
        return {"type": "ir.actions.act_window_close"}
