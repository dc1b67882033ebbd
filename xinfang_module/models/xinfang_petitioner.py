import re
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mail import single_email_re

from .tools import count_by
from .xinfang_guard import OFFICE_AND_DISCIPLINE, has_any_group

# GB 11643-1999: weights of the first 17 digits and the check characters.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1\d{10}$")
# Area code 0 + 2-3 digits, then 7-8 digits, optional extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normalize_id_number(value):
    return (value or "").strip().replace(" ", "").upper()


def normalize_phone(value):
    return re.sub(r"[\s()（）]", "", value or "").replace("—", "-")


def id_number_birth_date(id_number):
    """Birth date encoded in a resident ID number, or None if it is not a date."""
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
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
    id_number = fields.Char(string="ID Number", index=True, copy=False)
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
    petition_ids = fields.One2many(
        "xinfang.petition", "petitioner_id", string="Petitions"
    )
    visit_ids = fields.Many2many(
        "xinfang.visit",
        "xinfang_visit_petitioner_rel",
        "petitioner_id",
        "visit_id",
        string="Visits",
    )
    petition_count = fields.Integer(compute="_compute_petition_count")

    @api.depends("id_number")
    def _compute_gender(self):
        for petitioner in self:
            id_number = normalize_id_number(petitioner.id_number)
            if ID_NUMBER_RE.match(id_number):
                # The 17th digit is odd for men and even for women.
                petitioner.gender = "male" if int(id_number[16]) % 2 else "female"

    @api.depends("id_number")
    def _compute_birth_date(self):
        for petitioner in self:
            id_number = normalize_id_number(petitioner.id_number)
            petitioner.birth_date = (
                ID_NUMBER_RE.match(id_number) and id_number_birth_date(id_number)
            ) or False

    def _compute_petition_count(self):
        counts = count_by(self, "xinfang.petition", "petitioner_id")
        for petitioner in self:
            petitioner.petition_count = counts.get(petitioner, 0)

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        # An export of petitions with petitioner columns: a person the user
        # may not read is exported as the masked name, with empty details,
        # instead of refusing the whole list.
        if self.env.su:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
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

    @api.constrains("id_number")
    def _check_id_number(self):
        for petitioner in self.filtered("id_number"):
            error = self._id_number_error(petitioner.id_number)
            if error:
                raise ValidationError(error)

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
            if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
                raise ValidationError(
                    self.env._(
                        "Phone number %(phone)s is not valid: enter an 11-digit "
                        "mobile number starting with 1, or a landline with its "
                        "area code (e.g. 010-12345678).",
                        phone=petitioner.phone,
                    )
                )

    @api.model
    def _id_number_error(self, id_number):
        """Why ``id_number`` is not a valid resident ID number, or ''."""
        value = normalize_id_number(id_number)
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

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._normalize_vals(dict(vals)) for vals in vals_list])

    def write(self, vals):
        # Once a person's item is registered, who they are is the office's
        # (and discipline's) to correct.
        if not self.env.su and not has_any_group(self.env.user, OFFICE_AND_DISCIPLINE):
            registered = self.sudo().petition_ids.filtered(lambda p: p.state != "draft")
            if registered:
                raise UserError(
                    self.env._(
                        "%s is the petitioner of a registered item: only the "
                        "petition office corrects who they are.",
                        registered[:1].name,
                    )
                )
        return super().write(self._normalize_vals(dict(vals)))

    def action_view_petitions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_petition_action"
        )
        action["domain"] = [("petitioner_id", "=", self.id)]
        action["context"] = {"default_petitioner_id": self.id}
        return action
