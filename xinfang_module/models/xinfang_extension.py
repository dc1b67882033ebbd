from odoo import api, fields, models
from odoo.exceptions import UserError


class XinfangExtension(models.Model):
    _name = "xinfang.extension"
    _inherit = ["xinfang.guard.mixin"]
    _description = "Petition Handling Extension"
    _order = "id desc"
    # Requested by the Request Extension step, decided by the manager's.
    _xinfang_step_fields = frozenset(
        {
            "petition_id",
            "days",
            "reason",
            "state",
            "requested_by_id",
            "approved_by_id",
        }
    )

    petition_id = fields.Many2one(
        "xinfang.petition", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="petition_id.company_id", store=True)
    confidential = fields.Boolean(related="petition_id.confidential", store=True)
    days = fields.Integer(required=True)
    reason = fields.Text(required=True)
    state = fields.Selection(
        [("requested", "Requested"), ("approved", "Approved"), ("refused", "Refused")],
        default="requested",
        required=True,
    )
    requested_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    approved_by_id = fields.Many2one("res.users", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        self._xinfang_check_create_vals(vals_list)
        extensions = super().create(vals_list)
        for extension in extensions:
            extension.petition_id.message_post(
                body=self.env._(
                    "Extension of %(days)s days requested: %(reason)s",
                    days=extension.days,
                    reason=extension.reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return extensions

    def write(self, vals):
        self._xinfang_check_step_fields(vals)
        return super().write(vals)

    def action_approve(self):
        """The office manager approves; extensions add at most the legal cap."""
        self.env["xinfang.petition"]._check_group(
            "xinfang_module.group_xinfang_manager"
        )
        for extension in self:
            if extension.state != "requested":
                raise UserError(self.env._("This extension was already decided."))
            petition = extension.petition_id
            cap = petition.company_id.xinfang_extension_max_days
            if petition.extension_days + extension.days > cap:
                raise UserError(
                    self.env._(
                        "Extensions of %(petition)s would total %(total)s days: the "
                        "limit is %(cap)s days.",
                        petition=petition.display_name,
                        total=petition.extension_days + extension.days,
                        cap=cap,
                    )
                )
            extension._xinfang_steps().write(
                {"state": "approved", "approved_by_id": self.env.uid}
            )
            petition.message_post(
                body=self.env._(
                    "Extension of %(days)s days approved: new handling deadline "
                    "%(deadline)s.",
                    days=extension.days,
                    deadline=petition.handling_deadline,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_refuse(self):
        self.env["xinfang.petition"]._check_group(
            "xinfang_module.group_xinfang_manager"
        )
        self.filtered(lambda e: e.state == "requested")._xinfang_steps().write(
            {"state": "refused"}
        )
        return True
