from odoo import api, fields, models, modules
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

    @api.model
    def _get_activity_groups(self):
        """The activity menu also lists the callbacks (回访) planned for the
        user, late, today and to come, as calendar lists today's meetings:
        a planned callback is its officers' to-do, without an activity of
        its own to create, keep in step and close (issue 18)."""
        groups = super()._get_activity_groups()
        worklist = self._xinfang_callback_worklist()
        if worklist:
            groups.insert(0, worklist)
        return groups

    @api.model
    def _xinfang_callback_worklist(self):
        """The activity menu's group of the user's planned callbacks, counted
        in one grouped query under the record rules, or None."""
        Callback = self.env["xinfang.callback"]
        if not Callback.has_access("read"):
            return None
        today = fields.Date.context_today(self)
        counts = {"overdue": 0, "today": 0, "planned": 0}
        for day, count in Callback._read_group(
            [("state", "=", "planned"), ("officer_ids", "in", self.env.uid)],
            ["planned_date:day"],
            ["__count"],
        ):
            # planned_date is required: every group has a day.
            state = "overdue" if day < today else "today" if day == today else "planned"
            counts[state] += count
        if not any(counts.values()):
            return None
        return {
            "id": self.env["ir.model"]._get_id("xinfang.callback"),
            "name": self.env._("Callbacks to Make"),
            "model": "xinfang.callback",
            "type": "activity",
            "xinfang_worklist": True,
            "icon": modules.module.get_module_icon("xinfang_module"),
            "total_count": counts["overdue"] + counts["today"],
            "overdue_count": counts["overdue"],
            "today_count": counts["today"],
            "planned_count": counts["planned"],
            "view_type": "list",
        }
