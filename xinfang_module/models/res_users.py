from odoo import fields, models
from odoo.exceptions import AccessError

from .xinfang_guard import MANAGER


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

    def write(self, vals):
        # Which petitions a handler reads follows the department of their
        # employee: Odoo's "employees edit their own data" must not let them
        # move themselves into another department.
        if (
            "department_id" in vals
            and not self.env.su
            and not self.env.user.has_group("hr.group_hr_user")
            and not self.env.user.has_group(MANAGER)
        ):
            raise AccessError(
                self.env._(
                    "A department decides which petitions one reads: HR changes it."
                )
            )
        return super().write(vals)
