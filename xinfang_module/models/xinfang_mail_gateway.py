"""The e-mail gateway (issue 16, item 1): a company's alias turns each e-mail
into a petition in registration, on the e-mail channel.

- The sender is a ``xinfang.petitioner`` (matched by address in the company,
  or made), never a ``res.partner``: Contacts would show the address to every
  internal user.
- The e-mail as received is filed on the item as originals: the text with
  its headers, and its files. The chatter keeps a note by OdooBot that names
  nobody (no author, no ``email_from``, no follower), and carries the
  message's Message-Id so that replies find the item. On a concealed or
  confidential item, originals are the office's only (ir_attachment.py).
- Automatic mail (auto-replies, bounces, mailing lists) never makes an item
  nor adds to one; the acknowledgment says it is automatic (RFC 3834), so no
  mail loop starts.
"""

import logging

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, html2plaintext
from odoo.tools.mail import email_normalize, email_split_tuples

_logger = logging.getLogger(__name__)

PETITION = "xinfang.petition"
# RFC 3834 and the headers auto-responders and list servers set in practice.
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTOMATIC_SENDERS = {"mailer-daemon", "postmaster"}
# The subject of an item is a Char: a longer one is cut (the content keeps it).
SUBJECT_LENGTH = 200


def check_mail_server(env):
    """Only the mail server (odoo-mailgate, the incoming mail servers' cron)
    delivers, as an administrator: nobody else makes an item, or adds to
    one, by calling the gateway with an e-mail of their own."""
    if not (env.su or env.is_system()):
        raise AccessError(env._("Only the mail server delivers e-mails to petitions."))


def is_automatic(message, message_dict):
    """Whether an incoming e-mail was sent by a machine, not by a person."""
    if message_dict.get("is_bounce"):
        return True
    auto_submitted = (message.get("Auto-Submitted") or "no").strip().lower()
    if auto_submitted != "no":
        return True
    if any(message.get(name) for name in ("X-Autoreply", "X-Autorespond")):
        return True
    if (message.get("Precedence") or "").strip().lower() in AUTOMATIC_PRECEDENCE:
        return True
    sender = email_normalize(message_dict.get("email_from") or "") or ""
    return sender.split("@")[0] in AUTOMATIC_SENDERS


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_route(
        self, message, message_dict, model=None, thread_id=None, custom_values=None
    ):
        routes = super().message_route(
            message,
            message_dict,
            model=model,
            thread_id=thread_id,
            custom_values=custom_values,
        )
        if not any(route[0] == PETITION for route in routes):
            return routes
        check_mail_server(self.env)
        if is_automatic(message, message_dict):
            _logger.info(
                "Automatic e-mail %s from %s: not added to petitions",
                message_dict.get("message_id"),
                message_dict.get("email_from"),
            )
            return [route for route in routes if route[0] != PETITION]
        return routes

    def _message_route_process(self, message, message_dict, routes):
        if any(route[0] == PETITION for route in routes):
            # Odoo would make the people in To and Cc whom it knows the
            # recipients of the filed note, named to every reader of the item.
            message_dict["partner_ids"] = []
        return super()._message_route_process(message, message_dict, routes)


class XinfangPetition(models.Model):
    _inherit = PETITION

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A new e-mail to the company's alias: an item in registration.

        Made by OdooBot, whoever Odoo matched the sender to (a user of the
        database e-mailing as a whistle-blower is not its creator, author or
        follower); of the alias's values only the company is taken."""
        # Public like every method of a model: the gateway calls it as
        # superuser, nobody else makes an item this way.
        check_mail_server(self.env)
        self = self.with_env(self.env(user=SUPERUSER_ID, su=True))
        company = self.env["res.company"].browse(
            (custom_values or {}).get("company_id")
        )
        company = company.exists() or self.env.company
        # The item's words in the office's language.
        self = self.with_context(lang=company.partner_id.lang or self.env.lang)
        petitioner = self._xinfang_petitioner_from_email(
            msg_dict.get("email_from"), company
        )
        subject = " ".join((msg_dict.get("subject") or "").split())
        content = html2plaintext(msg_dict.get("body") or "").strip()
        values = {
            "company_id": company.id,
            "channel": "email",
            "registration_date": fields.Datetime.now(),
            "subject": subject[:SUBJECT_LENGTH] or self.env._("E-mail without subject"),
            "content": content or self.env._("The e-mail has no text: see its files."),
            "petitioner_id": petitioner.id,
            "anonymous": not petitioner,
            # The office registers it: nobody of the desk did.
            "registrar_id": False,
        }
        petition = self.create(values)
        # The code is issued whether or not it can be sent: the office hands
        # it out again (a new one) to a petitioner who asks.
        code = petition._xinfang_issue_query_code()
        petition._xinfang_acknowledge(
            petitioner.email, code, references=msg_dict.get("message_id")
        )
        return petition

    @api.model
    def _xinfang_petitioner_from_email(self, email_from, company):
        """The petitioner of a sender: the company's person with that address,
        or a new one. No address, no petitioner (an anonymous item).

        A person whose identity an item protects is never matched: anybody
        can write a From line, and a new item would show them to the desk.
        The office finds both under the same address and merges them."""
        Petitioner = self.env["xinfang.petitioner"].sudo()
        pairs = email_split_tuples(email_from or "")
        email = pairs and email_normalize(pairs[0][1])
        if not email:
            return Petitioner
        # The address as it is, not as a pattern (% and _ are no wildcards).
        self.env.cr.execute(
            SQL(
                "SELECT id FROM xinfang_petitioner WHERE company_id = %s "
                "AND active AND lower(email) = %s ORDER BY id",
                company.id,
                email,
            )
        )
        same = [row[0] for row in self.env.cr.fetchall()]
        # Archived items protect too.
        protected = [
            ("active", "in", [True, False]),
            "|",
            ("confidential", "=", True),
            ("conceal_identity", "=", True),
        ]
        found = Petitioner.with_context(active_test=False).search(
            [
                ("id", "in", same),
                ("petition_ids", "not any", protected),
                ("cosigned_petition_ids", "not any", protected),
                ("visit_ids", "not any", [("confidential", "=", True)]),
            ],
            order="id",
            limit=1,
        )
        name = (pairs[0][0] or "").strip() or email.split("@")[0]
        return found or Petitioner.create(
            {"name": name, "email": email, "company_id": company.id}
        )

    def _xinfang_acknowledge(self, email, code=None, references=None):
        """The optional acknowledgment, with the item's number and query
        code. Its failure loses nothing: the item is kept, the failure
        logged."""
        self.ensure_one()
        if not (email and self.company_id.xinfang_email_acknowledge):
            return
        template = self.env.ref(
            "xinfang_module.mail_template_petition_email_received",
            raise_if_not_found=False,
        )
        if not template:
            return
        # RFC 3834: no auto-responder answers it. It refers to the e-mail
        # received, whose Message-Id the item keeps: a reply finds the item.
        self._xinfang_send_code(
            template, email, code, "auto-replied", references=references
        )

    def message_post(self, **kwargs):
        # Every e-mail, also of a user of the database (a whistle-blower may
        # write from their work address): filed, naming nobody.
        if self.env.context.get("from_alias") and kwargs.get("message_type") == "email":
            kwargs = self._xinfang_filed_email(kwargs)
        return super().message_post(**kwargs)

    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        # Odoo refuses more than mail.gateway.loop.threshold new items from
        # one sender within mail.gateway.loop.minutes (an auto-responder,
        # a flood).
        return [
            ("channel", "=", "email"),
            ("petitioner_id.email", "=", email_from_normalized),
        ]

    def _xinfang_filed_email(self, values):
        """What is posted of an incoming e-mail: a note naming nobody, with
        the e-mail as received and its files (originals)."""
        self.ensure_one()
        self = self.with_context(lang=self.company_id.partner_id.lang or self.env.lang)
        attachments = [self._xinfang_email_original(values)]
        attachments += list(values.get("attachments") or [])
        files = len(attachments) - 1
        # The first e-mail made the item; a later one (or one to an item
        # that came otherwise, answering its notice) adds to it.
        further = self.channel != "email" or self.message_ids.filtered(
            lambda m: m.author_id == self.env.ref("base.partner_root")
            and m.attachment_ids
        )
        if further:
            text = self.env._(
                "Further e-mail from the petitioner (补充材料): the message and "
                "its %(count)s file(s) are filed as originals.",
                count=files,
            )
        elif files:
            text = self.env._(
                "E-mail received (电子邮件): the message and its %(count)s file(s) "
                "are filed as originals.",
                count=files,
            )
        else:
            text = self.env._(
                "E-mail received (电子邮件): the message is filed as an original."
            )
        if further:
            self._xinfang_tell_of_email()
        body = Markup("<p>%s</p>") % text
        return {
            "body": body,
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_note",
            "author_id": self.env.ref("base.partner_root").id,
            "email_from": False,
            "attachments": attachments,
            # Replies to the e-mail find the item by it.
            "message_id": values.get("message_id"),
            "date": values.get("date"),
        }

    def _xinfang_tell_of_email(self):
        """A further e-mail asks for the office's eye: a to-do for who
        registered the item (nobody yet: the item waits in registration)."""
        self.ensure_one()
        registrar = self.registrar_id
        # Not for who may no longer open it (a confidential item is
        # discipline's): the item's chatter says it anyway.
        if (
            registrar
            and not registrar.share
            and self.with_user(registrar).has_access("read")
        ):
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.registrar_id.id,
                summary=self.env._("Read the petitioner's further e-mail"),
            )

    def _xinfang_email_original(self, values):
        """The e-mail as received, as a text file: its headers, then its text."""
        lines = [
            self.env._("From: %s", values.get("email_from") or ""),
            self.env._("Date: %s", values.get("date") or ""),
            self.env._("Subject: %s", values.get("subject") or ""),
            self.env._("Message-Id: %s", values.get("message_id") or ""),
            "",
            html2plaintext(values.get("body") or ""),
        ]
        # Named by when it was sent, in the office's time zone.
        sent = fields.Datetime.to_datetime(values.get("date")) or fields.Datetime.now()
        stamp = fields.Datetime.context_timestamp(
            self.with_context(tz=self.company_id._xinfang_tz()), sent
        )
        name = self.env._("E-mail as received %s.txt", stamp.strftime("%Y-%m-%d %H-%M"))
        return (name, "\n".join(lines).encode(), {})
