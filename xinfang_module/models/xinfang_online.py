"""Online petitions (issue 16, items 2-6): the public form, the query code,
the petitioner's query page, material added later and the online rating.

Everything the public pages do is here, as methods the controller calls
with plain values, so that the rules hold whoever calls them and the tests
reach them without a browser:

- An item submitted online is made by OdooBot, on the online channel, in
  registration. Its petitioner is always a new person: a number typed on a
  web page proves nobody's identity, so it never opens an existing person
  (the office merges them, filter 同一证件号).
- The query code is random (12 characters of an alphabet without 0/O, 1/I/L),
  shown once and stored only as an HMAC of the database secret, bound to the
  item: the code of one item never opens another, and a copy of the
  database does not give the codes away.
- Every public action is logged (``xinfang.online.event``), and the log is
  what the limits count: submissions per address and per minute, failed
  queries per number and per address.
"""

import hmac as std_hmac
import logging
import re
import secrets
from datetime import timedelta

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.misc import hmac as odoo_hmac

from .tools import FILE_TYPES, date_text, datetime_text
from .xinfang_category import REQUEST_NATURES
from .xinfang_petition import CALLBACK_RATINGS, OFFICER
from .xinfang_petitioner import ID_TYPES, normalize_id_number, normalize_phone

_logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: read aloud on the phone and typed from paper without doubt.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
CODE_SCOPE = "xinfang.query_code"

# What the form takes; longer input is refused, not cut.
LIMITS = {
    "name": 60,
    "id_number": 30,
    "phone": 30,
    "email": 120,
    "address": 200,
    "work_unit": 120,
    "subject": 120,
    "content": 10000,
    "requests": 3000,
    "comment": 2000,
    "supplement": 5000,
}
# Control characters but tab and newlines: never stored.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

EVENT_KINDS = [
    ("submitted", "Submitted"),
    ("refused", "Submission Refused"),
    ("query", "Queried"),
    ("query_failed", "Query Failed"),
    ("locked", "Query Locked Out"),
    ("supplement", "Material Added"),
    ("rating", "Rated"),
    ("document", "Notice Downloaded"),
    ("code", "Query Code Issued"),
]
RATABLE_STATES = ("replied", "closed", "filed")


def normalize_code(code):
    """What the petitioner typed, as the code is stored: capitals, without
    spaces and dashes."""
    return re.sub(r"[\s\-]", "", code or "").upper()


def normalize_number(number):
    """An item's number as typed: without any space or control character,
    in capitals, at most 40 characters; what the lock-out counts is what is
    looked up."""
    return re.sub(r"\s+", "", CONTROL_RE.sub("", number or "")).upper()[:40]


def format_code(code):
    """XXXX-XXXX-XXXX, to read and to copy."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def clean_text(value):
    """A field of the form as stored: text, never markup (QWeb escapes it
    wherever it is shown), without control characters; stripped."""
    value = CONTROL_RE.sub("", value or "").replace("\r\n", "\n").strip()
    return value


class XinfangOnlineEvent(models.Model):
    """The log of the public pages: every submission, query, download,
    material and rating, with the address it came from. The limits count it;
    the office reads it on the item (网上访问记录)."""

    _name = "xinfang.online.event"
    _description = "Online Petition Access"
    _order = "id desc"

    company_id = fields.Many2one("res.company", required=True, index=True)
    petition_id = fields.Many2one(
        "xinfang.petition", index="btree_not_null", ondelete="cascade"
    )
    kind = fields.Selection(EVENT_KINDS, required=True)
    ip = fields.Char(string="Address")
    number = fields.Char(string="Number Given")
    detail = fields.Char()
    # Who submitted, for the daily cap: fingerprints of the ID number and of
    # the phone typed (HMAC of the database secret), never the numbers.
    id_key = fields.Char(index="btree_not_null")
    phone_key = fields.Char(index="btree_not_null")

    def init(self):
        # What the limits count: one address's (or number's) recent events.
        for column in ("ip", "number"):
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON xinfang_online_event "
                    "(%s, kind, create_date)",
                    SQL.identifier(f"xinfang_online_event_{column}_idx"),
                    SQL.identifier(column),
                )
            )
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS xinfang_online_event_kind_idx "
                "ON xinfang_online_event (company_id, kind, create_date)"
            )
        )

    @api.model
    def _log(
        self, company, kind, ip=None, petition=None, number=None, detail=None, **keys
    ):
        return self.sudo().create(
            {
                "company_id": company.id,
                "kind": kind,
                "ip": ip,
                "petition_id": petition.id if petition else False,
                "number": (number or "")[:40] or False,
                "detail": (detail or "")[:200] or False,
                **keys,
            }
        )

    @api.model
    def _person_keys(self, data):
        """The fingerprints of the ID number and the phone of a form."""
        keys = {}
        if data.get("anonymous"):
            return keys
        phone = normalize_phone(data.get("phone") or "")
        for fname, value in (
            ("id_key", normalize_id_number(data.get("id_number"))),
            ("phone_key", "".join(ch for ch in phone if ch.isdigit())),
        ):
            if value:
                keys[fname] = odoo_hmac(
                    self.env(su=True), "xinfang.online.person", value
                )
        return keys

    @api.model
    def _count(self, company, kinds, minutes, **where):
        """Events of these kinds in the last minutes (of one address, or one
        number)."""
        since = fields.Datetime.now() - timedelta(minutes=minutes)
        domain = [
            ("company_id", "=", company.id),
            ("kind", "in", kinds),
            ("create_date", ">=", since),
        ]
        domain += [(name, "=", value) for name, value in where.items()]
        return self.sudo().search_count(domain)


class XinfangCategory(models.Model):
    _inherit = "xinfang.category"

    online_public = fields.Boolean(
        string="Offered Online",
        default=True,
        help="Offered to petitioners on the online petition form.",
    )


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    query_code_digest = fields.Char(
        copy=False, groups="base.group_system", readonly=True
    )
    query_code_date = fields.Datetime(
        string="Query Code Issued",
        copy=False,
        readonly=True,
        help="When the petitioner's query code was last issued (only its "
        "fingerprint is kept: a lost code is issued again, never shown again).",
    )
    online_event_ids = fields.One2many(
        "xinfang.online.event",
        "petition_id",
        string="Online Access",
        groups=OFFICER,
        readonly=True,
    )
    online_event_count = fields.Integer(
        compute="_compute_online_event_count", groups=OFFICER
    )
    online_file_count = fields.Integer(
        string="Files Sent Online",
        copy=False,
        readonly=True,
        help="Files the petitioner attached to the online form (the receipt "
        "counts them).",
    )
    supplement_pending = fields.Boolean(
        string="New Material Online",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        help="The petitioner added material on the query page: the office reads "
        "it, then marks it read.",
    )

    def _compute_online_event_count(self):
        counts = dict(
            self.env["xinfang.online.event"]
            .sudo()
            ._read_group(
                [("petition_id", "in", self.ids)], ["petition_id"], ["__count"]
            )
        )
        for petition in self:
            petition.online_event_count = counts.get(petition._origin, 0)

    # ------------------------------------------------------------------
    # The query code
    # ------------------------------------------------------------------

    def _xinfang_code_digest(self, code):
        """The code's fingerprint, bound to this item."""
        self.ensure_one()
        return odoo_hmac(
            self.env(su=True), CODE_SCOPE, f"{self.id}:{normalize_code(code)}"
        )

    def _xinfang_issue_query_code(self):
        """A new code (the old one stops working); returned once, to show."""
        self.ensure_one()
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        self.sudo()._xinfang_steps().write(
            {
                "query_code_digest": self._xinfang_code_digest(code),
                "query_code_date": fields.Datetime.now(),
            }
        )
        return code

    @api.model
    def _xinfang_find_by_code(self, company, number, code):
        """The item of this number and code, or an empty recordset; the same
        work whether the number exists or not, and a constant-time
        comparison of the fingerprints."""
        Petition = self.sudo().with_context(active_test=False)
        petition = Petition.search(
            [("company_id", "=", company.id), ("name", "=", normalize_number(number))],
            limit=1,
        )
        digest = petition.query_code_digest if petition else None
        # Without an item, a fingerprint is still computed and compared.
        probe = petition or Petition.browse(0)
        given = odoo_hmac(
            self.env(su=True), CODE_SCOPE, f"{probe.id}:{normalize_code(code)}"
        )
        if std_hmac.compare_digest(given, digest or "-" * len(given)) and digest:
            return petition
        return Petition.browse()

    def action_regenerate_query_code(self):
        """Open the dialog that issues a lost code again (item 6)."""
        self.ensure_one()
        self._check_group(OFFICER)
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Issue a New Query Code"),
            "res_model": "xinfang.query.code.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_petition_id": self.id},
        }

    def action_supplement_read(self):
        """The office has read what the petitioner added online."""
        self._check_group(OFFICER)
        self.check_access("write")
        self._xinfang_steps().write({"supplement_pending": False})
        self.sudo().activity_feedback(
            ["xinfang_module.mail_activity_type_online_material"]
        )
        return True

    def action_view_online_events(self):
        self.ensure_one()
        self._check_group(OFFICER)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Online Access"),
            "res_model": "xinfang.online.event",
            "view_mode": "list",
            "domain": [("petition_id", "=", self.id)],
        }

    # ------------------------------------------------------------------
    # Submission
    # ------------------------------------------------------------------

    @api.model
    def _xinfang_online_check(self, company, data, files):
        """The form's values and files checked: a list of messages, empty if
        all is well. Nothing is stored."""
        errors = []
        for name, limit in LIMITS.items():
            if len(data.get(name) or "") > limit:
                errors.append(
                    self.env._(
                        "%(field)s is too long: at most %(limit)s characters.",
                        field=self._xinfang_online_label(name),
                        limit=limit,
                    )
                )
        if not data.get("subject"):
            errors.append(self.env._("Give the petition a subject."))
        if not data.get("content"):
            errors.append(self.env._("Describe the matter (content)."))
        if not data.get("anonymous") and not data.get("name"):
            errors.append(self.env._("Give your name, or submit anonymously."))
        if not data.get("rights"):
            errors.append(
                self.env._("Confirm that you have read your rights and duties.")
            )
        if not data.get("consent"):
            errors.append(self.env._("Agree to the processing of your personal data."))
        if data.get("id_type") and data["id_type"] not in dict(ID_TYPES):
            errors.append(self.env._("Choose the identity document from the list."))
        nature = data.get("request_nature")
        if nature and nature not in dict(REQUEST_NATURES):
            errors.append(self.env._("Choose the nature of the request from the list."))
        category = data.get("category_id")
        if category and category not in self._xinfang_online_categories(company).ids:
            errors.append(self.env._("Choose the category from the list."))
        errors += self._xinfang_online_check_files(company, files)
        return errors

    @api.model
    def _xinfang_online_label(self, name):
        labels = {
            "name": self.env._("Name"),
            "id_number": self.env._("ID number"),
            "phone": self.env._("Phone"),
            "email": self.env._("E-mail"),
            "address": self.env._("Address"),
            "work_unit": self.env._("Work unit"),
            "subject": self.env._("Subject"),
            "content": self.env._("Content"),
            "requests": self.env._("Requests"),
            "comment": self.env._("Comment"),
            "supplement": self.env._("Material"),
        }
        return labels[name]

    @api.model
    def _xinfang_online_check_files(self, company, files):
        """files: [(name, bytes)]. Their number, size and type (by content)."""
        errors = []
        if len(files) > company.xinfang_online_max_files:
            errors.append(
                self.env._(
                    "Attach at most %(count)s files.",
                    count=company.xinfang_online_max_files,
                )
            )
        allowed = company._xinfang_online_file_types()
        size = company.xinfang_online_max_file_mb * 1024 * 1024
        for name, content in files:
            extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if len(content) > size:
                errors.append(
                    self.env._(
                        "%(file)s is larger than %(size)s MB.",
                        file=name,
                        size=company.xinfang_online_max_file_mb,
                    )
                )
            elif not content:
                errors.append(self.env._("%(file)s is empty.", file=name))
            elif (
                extension not in allowed
                or guess_mimetype(content, default="application/octet-stream")
                not in FILE_TYPES[extension]
            ):
                errors.append(
                    self.env._(
                        "%(file)s is not a file of an accepted type (%(types)s), "
                        "or its content does not match its name.",
                        file=name,
                        types=", ".join(allowed),
                    )
                )
        return errors

    @api.model
    def _xinfang_online_categories(self, company):
        return (
            self.env["xinfang.category"]
            .sudo()
            .search(
                [
                    ("online_public", "=", True),
                    ("company_id", "in", [False, company.id]),
                ]
            )
        )

    @api.model
    def _xinfang_online_refusal(self, company, data, ip):
        """The message of the first limit the submission meets, logged; or
        None."""
        refusal = self._xinfang_online_limits(company, data, ip)
        if refusal:
            self.env["xinfang.online.event"]._log(
                company, "refused", ip=ip, detail=refusal
            )
        return refusal

    @api.model
    def _xinfang_online_limits(self, company, data, ip):
        """The message of the first limit the submission meets, or None."""
        Event = self.env["xinfang.online.event"]
        per_ip = company.xinfang_online_ip_hourly
        if per_ip and Event._count(company, ["submitted"], 60, ip=ip) >= per_ip:
            return self.env._(
                "Too many petitions were sent from your network in the last hour. "
                "Please try again later, or write or call the office."
            )
        per_minute = company.xinfang_online_global_per_minute
        if per_minute and Event._count(company, ["submitted"], 1) >= per_minute:
            return self.env._(
                "Many petitions are arriving right now. Please try again in a "
                "minute: what you typed is kept below."
            )
        cap = company.xinfang_online_daily_cap
        keys = Event._person_keys(data)
        if cap and keys:
            start = company._xinfang_day_start(company._xinfang_today())
            domain = expression.AND(
                [
                    [
                        ("company_id", "=", company.id),
                        ("kind", "=", "submitted"),
                        ("create_date", ">=", start),
                    ],
                    expression.OR([[(key, "=", value)] for key, value in keys.items()]),
                ]
            )
            count = Event.sudo().search_count(domain)
            if count >= cap:
                return self.env._(
                    "Today %(count)s petitions were already sent with this ID "
                    "number or phone. Please wait until tomorrow, or add to your "
                    "petition on the query page.",
                    count=count,
                )
        return None

    @api.model
    def _xinfang_online_submit(self, company, data, files, ip=None, checked=False):
        """Register a petition sent online; (petition, code).

        ``data`` holds the form's text values, ``files`` [(name, bytes)].
        Raises ValidationError with every message if the values are wrong,
        UserError if a limit is met; nothing is stored then. The public page
        checks the values and the limits first (``checked``): a refusal is
        logged outside the submission's savepoint, and stays logged."""
        data = {
            key: value if isinstance(value, bool | int) else clean_text(value)
            for key, value in data.items()
        }
        if not checked:
            errors = self._xinfang_online_check(company, data, files)
            if errors:
                raise ValidationError("\n".join(errors))
            refusal = self._xinfang_online_refusal(company, data, ip)
            if refusal:
                raise UserError(refusal)
        bot = self.with_env(self.env(user=SUPERUSER_ID, su=True)).with_context(
            lang=company.partner_id.lang or self.env.lang,
            mail_create_nosubscribe=True,
        )
        petitioner, registered = bot._xinfang_online_petitioner(company, data)
        values = {
            "company_id": company.id,
            "channel": "online",
            "registration_date": fields.Datetime.now(),
            "subject": data["subject"],
            "content": data["content"],
            "requests": data.get("requests") or False,
            "petitioner_id": petitioner.id,
            "anonymous": not petitioner,
            "registrar_id": False,
        }
        if data.get("request_nature"):
            values["request_nature"] = data["request_nature"]
        if data.get("category_id"):
            values["category_id"] = data["category_id"]
        petition = bot.create(values)
        code = petition._xinfang_issue_query_code()
        petition._xinfang_steps().write({"online_file_count": len(files)})
        if petitioner:
            files = [petition._xinfang_online_registration(data)] + list(files)
        petition._xinfang_bot_note(
            bot.env._(
                "Petition submitted online (网上信访) with %(count)s file(s), "
                "filed as originals.",
                count=len(files),
            ),
            files,
        )
        if registered:
            petition._xinfang_bot_note(
                bot.env._(
                    "The ID number given online is already registered for another "
                    "petitioner of the company: it is kept in the registration "
                    "data filed as an original. Compare the two people and merge "
                    "them if they are one."
                )
            )
        Event = self.env["xinfang.online.event"]
        Event._log(
            company,
            "submitted",
            ip=ip,
            petition=petition,
            number=petition.name,
            **Event._person_keys(data),
        )
        petition._xinfang_online_acknowledge(petitioner.email, code)
        return petition, code

    @api.model
    def _xinfang_online_petitioner(self, company, data):
        """(the new person of the form, or none if anonymous; whether the ID
        number given is already another person's).

        A person already registered with the number is neither opened nor
        named (a number typed on a web page proves nobody's identity): the
        new person keeps no number, the office finds it in the registration
        data as typed, filed with the item."""
        Petitioner = self.env["xinfang.petitioner"]
        if data.get("anonymous"):
            return Petitioner, False
        id_type = data.get("id_type") or "resident"
        id_number = data.get("id_number") or False
        error = id_number and Petitioner._id_number_error(id_number, id_type)
        if error:
            raise ValidationError(error)
        registered = bool(
            id_number
            and Petitioner.sudo()
            .with_context(active_test=False)
            .search_count(
                [
                    ("company_id", "=", company.id),
                    ("id_type", "=", id_type),
                    ("id_number", "=", id_number),
                ],
                limit=1,
            )
        )
        try:
            with self.env.cr.savepoint():
                petitioner = Petitioner.create(
                    {
                        "name": data["name"],
                        "id_type": id_type,
                        "id_number": False if registered else id_number,
                        "phone": data.get("phone") or False,
                        "email": data.get("email") or False,
                        "address": data.get("address") or False,
                        "work_unit": data.get("work_unit") or False,
                        "company_id": company.id,
                    }
                )
        except ValidationError as error:
            raise ValidationError(error.args[0]) from None
        return petitioner, registered

    def _xinfang_online_registration(self, data):
        """The registration data as typed, as a text file (an original)."""
        lines = [
            f"{self._xinfang_online_label(name)}: {data.get(name) or ''}"
            for name in ("name", "id_number", "phone", "email", "address", "work_unit")
        ]
        return (
            self.env._("Registration data as typed online.txt"),
            "\n".join(lines).encode(),
        )

    def _xinfang_bot_note(self, text, files=()):
        """A note by OdooBot that names nobody, with the petitioner's files
        filed as originals; the files."""
        self.ensure_one()
        attachments = self._xinfang_online_attachments(files)
        self.sudo().message_post(
            body=Markup("<p>%s</p>") % text,
            attachment_ids=attachments.ids,
            subtype_xmlid="mail.mt_note",
            author_id=self.env.ref("base.partner_root").id,
        )
        return attachments

    def _xinfang_online_attachments(self, files):
        """Files of the petitioner, on the item (originals)."""
        self.ensure_one()
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "raw": content,
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for name, content in files
                ]
            )
        )

    def _xinfang_online_acknowledge(self, email, code):
        """The acknowledgment by e-mail, with the number and the code; its
        failure loses nothing."""
        self.ensure_one()
        if not email:
            return
        template = self.env.ref(
            "xinfang_module.mail_template_petition_online_received",
            raise_if_not_found=False,
        )
        if not template:
            return
        self._xinfang_send_code(template, email, code, "auto-generated")

    def _xinfang_send_code(
        self, template, email, code, auto_submitted, references=None
    ):
        """Send an e-mail carrying the query code, attached to no record: it
        never shows in the item's chatter (whoever reads the item would read
        the code, and the address of a protected petitioner), and it is
        deleted once sent. The chatter says that it was sent, to nobody
        named. A failure loses nothing: the item is kept, the failure logged."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                template.sudo().with_context(
                    xinfang_query_code=code and format_code(code)
                ).send_mail(
                    self.id,
                    email_values={
                        "email_to": email,
                        "recipient_ids": [],
                        "model": False,
                        "res_id": False,
                        "auto_delete": True,
                        "references": references or False,
                        "headers": repr({"Auto-Submitted": auto_submitted}),
                    },
                )
        except Exception:
            _logger.exception("Acknowledgment of petition %s not sent", self.name)
            return False
        self._xinfang_bot_note(
            self.env._(
                "Acknowledgment with the number and the query code sent to the "
                "e-mail address the petitioner gave."
            )
        )
        return True

    # ------------------------------------------------------------------
    # The query page
    # ------------------------------------------------------------------

    @api.model
    def _xinfang_online_query(self, company, number, code, ip=None):
        """(the item of a number and code, or an empty recordset; the message
        why not). Logged either way, never raised: the failures are what the
        lock-out counts, whatever the caller rolls back. A wrong number and a
        wrong code get the same words."""
        Event = self.env["xinfang.online.event"]
        number = normalize_number(number)
        minutes = company.xinfang_online_lockout_minutes
        failures = company.xinfang_online_lockout_failures
        if failures and (
            Event._count(company, ["query_failed"], minutes, ip=ip) >= failures
            or Event._count(company, ["query_failed"], minutes, number=number)
            >= failures
        ):
            Event._log(company, "locked", ip=ip, number=number)
            return self.browse(), self.env._(
                "Too many wrong tries: queries are paused for %(minutes)s "
                "minutes. If you lost the query code, ask the office for a "
                "new one.",
                minutes=minutes,
            )
        petition = self._xinfang_find_by_code(company, number, code)
        if not petition:
            Event._log(company, "query_failed", ip=ip, number=number)
            return self.browse(), self.env._(
                "The number and the query code do not match. Check both and try "
                "again."
            )
        Event._log(company, "query", ip=ip, petition=petition, number=number)
        return petition, None

    def _xinfang_public_state(self, state):
        """The step of each state, as a petitioner reads it."""
        handled = self.env._("Accepted: it is being handled.")
        done = self.env._("Concluded.")
        return {
            "draft": self.env._("Received: the office is registering it."),
            "pending": self.env._(
                "Registered: the office decides whether to accept it."
            ),
            "accepted": handled,
            "handling": handled,
            "review": self.env._("Accepted: the reply is being prepared."),
            "rejected": self.env._("Not accepted: see the notice."),
            "not_reaccepted": self.env._("Not accepted again: see the notice."),
            "redirected": self.env._(
                "Not ours: passed to the competent body, see the notice."
            ),
            "replied": self.env._("Replied: see the reply letter."),
            "closed": done,
            "filed": done,
        }[state]

    def _xinfang_online_status(self):
        """What the query page shows: nothing of who handles the item, no
        internal note, only notices released for online delivery."""
        self.ensure_one()
        petition = self.sudo()
        tz = petition.company_id._xinfang_tz()
        steps = [
            (
                self.env._("Received by the office"),
                datetime_text(self.env, petition.registration_date, tz),
            )
        ]
        if petition.decision_date:
            label = (
                self.env._("Decided")
                if petition.state in ("rejected", "not_reaccepted", "redirected")
                else self.env._("Accepted")
            )
            steps.append((label, date_text(self.env, petition.decision_date)))
        if petition.reply_date:
            steps.append(
                (self.env._("Replied"), date_text(self.env, petition.reply_date))
            )
        if petition.close_date:
            steps.append(
                (self.env._("Concluded"), date_text(self.env, petition.close_date))
            )
        deadline, deadline_label = False, False
        if petition.state in ("draft", "pending"):
            deadline = petition.acceptance_deadline
            deadline_label = self.env._("Acceptance decided by")
        elif petition.state in ("accepted", "handling", "review"):
            deadline = petition.handling_deadline
            deadline_label = self.env._("Reply due by")
        documents = petition.env["xinfang.document"].search(
            [("petition_id", "=", petition.id), ("online_release", "=", True)],
            order="issued_at, id",
        )
        rated = petition.env["xinfang.callback"].search(
            [
                ("petition_id", "=", petition.id),
                ("method", "=", "online"),
                ("state", "=", "done"),
            ],
            limit=1,
        )
        return {
            "number": petition.name,
            "subject": petition.subject,
            "state": self._xinfang_public_state(petition.state),
            "steps": steps,
            "deadline": deadline and date_text(self.env, deadline),
            "deadline_label": deadline_label,
            "documents": documents,
            "can_rate": petition.state in RATABLE_STATES and not rated,
            "rated_on": rated and date_text(self.env, rated.done_date),
        }

    def _xinfang_online_supplement(self, text, files, ip=None):
        """Material the petitioner adds on the query page: filed as
        originals (the text as a file: it may name them), flagged for the
        office."""
        self.ensure_one()
        petition = self.sudo()
        company = petition.company_id
        text = clean_text(text)
        errors = []
        if not text and not files:
            errors.append(self.env._("Write something or attach a file."))
        if len(text) > LIMITS["supplement"]:
            errors.append(
                self.env._(
                    "%(field)s is too long: at most %(limit)s characters.",
                    field=self._xinfang_online_label("supplement"),
                    limit=LIMITS["supplement"],
                )
            )
        errors += self._xinfang_online_check_files(company, files)
        if errors:
            raise ValidationError("\n".join(errors))
        if petition.state == "filed":
            raise UserError(
                self.env._("The item is filed: bring new matters as a new petition.")
            )
        petition = petition.with_context(lang=company.partner_id.lang or self.env.lang)
        stamp = fields.Datetime.context_timestamp(
            petition.with_context(tz=company._xinfang_tz()), fields.Datetime.now()
        ).strftime("%Y-%m-%d %H-%M")
        if text:
            files = [
                (
                    petition.env._("Material added online %s.txt", stamp),
                    text.encode(),
                )
            ] + list(files)
        attachments = petition._xinfang_bot_note(
            petition.env._(
                "The petitioner added material online (补充材料): %(count)s "
                "file(s), filed as originals.",
                count=len(files),
            ),
            files,
        )
        petition._xinfang_steps().write({"supplement_pending": True})
        petition._xinfang_tell_of_supplement()
        self.env["xinfang.online.event"]._log(
            company, "supplement", ip=ip, petition=petition, number=petition.name
        )
        return attachments

    def _xinfang_tell_of_supplement(self):
        """A to-do for who registered the item, else for the office."""
        self.ensure_one()

        def readers(users):
            return users.filtered(
                lambda user: not user.share and self.with_user(user).has_access("read")
            )

        # Whoever registered the item; else the petition officers (not the
        # system administrators, who are officers by implication).
        officers = readers(self.company_id._xinfang_users(OFFICER))
        users = readers(self.registrar_id) or (
            officers.filtered(lambda user: not user._is_system()) or officers
        )
        for user in users:
            self.sudo().activity_schedule(
                "xinfang_module.mail_activity_type_online_material",
                user_id=user.id,
            )

    def _xinfang_online_rate(self, rating, comment, ip=None):
        """The petitioner's one rating of the handling, as a callback made
        online (F5, F6: a dissatisfied one is verified within 24 hours)."""
        self.ensure_one()
        petition = self.sudo()
        if rating not in dict(CALLBACK_RATINGS):
            raise ValidationError(
                self.env._("Choose satisfied, basically satisfied or dissatisfied.")
            )
        comment = clean_text(comment)
        if len(comment) > LIMITS["comment"]:
            raise ValidationError(
                self.env._(
                    "%(field)s is too long: at most %(limit)s characters.",
                    field=self._xinfang_online_label("comment"),
                    limit=LIMITS["comment"],
                )
            )
        if petition.state not in RATABLE_STATES:
            raise UserError(
                self.env._("The item can be rated once it has been replied to.")
            )
        Callback = petition.env["xinfang.callback"]
        if Callback.search_count(
            [("petition_id", "=", petition.id), ("method", "=", "online")]
        ):
            raise UserError(self.env._("This item was already rated. Thank you."))
        today = petition.company_id._xinfang_today()
        callback = Callback.with_context(
            lang=petition.company_id.partner_id.lang or self.env.lang
        ).create(
            {
                "petition_id": petition.id,
                "method": "online",
                "role": "office",
                "planned_date": today,
                "done_date": today,
                "rating": rating,
                "suggestions": comment or False,
            }
        )
        callback.action_done()
        self.env["xinfang.online.event"]._log(
            petition.company_id,
            "rating",
            ip=ip,
            petition=petition,
            number=petition.name,
        )
        return callback


class ReportOnlineReceipt(models.AbstractModel):
    _name = "report.xinfang_module.report_petition_online_receipt"
    _description = "Online Petition Receipt"

    @api.model
    def _get_report_values(self, docids, data=None):
        # Printed by the public page as superuser, after the number and
        # code were checked (controllers/main.py); the code comes with it.
        if not self.env.su:
            raise AccessError(
                self.env._("The receipt is printed from the online page.")
            )
        docs = self.env["xinfang.petition"].browse(docids)
        doc = docs[:1]
        tz = doc.company_id._xinfang_tz() if doc else "Asia/Shanghai"
        return {
            "doc_ids": docids,
            "doc_model": "xinfang.petition",
            "docs": docs,
            "query_code": (data or {}).get("query_code") or "",
            "received": doc and datetime_text(self.env, doc.registration_date, tz),
            "files": {doc: doc.online_file_count for doc in docs},
            "query_url": doc and doc.get_base_url() + "/xinfang/query",
        }
