from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The departments a preset names, and the company setting each one fills.
DEPARTMENT_ROLES = {
    "discipline": "xinfang_discipline_department_id",
    "personnel": "xinfang_hr_department_id",
}


class XinfangPreset(models.Model):
    """The numbers and lists of one institution's rule set (篇一 … 篇九).

    Shipped as data and applied to a company from the set-up dialog or the
    settings. Applying is idempotent: departments and categories are found
    again by name and code, never made twice, and a setting the office changed
    since the last application is kept unless the office asks to overwrite it.
    """

    _name = "xinfang.preset"
    _description = "Petition Rule Preset"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    institution = fields.Char(translate=True)
    source = fields.Char(
        string="Rule Set", help="Where the rules come from (篇/§ of the seed)."
    )
    description = fields.Text(translate=True)
    settings = fields.Json(
        help="Company settings (xinfang_* fields) and their values under this "
        "rule set."
    )
    # Departments are named as the institution names them (Chinese).
    office_department = fields.Char(
        string="Petition Office", help="The department the petition office is."
    )
    discipline_department = fields.Char()
    personnel_department = fields.Char()
    category_ids = fields.One2many(
        "xinfang.preset.category", "preset_id", string="Categories"
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "A preset code is unique."),
    ]

    @api.constrains("settings")
    def _check_settings(self):
        company_fields = self.env["res.company"]._fields
        for preset in self:
            unknown = [
                name
                for name in preset.settings or {}
                if not name.startswith("xinfang_")
                or name not in company_fields
                or company_fields[name].type in ("many2one", "one2many", "many2many")
            ]
            if unknown:
                raise ValidationError(
                    self.env._(
                        "Preset %(preset)s sets unknown settings: %(fields)s.",
                        preset=preset.name,
                        fields=", ".join(unknown),
                    )
                )

    def _apply(self, company, overwrite=False):
        """Apply this preset to ``company``; return the settings kept because
        the office changed them (their labels), for the caller to report."""
        self.ensure_one()
        company.ensure_one()
        if not self.env.su and not self.env.user.has_group("base.group_system"):
            company._xinfang_check_office_manager(
                self.env._("Only the petition office manager applies a preset.")
            )
        company = company.sudo()
        applied = dict(company.xinfang_preset_values or {})
        vals, kept = {}, []
        for name, value in (self.settings or {}).items():
            field = company._fields[name]
            current = company[name]
            default = field.default(company) if field.default else False
            baseline = applied.get(name, default)
            if current == value:
                applied[name] = value
            elif overwrite or current == baseline:
                vals[name] = applied[name] = value
            else:
                kept.append(field.get_description(self.env)["string"])
        departments = self._find_or_create_departments(company)
        for role, field_name in DEPARTMENT_ROLES.items():
            department = departments.get(self[f"{role}_department"])
            if department and (overwrite or not company[field_name]):
                vals[field_name] = department.id
        vals.update(xinfang_preset_id=self.id, xinfang_preset_values=applied)
        company.write(vals)
        self.category_ids._apply(company, departments, overwrite)
        return kept

    def _department_names(self):
        names = {
            self.office_department,
            self.discipline_department,
            self.personnel_department,
        }
        names |= set(self.category_ids.mapped("department"))
        return sorted(name for name in names if name)

    def _find_or_create_departments(self, company):
        """{name: department} of the company, made when missing (one create)."""
        names = self._department_names()
        Department = self.env["hr.department"].sudo().with_company(company)
        found = {
            department.name: department
            for department in Department.search(
                [("company_id", "=", company.id), ("name", "in", names)]
            )
        }
        missing = [name for name in names if name not in found]
        for department in Department.create(
            [
                {"name": name, "company_id": company.id, "xinfang_handles": True}
                for name in missing
            ]
        ):
            found[department.name] = department
        # The departments a rule set names handle petitions.
        Department.browse(
            [d.id for d in found.values() if not d.xinfang_handles]
        ).xinfang_handles = True
        return found


class XinfangPresetCategory(models.Model):
    """A category a rule set names, with the department it goes to."""

    _name = "xinfang.preset.category"
    _description = "Petition Rule Preset Category"
    _order = "sequence, id"

    preset_id = fields.Many2one(
        "xinfang.preset", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    parent_code = fields.Char()
    department = fields.Char()
    confidential = fields.Boolean()
    personnel = fields.Boolean()
    acceptance_days = fields.Integer()
    handling_days = fields.Integer()
    callback_rule = fields.Selection(
        lambda self: self.env["xinfang.category"]._fields["callback_rule"].selection,
        default="default",
        required=True,
    )
    callback_days = fields.Integer()

    def _category_vals(self, company, departments, parents):
        return {
            "name": self.name,
            "code": self.code,
            "sequence": self.sequence,
            "company_id": company.id,
            "parent_id": parents.get(self.parent_code, False),
            "department_id": departments[self.department].id
            if self.department
            else False,
            "confidential": self.confidential,
            "personnel": self.personnel,
            "acceptance_days": self.acceptance_days,
            "handling_days": self.handling_days,
            "callback_rule": self.callback_rule,
            "callback_days": self.callback_days,
        }

    def _apply(self, company, departments, overwrite=False):
        """The company's categories of these lines, found by code; made when
        missing, parents first; rewritten only when ``overwrite``."""
        Category = self.env["xinfang.category"].sudo().with_context(active_test=False)
        existing = {
            category.code: category
            for category in Category.search(
                [("company_id", "=", company.id), ("code", "in", self.mapped("code"))]
            )
        }
        parents = {code: category.id for code, category in existing.items()}
        # Two levels, as the category tree has: parents first, then children.
        top = self.filtered(lambda line: not line.parent_code)
        for level in (top, self - top):
            to_create = level.filtered(lambda line: line.code not in existing)
            for category, line in zip(
                Category.create(
                    [
                        line._category_vals(company, departments, parents)
                        for line in to_create
                    ]
                ),
                to_create,
                strict=True,
            ):
                parents[line.code] = category.id
                # The category speaks every language the line was given in.
                translations, _context = line.get_field_translations("name")
                category.update_field_translations(
                    "name", {t["lang"]: t["value"] for t in translations if t["value"]}
                )
            if overwrite:
                for line in level - to_create:
                    existing[line.code].write(
                        line._category_vals(company, departments, parents)
                    )
