from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    xinfang_department_ids = fields.Many2many(
        "hr.department",
        "xinfang_department_user_rel",
        "user_id",
        "department_id",
        string="Additional Petition Departments",
        help="Departments, besides the one of the user's employee, whose "
        "petitions this user handles (for officers serving several departments).",
    )
