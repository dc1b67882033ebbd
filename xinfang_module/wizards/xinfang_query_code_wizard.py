from odoo import fields, models
from odoo.exceptions import UserError

from ..models.xinfang_online import clean_text, format_code
from ..models.xinfang_petition import OFFICER


class XinfangQueryCodeWizard(models.TransientModel):
    """Item 6: a petitioner who lost the code proves who they are to the
    office, which issues a new one (the old one stops working). The code is
    shown in a notification that stays until closed, and stored nowhere."""

    _name = "xinfang.query.code.wizard"
    _description = "Issue a New Query Code"

    petition_id = fields.Many2one("xinfang.petition", required=True, readonly=True)
    reason = fields.Text(
        required=True,
        help="How the petitioner proved who they are (e.g. 本人持身份证到信访办).",
    )

    def action_issue(self):
        self.ensure_one()
        petition = self.petition_id
        petition._check_group(OFFICER)
        petition.check_access("write")
        reason = clean_text(self.reason)
        if not reason:
            raise UserError(self.env._("Say how the petitioner proved who they are."))
        code = petition._xinfang_issue_query_code()
        petition.sudo().message_post(
            body=self.env._(
                "A new query code was issued by %(user)s; the old one no longer "
                "works. Reason: %(reason)s",
                user=self.env.user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self.env["xinfang.online.event"]._log(
            petition.company_id,
            "code",
            petition=petition,
            number=petition.name,
            detail=self.env.user.name,
        )
        # Shown once, kept nowhere: not even in this dialog's record.
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("New query code of %s", petition.name),
                "message": self.env._(
                    "%s — give it to the petitioner now: it is not shown again.",
                    format_code(code),
                ),
                "type": "success",
                "sticky": True,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
