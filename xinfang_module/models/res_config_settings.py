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
    xinfang_notice_interval_days = fields.Integer(
        related="company_id.xinfang_notice_interval_days", readonly=False
    )
    xinfang_escalation_notices = fields.Integer(
        related="company_id.xinfang_escalation_notices", readonly=False
    )
    xinfang_escalation_sendbacks = fields.Integer(
        related="company_id.xinfang_escalation_sendbacks", readonly=False
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
    xinfang_callback_rate = fields.Integer(
        related="company_id.xinfang_callback_rate", readonly=False
    )
    xinfang_callback_base = fields.Selection(
        related="company_id.xinfang_callback_base", readonly=False
    )
    xinfang_callback_days = fields.Integer(
        related="company_id.xinfang_callback_days", readonly=False
    )
    xinfang_callback_major_days = fields.Integer(
        related="company_id.xinfang_callback_major_days", readonly=False
    )
    xinfang_callback_limit_days = fields.Integer(
        related="company_id.xinfang_callback_limit_days", readonly=False
    )
    xinfang_callback_min_officers = fields.Integer(
        related="company_id.xinfang_callback_min_officers", readonly=False
    )
    xinfang_callback_scope_signed = fields.Boolean(
        related="company_id.xinfang_callback_scope_signed", readonly=False
    )
    xinfang_callback_scope_anonymous = fields.Boolean(
        related="company_id.xinfang_callback_scope_anonymous", readonly=False
    )
    xinfang_callback_scope_key = fields.Boolean(
        related="company_id.xinfang_callback_scope_key", readonly=False
    )
    xinfang_callback_quotas = fields.Boolean(
        related="company_id.xinfang_callback_quotas", readonly=False
    )
    xinfang_callback_quota_manager = fields.Integer(
        related="company_id.xinfang_callback_quota_manager", readonly=False
    )
    xinfang_callback_quota_leader = fields.Integer(
        related="company_id.xinfang_callback_quota_leader", readonly=False
    )
    xinfang_callback_quota_department = fields.Integer(
        related="company_id.xinfang_callback_quota_department", readonly=False
    )
    xinfang_rectification_days = fields.Integer(
        related="company_id.xinfang_rectification_days", readonly=False
    )
    xinfang_visit_max_representatives = fields.Integer(
        related="company_id.xinfang_visit_max_representatives", readonly=False
    )
    xinfang_screening_per_month = fields.Integer(
        related="company_id.xinfang_screening_per_month", readonly=False
    )
    xinfang_screening_notice_days = fields.Integer(
        related="company_id.xinfang_screening_notice_days", readonly=False
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

    def action_xinfang_load_prc_holidays(self):
        self.ensure_one()
        self.company_id.action_xinfang_load_prc_holidays()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "PRC public holidays and make-up workdays loaded into %s.",
                    self.company_id.resource_calendar_id.name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
