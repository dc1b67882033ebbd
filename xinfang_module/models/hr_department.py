from odoo import fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    xinfang_user_ids = fields.Many2many(
        "res.users",
        "xinfang_department_user_rel",
        "department_id",
        "user_id",
        string="Additional Petition Handlers",
        help="Users who handle this department's petitions without being its "
        "employees.",
    )
