from odoo import api, fields, models
from odoo.exceptions import ValidationError

# 诉求性质 (nature of the request), proposed by the category to its items.
REQUEST_NATURES = [
    ("complaint", "Complaint (投诉)"),
    ("report", "Report or Accusation (举报/检举控告)"),
    ("help", "Request for Help (求助)"),
    ("consultation", "Consultation (咨询)"),
    ("suggestion", "Suggestion or Opinion (建议/意见)"),
    ("praise", "Praise (表扬)"),
    ("other", "Other (其他)"),
]


class XinfangCategory(models.Model):
    _name = "xinfang.category"
    _description = "Petition Category"
    _parent_name = "parent_id"
    _parent_store = True
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    parent_id = fields.Many2one(
        "xinfang.category", string="Parent Category", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("xinfang.category", "parent_id", string="Subcategories")
    code = fields.Char()
    department_id = fields.Many2one(
        "hr.department",
        string="Default Department",
        help="Department that handles petitions of this category by default "
        "(谁主管、谁负责).",
    )
    request_nature = fields.Selection(
        REQUEST_NATURES,
        string="Nature of Its Requests",
        help="Proposed as the nature (诉求性质) of the items of this category.",
    )
    confidential = fields.Boolean(
        help="Petitions of this category (检举控告 against staff) are confidential: "
        "only discipline and the office manager see them.",
    )
    personnel = fields.Boolean(
        string="Personnel Matter",
        help="B2: items of this category go to the personnel department set in "
        "the settings, within the routing limit after acceptance.",
    )
    acceptance_days = fields.Integer(
        help="Overrides the company's acceptance limit for this category "
        "(0: the company's).",
    )
    handling_days = fields.Integer(
        help="Overrides the company's handling limit for this category, e.g. the "
        "hospital's 7 days for medical questions (0: the company's).",
    )
    callback_rule = fields.Selection(
        [
            ("default", "By the Company's Rules"),
            ("always", "Always (Complaints)"),
            ("never", "Never"),
        ],
        string="Callback",
        default="default",
        required=True,
        help="F1: items of an 'always' category (complaints, 投诉举报) are all "
        "called back; 'never' takes the category out of the callback scope.",
    )
    callback_days = fields.Integer(
        string="Callback Delay (days)",
        help="Overrides the company's callback delay for this category "
        "(0: the company's).",
    )
    description = fields.Text()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)

    @api.depends("name", "parent_id", "parent_id.name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # Not stored: the name is translated, and a stored path would freeze
        # the language that was active when it was computed. Built from the
        # names, not from the parent's display name, which may be computed in
        # the same batch (it read "False / 收费问题" in lists).
        for category in self:
            names, current = [], category
            while current:
                names.append(current.name or "")
                current = current.parent_id
            category.display_name = " / ".join(reversed(names))

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A category cannot be its own ancestor."))
