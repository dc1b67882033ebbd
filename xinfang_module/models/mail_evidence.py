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

from .xinfang_guard import (
    OFFICE_AND_DISCIPLINE,
    check_attachments_readable,
    has_any_group,
    in_step,
    messages_are_evidence,
)

EVIDENCE_MODELS = frozenset(
    {
        "xinfang.petition",
        "xinfang.assignment",
        "xinfang.supervision",
        "xinfang.callback",
        "xinfang.visit",
        "xinfang.report",
        "xinfang.report.back",
        "xinfang.info.report",
        "xinfang.archive.volume",
    }
)
# What a reader may still change on a message: their own star and pin, and
# the notifications Odoo cleans up.
# (Adding a notification would let its partner read the message.)
MESSAGE_SIDE_FIELDS = frozenset({"starred_partner_ids", "pinned_at"})


def _check_evidence(records, model_field, error):
    """Refuse (raise ``error``) to rewrite ``records`` that belong to the
    addon's records (their ``model_field`` names the model), unless superuser
    or administrator."""
    env = records.env
    if env.su or env.is_system():
        return
    if any(record[model_field] in EVIDENCE_MODELS for record in records.sudo()):
        raise error


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _xinfang_check_evidence(self):
        _check_evidence(self, "model", messages_are_evidence(self.env))

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
        messages = self.env["mail.message"].browse(
            [
                vals["mail_message_id"]
                for vals in vals_list
                if vals.get("mail_message_id")
            ]
        )
        _check_evidence(
            messages,
            "model",
            UserError(
                self.env._(
                    "Who is told of a petition record is decided by its "
                    "followers and rules, not by hand."
                )
            ),
        )
        return super().create(vals_list)


class MailActivity(models.Model):
    """Activities on petition records: assigned only to people who may read
    the record (never the accused), and changed or done by their own user,
    their author or the office — not silenced by whoever may edit the item."""

    _inherit = "mail.activity"

    def _xinfang_trusted(self):
        return in_step(self.env)

    def _xinfang_check_assignee(self, model, res_id, user_id):
        if model not in EVIDENCE_MODELS or not user_id or not res_id:
            return
        record = self.env[model].browse(res_id)
        user = self.env["res.users"].browse(user_id)
        if not record._xinfang_readers(user - record._xinfang_never_told()):
            raise UserError(
                self.env._(
                    "%s may not read this petition record: an activity is "
                    "assigned only to someone who may.",
                    user.sudo().name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._xinfang_trusted():
            for vals in vals_list:
                model = vals.get("res_model") or (
                    vals.get("res_model_id")
                    and self.env["ir.model"].sudo().browse(vals["res_model_id"]).model
                )
                self._xinfang_check_assignee(
                    model, vals.get("res_id"), vals.get("user_id", self.env.uid)
                )
        return super().create(vals_list)

    def _xinfang_check_own(self):
        if self._xinfang_trusted() or has_any_group(
            self.env.user, OFFICE_AND_DISCIPLINE
        ):
            return
        for activity in self.sudo():
            if activity.res_model in EVIDENCE_MODELS and self.env.uid not in (
                activity.user_id.id,
                activity.create_uid.id,
            ):
                raise UserError(
                    self.env._(
                        "This activity is %s's: they, its author or the petition "
                        "office change it.",
                        activity.user_id.name,
                    )
                )

    def write(self, vals):
        self._xinfang_check_own()
        if "user_id" in vals and not self._xinfang_trusted():
            for activity in self.sudo():
                self._xinfang_check_assignee(
                    activity.res_model, activity.res_id, vals["user_id"]
                )
        return super().write(vals)

    def unlink(self):
        self._xinfang_check_own()
        return super().unlink()

    def _action_done(self, feedback=False, attachment_ids=None):
        self._xinfang_check_own()
        if attachment_ids and not self._xinfang_trusted():
            check_attachments_readable(self.env, attachment_ids)
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
