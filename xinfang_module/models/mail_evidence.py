"""The chatter and the files of a petition are evidence (issue 11).

Messages and attachments on the addon's records are append-only for every
user but the system administrator: nobody rewrites or deletes the office's
notes, a logged step, or a scanned original, and a made callback's signature
is not replaced through ``ir.attachment``. Trusted code (``sudo()``) is not
concerned: Odoo's own binary fields store their files that way.
"""

from odoo import models
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
MESSAGE_SIDE_FIELDS = frozenset(
    {"starred_partner_ids", "notification_ids", "pinned_at"}
)


def _may_rewrite(env):
    return env.su or env.is_system()


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _xinfang_check_evidence(self):
        if _may_rewrite(self.env):
            return
        if any(message.model in EVIDENCE_MODELS for message in self.sudo()):
            raise UserError(
                self.env._(
                    "Messages on petition records are evidence: they are never "
                    "edited or deleted. Post a new note to correct one."
                )
            )

    def write(self, vals):
        if set(vals) - MESSAGE_SIDE_FIELDS:
            self._xinfang_check_evidence()
        return super().write(vals)

    def unlink(self):
        self._xinfang_check_evidence()
        return super().unlink()


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _xinfang_check_evidence(self):
        if _may_rewrite(self.env):
            return
        if any(attachment.res_model in EVIDENCE_MODELS for attachment in self.sudo()):
            raise UserError(
                self.env._(
                    "Files on petition records are evidence: they are never "
                    "replaced or deleted. Attach a new file instead."
                )
            )

    def write(self, vals):
        self._xinfang_check_evidence()
        return super().write(vals)

    def unlink(self):
        self._xinfang_check_evidence()
        return super().unlink()
