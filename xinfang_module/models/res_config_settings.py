from odoo import api, fields, models
from odoo.exceptions import AccessError

from .xinfang_guard import MANAGER

# Besides the petition settings (``xinfang_*``), what the petition settings
# form reads of the transient record itself.
OWN_FIELDS = frozenset(
    ("id", "display_name", "company_id", "create_uid", "create_date")
    + ("write_uid", "write_date")
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    xinfang_legal_basis = fields.Char(
        related="company_id.xinfang_legal_basis", readonly=False
    )
    xinfang_upper_key_cases = fields.Boolean(
        related="company_id.xinfang_upper_key_cases", readonly=False
    )
    xinfang_review_body = fields.Char(
        related="company_id.xinfang_review_body", readonly=False
    )
    xinfang_contact_name = fields.Char(
        related="company_id.xinfang_contact_name", readonly=False
    )
    xinfang_contact_phone = fields.Char(
        related="company_id.xinfang_contact_phone", readonly=False
    )
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
    xinfang_dispatch_minutes = fields.Integer(
        related="company_id.xinfang_dispatch_minutes", readonly=False
    )
    xinfang_verification_hours = fields.Integer(
        related="company_id.xinfang_verification_hours", readonly=False
    )
    xinfang_accountability_month = fields.Integer(
        related="company_id.xinfang_accountability_month", readonly=False
    )
    xinfang_accountability_year = fields.Integer(
        related="company_id.xinfang_accountability_year", readonly=False
    )
    xinfang_preset_id = fields.Many2one(related="company_id.xinfang_preset_id")
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
    xinfang_alias_name = fields.Char(
        related="company_id.xinfang_alias_name", readonly=False
    )
    xinfang_alias_domain = fields.Char(
        related="company_id.alias_domain_name", string="Petition Alias Domain"
    )
    xinfang_email_acknowledge = fields.Boolean(
        related="company_id.xinfang_email_acknowledge", readonly=False
    )
    xinfang_online_enabled = fields.Boolean(
        related="company_id.xinfang_online_enabled", readonly=False
    )
    xinfang_online_url = fields.Char(
        string="Public Address", compute="_compute_xinfang_online_url"
    )
    xinfang_online_max_files = fields.Integer(
        related="company_id.xinfang_online_max_files", readonly=False
    )
    xinfang_online_max_file_mb = fields.Integer(
        related="company_id.xinfang_online_max_file_mb", readonly=False
    )
    xinfang_online_file_types = fields.Char(
        related="company_id.xinfang_online_file_types", readonly=False
    )
    xinfang_online_ip_hourly = fields.Integer(
        related="company_id.xinfang_online_ip_hourly", readonly=False
    )
    xinfang_online_global_per_minute = fields.Integer(
        related="company_id.xinfang_online_global_per_minute", readonly=False
    )
    xinfang_online_daily_cap = fields.Integer(
        related="company_id.xinfang_online_daily_cap", readonly=False
    )
    xinfang_online_lockout_failures = fields.Integer(
        related="company_id.xinfang_online_lockout_failures", readonly=False
    )
    xinfang_online_lockout_minutes = fields.Integer(
        related="company_id.xinfang_online_lockout_minutes", readonly=False
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
    # One days / working-days pair per legal limit (DEADLINE_LIMITS).
    xinfang_acceptance_days = fields.Integer(
        related="company_id.xinfang_acceptance_days", readonly=False
    )
    xinfang_acceptance_working = fields.Boolean(
        related="company_id.xinfang_acceptance_working", readonly=False
    )
    xinfang_handling_days = fields.Integer(
        related="company_id.xinfang_handling_days", readonly=False
    )
    xinfang_handling_working = fields.Boolean(
        related="company_id.xinfang_handling_working", readonly=False
    )
    xinfang_destruction_leader = fields.Boolean(
        related="company_id.xinfang_destruction_leader", readonly=False
    )
    xinfang_repeat_keep_years = fields.Integer(
        related="company_id.xinfang_repeat_keep_years", readonly=False
    )
    xinfang_filing_days = fields.Integer(
        related="company_id.xinfang_filing_days", readonly=False
    )
    xinfang_filing_working = fields.Boolean(
        related="company_id.xinfang_filing_working", readonly=False
    )
    xinfang_extension_max_days = fields.Integer(
        related="company_id.xinfang_extension_max_days", readonly=False
    )
    xinfang_extension_max_working = fields.Boolean(
        related="company_id.xinfang_extension_max_working", readonly=False
    )
    xinfang_instruction_days = fields.Integer(
        related="company_id.xinfang_instruction_days", readonly=False
    )
    xinfang_instruction_working = fields.Boolean(
        related="company_id.xinfang_instruction_working", readonly=False
    )
    xinfang_routing_days = fields.Integer(
        related="company_id.xinfang_routing_days", readonly=False
    )
    xinfang_routing_working = fields.Boolean(
        related="company_id.xinfang_routing_working", readonly=False
    )
    xinfang_return_window_days = fields.Integer(
        related="company_id.xinfang_return_window_days", readonly=False
    )
    xinfang_return_window_working = fields.Boolean(
        related="company_id.xinfang_return_window_working", readonly=False
    )
    xinfang_review_request_days = fields.Integer(
        related="company_id.xinfang_review_request_days", readonly=False
    )
    xinfang_review_request_working = fields.Boolean(
        related="company_id.xinfang_review_request_working", readonly=False
    )
    xinfang_review_decision_days = fields.Integer(
        related="company_id.xinfang_review_decision_days", readonly=False
    )
    xinfang_review_decision_working = fields.Boolean(
        related="company_id.xinfang_review_decision_working", readonly=False
    )
    xinfang_due_soon_days = fields.Integer(
        related="company_id.xinfang_due_soon_days", readonly=False
    )
    xinfang_due_soon_working = fields.Boolean(
        related="company_id.xinfang_due_soon_working", readonly=False
    )

    xinfang_settings_limited = fields.Boolean(
        string="Petition Settings Only",
        compute="_compute_xinfang_settings_limited",
        help="The petition office manager who is not a system administrator: "
        "the company's working calendar is HR's, not theirs to change.",
    )

    # Settings are the system administrator's in Odoo. The petition office
    # manager saves the petition settings too, on their own form
    # (res_config_settings_view_form_xinfang), and nothing else: for them the
    # record takes the ``xinfang_*`` fields only (no other
    # application's setting, API key or secret is read through a default),
    # the values reach the company when the record is saved (related fields,
    # see ResCompany.write) and ``execute`` sets no parameter, group or module.
    # Other fields of their record keep the empty values they were created
    # with: reading them tells nothing.

    @api.depends("company_id")
    @api.depends_context("uid")
    def _compute_xinfang_settings_limited(self):
        self.xinfang_settings_limited = self._xinfang_office_only()

    @api.model
    def _xinfang_office_only(self):
        return (
            not self.env.su
            and not self.env.is_admin()
            and self.env.user.has_group(MANAGER)
        )

    @api.model
    def _xinfang_office_fields(self):
        return [
            name
            for name in self._fields
            if name.startswith("xinfang_") or name in OWN_FIELDS
        ]

    def _xinfang_check_office_vals(self, vals):
        refused = sorted(set(vals) - set(self._xinfang_office_fields()))
        if refused:
            raise AccessError(
                self.env._(
                    "The petition office manager changes the petition settings "
                    "only, not: %(fields)s.",
                    fields=", ".join(refused),
                )
            )

    @api.model
    def default_get(self, fields):
        # Odoo reads every setting's parameter as superuser here, for anyone
        # who calls it: who is no administrator gets the petition settings
        # only (no API key or secret of another application).
        if not self.env.su and not self.env.is_admin():
            allowed = set(self._xinfang_office_fields())
            fields = [name for name in fields if name in allowed]
        return super().default_get(fields)

    def onchange(self, values, field_names, fields_spec):
        if self._xinfang_office_only() and set(fields_spec) - set(
            self._xinfang_office_fields()
        ):
            # The office manager opened the general settings page: say where
            # theirs are, before the page shows anything.
            raise AccessError(
                self.env._(
                    "The general settings are the system administrator's. The "
                    "petition settings are under Petitions > Configuration > "
                    "Settings."
                )
            )
        return super().onchange(values, field_names, fields_spec)

    @api.model_create_multi
    def create(self, vals_list):
        if self._xinfang_office_only():
            for vals in vals_list:
                self._xinfang_check_office_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        if self._xinfang_office_only():
            self._xinfang_check_office_vals(vals)
        return super().write(vals)

    def _compute_display_name(self):
        if self._xinfang_office_only():
            # Odoo names the record after a window action, which only the
            # system administrator reads.
            self.display_name = self.env._("Petition Settings")
            return
        super()._compute_display_name()

    def execute(self):
        if self._xinfang_office_only():
            self.ensure_one()
            return {"type": "ir.actions.client", "tag": "reload"}
        return super().execute()

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

    @api.depends("company_id")
    def _compute_xinfang_online_url(self):
        for settings in self:
            settings.xinfang_online_url = (
                settings.company_id.get_base_url() + "/xinfang"
            )
