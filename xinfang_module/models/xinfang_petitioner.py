import re
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.mail import single_email_re

from .tools import compute_flag, count_by, flag_domain
from .xinfang_guard import OFFICE_AND_DISCIPLINE, check_export_fields, has_any_group

# GB 11643-1999: weights of the first 17 digits and the check characters.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1\d{10}$")
# Area code 0 + 2-3 digits, then 7-8 digits, optional extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
# A local number without its area code (the office's own city).
LOCAL_RE = re.compile(r"^[2-9]\d{6,7}(-\d{1,6})?$")
# Nationwide service numbers: 400/800 and 95xxx.
SERVICE_RE = re.compile(r"^([48]00-?\d{3}-?\d{4}|95\d{3,4})$")
# +86 / 0086 in front of a Chinese number (kept without it).
COUNTRY_CODE_RE = re.compile(r"^(\+86|0086)-?")

# A person's items and visits: named on them, never from the person.
LINK_FIELDS = frozenset({"petition_ids", "visit_ids", "cosigned_petition_ids"})

# Identity documents an office sees (A3), each with its own check.
ID_TYPES = [
    ("resident", "Resident ID Card (居民身份证)"),
    ("resident_15", "Old 15-digit Resident ID (一代身份证)"),
    ("residence_permit", "HK/Macao/Taiwan Residence Permit (港澳台居民居住证)"),
    ("hk_macao", "Home Return Permit (港澳居民来往内地通行证)"),
    ("taiwan", "Taiwan Compatriot Permit (台湾居民来往大陆通行证)"),
    ("foreigner", "Foreigner's Permanent Residence ID (外国人永久居留身份证)"),
    ("passport", "Passport (护照)"),
    ("other", "Other Document"),
]
ID_15_RE = re.compile(r"^\d{15}$")
RESIDENCE_PERMIT_PREFIXES = ("810000", "820000", "830000")
HK_MACAO_RE = re.compile(r"^[HM]\d{8}(\d{2})?$")
TAIWAN_RE = re.compile(r"^\d{8}(\d{2})?$")
# 2017 card: country code + 12 digits; 2023 card: 18 digits starting with 9.
FOREIGNER_OLD_RE = re.compile(r"^[A-Z]{3}\d{12}$")
PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,17}$")


def normalize_id_number(value):
    return (value or "").strip().replace(" ", "").upper()


def normalize_phone(value):
    value = re.sub(r"[\s()（）]", "", value or "").replace("—", "-")
    return COUNTRY_CODE_RE.sub("", value)


def id_number_birth_date(id_number):
    """Birth date encoded in a resident ID number (18 or 15 digits: 19YYMMDD),
    or None if it is not a date."""
    try:
        if len(id_number) == 15:
            return date(
                1900 + int(id_number[6:8]), int(id_number[8:10]), int(id_number[10:12])
            )
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def id_number_male(id_type, id_number):
    """True for a man, False for a woman, None when the document does not
    say: the sequence digit is odd for men (18-digit numbers: the 17th; the
    old 15-digit number: the last)."""
    value = normalize_id_number(id_number)
    if id_type in ("resident", "residence_permit", "foreigner") and ID_NUMBER_RE.match(
        value
    ):
        return bool(int(value[16]) % 2)
    if id_type == "resident_15" and ID_15_RE.match(value):
        return bool(int(value[14]) % 2)
    return None


def id_number_check_char(id_number):
    digits = zip(id_number[:17], ID_WEIGHTS, strict=True)
    total = sum(int(digit) * weight for digit, weight in digits)
    return ID_CHECK_CHARS[total % 11]


class XinfangPetitioner(models.Model):
    _name = "xinfang.petitioner"
    _description = "Petitioner"
    # Not by name: a list of petitions sorted by petitioner would reveal the
    # alphabetical place of a concealed name. The petitioner list itself
    # sorts by name (its view's default order).
    _order = "id"
    _rec_names_search = ["name", "id_number", "phone"]

    name = fields.Char(required=True, index="trigram")
    gender = fields.Selection(
        [("male", "Male"), ("female", "Female")],
        compute="_compute_gender",
        store=True,
        readonly=False,
    )
    id_type = fields.Selection(
        ID_TYPES,
        string="ID Document",
        default="resident",
        required=True,
        help="The identity document the number is of; each has its own check.",
    )
    id_number = fields.Char(string="ID Number", index=True, copy=False)
    same_id_number = fields.Boolean(
        string="Same ID Number",
        compute="_compute_same_id_number",
        search="_search_same_id_number",
        help="Another petitioner of the company has this ID number: the office "
        "merges the two.",
    )
    gender_mismatch = fields.Boolean(
        compute="_compute_gender_mismatch",
        help="The gender entered contradicts the ID number.",
    )
    birth_date = fields.Date(compute="_compute_birth_date", store=True)
    phone = fields.Char(index=True)
    email = fields.Char(
        help="Where notices are e-mailed, when the petitioner wants it."
    )
    address = fields.Char()
    work_unit = fields.Char()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    # The items and visits of a person, for the record rules (which read
    # them as superuser) and the server's code only: read by a user, they
    # would list items the user may not read (the rules' check fills them
    # in the cache), and written here they would bypass the item's steps.
    # People are named on the item or the visit.
    petition_ids = fields.One2many(
        "xinfang.petition",
        "petitioner_id",
        string="Petitions",
        groups="base.group_system",
    )
    visit_ids = fields.Many2many(
        "xinfang.visit",
        "xinfang_visit_petitioner_rel",
        "petitioner_id",
        "visit_id",
        string="Visits",
        copy=False,
        groups="base.group_system",
    )
    # A4: the joint letters this person co-signed. Identity follows them as it
    # follows the items they brought (the record rules read both).
    cosigned_petition_ids = fields.Many2many(
        "xinfang.petition",
        "xinfang_petition_cosigner_rel",
        "petitioner_id",
        "petition_id",
        string="Co-signed Petitions",
        copy=False,
        groups="base.group_system",
    )
    petition_count = fields.Integer(compute="_compute_petition_count")

    @api.depends("id_type", "id_number")
    def _compute_gender(self):
        for petitioner in self:
            male = id_number_male(petitioner.id_type, petitioner.id_number)
            if male is not None:
                petitioner.gender = "male" if male else "female"

    def _same_id_number_query(self):
        return SQL(
            """(SELECT p.id FROM xinfang_petitioner p
                WHERE p.id_number IS NOT NULL AND EXISTS (
                      SELECT 1 FROM xinfang_petitioner o
                       WHERE o.id_number = p.id_number AND o.id_type = p.id_type
                         AND o.company_id = p.company_id AND o.id != p.id))"""
        )

    def _compute_same_id_number(self):
        compute_flag(self, "same_id_number")

    def _search_same_id_number(self, operator, value):
        return flag_domain(
            operator, value, [("id", "in", self._same_id_number_query())]
        )

    @api.depends("id_type", "id_number", "gender")
    def _compute_gender_mismatch(self):
        for petitioner in self:
            male = id_number_male(petitioner.id_type, petitioner.id_number)
            petitioner.gender_mismatch = (
                male is not None
                and bool(petitioner.gender)
                and (petitioner.gender == "male") != male
            )

    @api.onchange("gender")
    def _onchange_gender(self):
        if self.gender_mismatch:
            return {
                "warning": {
                    "title": self.env._("Gender"),
                    "message": self.env._(
                        "The ID number says the other gender: check the document."
                    ),
                }
            }

    @api.depends("id_type", "id_number")
    def _compute_birth_date(self):
        for petitioner in self:
            value = normalize_id_number(petitioner.id_number)
            dated = (
                petitioner.id_type in ("resident", "residence_permit")
                and ID_NUMBER_RE.match(value)
            ) or (petitioner.id_type == "resident_15" and ID_15_RE.match(value))
            petitioner.birth_date = (dated and id_number_birth_date(value)) or False

    def _compute_petition_count(self):
        # One person is never both petitioner and co-signer of an item.
        brought = count_by(self, "xinfang.petition", "petitioner_id")
        cosigned = count_by(self, "xinfang.petition", "cosigner_ids")
        for petitioner in self:
            petitioner.petition_count = brought.get(petitioner, 0) + cosigned.get(
                petitioner, 0
            )

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        # An export of petitions with petitioner columns: a person the user
        # may not read is exported as the masked name, with empty details,
        # instead of refusing the whole list.
        if self.env.su:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        check_export_fields(self, fields)
        readable = self._filtered_access("read")
        if readable == self:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        masked = self.env._("Identity concealed")
        rows = []
        for petitioner in self:
            if petitioner in readable:
                rows += super(XinfangPetitioner, petitioner)._export_rows(
                    fields, _is_toplevel_call=_is_toplevel_call
                )
            else:
                rows.append(
                    [
                        masked if path and path[0] in ("name", "display_name") else ""
                        for path in fields
                    ]
                )
        return rows

    @api.depends_context("uid")
    def _compute_display_name(self):
        # The web client and read_group show many2one names with sudo(): mask the
        # name of every petitioner the real user may not read, so that a handler
        # never learns a concealed identity through a petition's many2one.
        readable = self.sudo(False)._filtered_access("read")
        for petitioner in self:
            if petitioner in readable:
                petitioner.display_name = petitioner.name
            else:
                petitioner.display_name = self.env._("Identity concealed")

    @api.constrains("id_type", "id_number")
    def _check_id_number(self):
        for petitioner in self.filtered("id_number"):
            error = self._id_number_error(petitioner.id_number, petitioner.id_type)
            if error:
                raise ValidationError(error)
        self._check_one_person_per_id()

    def _check_one_person_per_id(self):
        """One ID number is one person in a company: entering it again offers
        the person already registered, when the user may know them. A person
        the user may not read (a concealed whistle-blower) is never named nor
        hinted at: the office sees both under the filter Same ID Number."""
        for petitioner in self.filtered("id_number"):
            others = (
                self.sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("id", "!=", petitioner.id),
                        ("company_id", "=", petitioner.company_id.id),
                        ("id_type", "=", petitioner.id_type),
                        ("id_number", "=", petitioner.id_number),
                    ]
                )
            )
            known = others.with_env(self.env(su=False))._filtered_access("read")
            if known:
                raise ValidationError(
                    self.env._(
                        "ID number %(number)s is already %(name)s's: choose that "
                        "petitioner instead of registering the person twice.",
                        number=petitioner.id_number,
                        name=known[:1].name,
                    )
                )

    @api.constrains("email")
    def _check_email(self):
        for petitioner in self.filtered("email"):
            if not single_email_re.match(petitioner.email.strip()):
                raise ValidationError(
                    self.env._("E-mail address %s is not valid.", petitioner.email)
                )

    @api.constrains("phone")
    def _check_phone(self):
        for petitioner in self.filtered("phone"):
            phone = normalize_phone(petitioner.phone)
            if not any(
                pattern.match(phone)
                for pattern in (MOBILE_RE, LANDLINE_RE, LOCAL_RE, SERVICE_RE)
            ):
                raise ValidationError(
                    self.env._(
                        "Phone number %(phone)s is not valid: enter an 11-digit "
                        "mobile number starting with 1 (+86 may precede it), a "
                        "landline with or without its area code (010-12345678, "
                        "12345678), or a 400/800/95xxx number.",
                        phone=petitioner.phone,
                    )
                )

    @api.model
    def _id_number_error(self, id_number, id_type="resident"):
        """Why ``id_number`` is not a valid number of the document
        ``id_type``, or ''."""
        value = normalize_id_number(id_number)
        if id_type == "resident_15":
            if not ID_15_RE.match(value):
                return self.env._(
                    "An old resident ID number %s has 15 digits.", id_number
                )
            if not id_number_birth_date(value):
                return self.env._(
                    "ID number %s does not contain a real birth date.", id_number
                )
            return ""
        if id_type == "residence_permit" and not value.startswith(
            RESIDENCE_PERMIT_PREFIXES
        ):
            return self.env._(
                "A residence permit number %s starts with 810000 (Hong Kong), "
                "820000 (Macao) or 830000 (Taiwan).",
                id_number,
            )
        if id_type == "foreigner":
            if FOREIGNER_OLD_RE.match(value):
                return ""
            if not value.startswith("9"):
                return self.env._(
                    "A permanent residence ID number %s has 3 letters and 12 "
                    "digits (2017 card) or 18 characters starting with 9 (2023 "
                    "card).",
                    id_number,
                )
            return self._check_digit_error(id_number, value)
        document_res = {
            "hk_macao": (
                HK_MACAO_RE,
                self.env._(
                    "A Home Return Permit number %s is H or M followed by 8 (or "
                    "10) digits.",
                    id_number,
                ),
            ),
            "taiwan": (
                TAIWAN_RE,
                self.env._(
                    "A Taiwan Compatriot Permit number %s has 8 (or 10) digits.",
                    id_number,
                ),
            ),
            "passport": (
                PASSPORT_RE,
                self.env._(
                    "A passport number %s has 5 to 17 letters and digits.", id_number
                ),
            ),
        }
        if id_type in document_res:
            pattern, error = document_res[id_type]
            return "" if pattern.match(value) else error
        if id_type == "other":
            return ""
        if not ID_NUMBER_RE.match(value):
            return self.env._(
                "ID number %s must have 18 characters: 17 digits and a final "
                "digit or X.",
                id_number,
            )
        birth_date = id_number_birth_date(value)
        if not birth_date or birth_date > fields.Date.context_today(self):
            return self.env._(
                "ID number %s does not contain a real birth date.", id_number
            )
        return self._check_digit_error(id_number, value)

    @api.model
    def _check_digit_error(self, id_number, value):
        """GB 11643's check character of an 18-character number."""
        if not ID_NUMBER_RE.match(value):
            return self.env._(
                "ID number %s must have 18 characters: 17 digits and a final "
                "digit or X.",
                id_number,
            )
        if id_number_check_char(value) != value[17]:
            return self.env._(
                "ID number %s has a wrong check digit: please check it against "
                "the ID card.",
                id_number,
            )
        return ""

    @api.model
    def _normalize_vals(self, vals):
        if vals.get("id_number"):
            vals["id_number"] = normalize_id_number(vals["id_number"])
        if vals.get("phone"):
            vals["phone"] = normalize_phone(vals["phone"])
        return vals

    def _check_no_links(self, vals_list):
        """Even an administrator names people on the item or the visit, where
        its steps check them: never here."""
        if self.env.su:
            return
        # What the context proposes (default_<field>) counts as sent.
        proposed = {f"default_{name}" for name in LINK_FIELDS} & set(self.env.context)
        if proposed or any(set(vals) & LINK_FIELDS for vals in vals_list):
            raise UserError(
                self.env._(
                    "Name a petitioner, co-signer or visitor on the petition or "
                    "the visit, not on the person."
                )
            )

    @api.model
    def _search(self, domain, *args, **kwargs):
        # Odoo checks the groups of a field read or grouped by, not of a
        # field searched: "who co-signed item 381" would name the people of
        # an item the user may not read. (The record rules search them as
        # superuser.)
        if not self.env.su:
            for leaf in domain or ():
                if (
                    isinstance(leaf, list | tuple)
                    and isinstance(leaf[0], str)
                    and leaf[0].split(".")[0] in LINK_FIELDS
                ):
                    raise AccessError(
                        self.env._(
                            "People are searched by their items on the items, "
                            "not by the person's links."
                        )
                    )
        return super()._search(domain, *args, **kwargs)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_no_links(vals_list)
        return super().create([self._normalize_vals(dict(vals)) for vals in vals_list])

    def write(self, vals):
        self._check_no_links([vals])
        # Once a person's item is registered, who they are is the office's
        # (and discipline's) to correct: said only to who may change them.
        self.check_access("write")
        if not self.env.su and not has_any_group(self.env.user, OFFICE_AND_DISCIPLINE):
            petitioners = self.sudo()
            registered = (
                petitioners.petition_ids | petitioners.cosigned_petition_ids
            ).filtered(lambda p: p.state != "draft")
            if registered:
                # The item is not named: the user may not read it.
                raise UserError(
                    self.env._(
                        "This person is the petitioner or a co-signer of a "
                        "registered item: only the petition office corrects who "
                        "they are."
                    )
                )
        return super().write(self._normalize_vals(dict(vals)))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_cosigner(self):
        # The petitioner's many2one restricts its deletion; a co-signer is in
        # a relation table, which would lose them silently.
        cosigned = self.sudo().with_context(active_test=False).cosigned_petition_ids
        if cosigned:
            raise UserError(
                self.env._(
                    "A co-signer of %s is not deleted: archive the person instead.",
                    cosigned[:1].name,
                )
            )

    def action_view_petitions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_petition_action"
        )
        action["domain"] = [
            "|",
            ("petitioner_id", "=", self.id),
            ("cosigner_ids", "in", self.id),
        ]
        action["context"] = {"default_petitioner_id": self.id}
        return action
