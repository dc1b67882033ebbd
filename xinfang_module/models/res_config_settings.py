from odoo import fields, models

from .res_company import DEADLINE_LIMITS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    xinfang_collective_threshold = fields.Integer(
        related="company_id.xinfang_collective_threshold", readonly=False
    )
    xinfang_repeat_window_days = fields.Integer(
        related="company_id.xinfang_repeat_window_days", readonly=False
    )
    xinfang_repeat_similarity = fields.Integer(
        related="company_id.xinfang_repeat_similarity", readonly=False
    )
    xinfang_discipline_department_id = fields.Many2one(
        related="company_id.xinfang_discipline_department_id", readonly=False
    )
    xinfang_hr_department_id = fields.Many2one(
        related="company_id.xinfang_hr_department_id", readonly=False
    )
    xinfang_resource_calendar_id = fields.Many2one(
        related="company_id.resource_calendar_id", readonly=False
    )
    # One days / working-days pair per legal limit, related to the company.
    for _key in DEADLINE_LIMITS:
        locals()[f"xinfang_{_key}_days"] = fields.Integer(
            related=f"company_id.xinfang_{_key}_days", readonly=False
        )
        locals()[f"xinfang_{_key}_working"] = fields.Boolean(
            related=f"company_id.xinfang_{_key}_working", readonly=False
        )
    del _key
