"""The chatter and the files of a petition are evidence (issue 11).

See also ir_attachment.py for the files.

Messages and attachments on the addon's records are append-only for every
user but the system administrator: nobody rewrites or deletes the office's
notes, a logged step, or a scanned original, and a made callback's signature
is not replaced through ``ir.attachment``. Trusted code (``sudo()``) is not
concerned: Odoo's own binary fields store their files that way.
"""

from odoo import api, models
from odoo.exceptions import UserError

EVIDENCE_MODELS = frozenset(
    {
        "xinfang.petition",
        "xinfang.assignment",
        "xinfang.supervision",
        "xinfang.callback",
        "xinfang.visit",
    }
)
# What a reader may still change on a message: their own star and pin, and
# the notifications Odoo cleans up.
# (Adding a notification would let its partner read the message.)
MESSAGE_SIDE_FIELDS = frozenset({"starred_partner_ids", "pinned_at"})


def _check_evidence(records, model_field, message):
    """Refuse to rewrite ``records`` that belong to the addon's records (their
    ``model_field`` names the model), unless superuser or administrator."""
    env = records.env
    if env.su or env.is_system():
        return
    if any(record[model_field] in EVIDENCE_MODELS for record in records.sudo()):
        raise UserError(message)


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _xinfang_check_evidence(self):
        _check_evidence(
            self,
            "model",
            self.env._(
                "Messages on petition records are evidence: they are never "
                "edited or deleted. Post a new note to correct one."
            ),
        )

    def write(self, vals):
        if set(vals) - MESSAGE_SIDE_FIELDS:
            self._xinfang_check_evidence()
        return super().write(vals)

    def unlink(self):
        self._xinfang_check_evidence()
        return super().unlink()


class MailNotification(models.Model):
    _inherit = "mail.notification"

    @api.model_create_multi
    def create(self, vals_list):
        # A notification lets its partner read the message: on the addon's
        # records only Odoo's own notifying (as superuser) makes them.
        if not (self.env.su or self.env.is_system()):
            messages = (
                self.env["mail.message"]
                .sudo()
                .browse(
                    [
                        vals["mail_message_id"]
                        for vals in vals_list
                        if vals.get("mail_message_id")
                    ]
                )
            )
            if any(message.model in EVIDENCE_MODELS for message in messages):
                raise UserError(
                    self.env._(
                        "Who is told of a petition record is decided by its "
                        "followers and rules, not by hand."
                    )
                )
        return super().create(vals_list)
