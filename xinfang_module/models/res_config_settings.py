from odoo import fields, models


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
