from odoo import Command, api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import UserError

from ..models.xinfang_guard import MANAGER


class XinfangSetupWizard(models.TransientModel):
    """First-run set-up of the petition office (and later re-application of a
    preset): institution and preset, time zone and working calendar with the
    PRC holidays, then the discipline and personnel departments and who
    handles each department's petitions."""

    _name = "xinfang.setup.wizard"
    _description = "Petition Office Set-up"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    step = fields.Selection(
        [("preset", "Institution"), ("departments", "Departments")],
        default="preset",
        required=True,
    )
    preset_id = fields.Many2one(
        "xinfang.preset",
        string="Institution's Rules",
        default=lambda self: self.env.company.xinfang_preset_id,
    )
    preset_description = fields.Text(related="preset_id.description")
    overwrite = fields.Boolean(
        string="Overwrite the Office's Changes",
        help="Also set the settings and categories the office changed since "
        "the preset was last applied.",
    )
    company_name = fields.Char(
        string="Institution's Name",
        required=True,
        default=lambda self: self.env.company.name,
        help="As printed on notices and reports.",
    )
    tz = fields.Selection(
        _tz_get,
        string="Time Zone",
        required=True,
        # A new database's calendar says UTC: the offices work on Beijing time.
        default=lambda self: self.env.company.partner_id.tz or "Asia/Shanghai",
        help="Deadlines, notices and reception days count in this time zone.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Calendar",
        readonly=True,
        default=lambda self: self.env.company.resource_calendar_id,
    )
    load_holidays = fields.Boolean(
        string="Load the PRC Public Holidays",
        default=True,
        help="Public holidays and make-up workdays 2026-2027 into the working "
        "calendar; loading twice adds nothing twice.",
    )
    kept_settings = fields.Text(readonly=True)
    discipline_department_id = fields.Many2one(
        "hr.department",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Confidential items (检举控告) are routed to this department only.",
    )
    personnel_department_id = fields.Many2one(
        "hr.department",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Personnel matters are routed to this department.",
    )
    line_ids = fields.One2many("xinfang.setup.wizard.line", "wizard_id")

    @api.model
    def default_get(self, fields_list):
        self.env["xinfang.petition"]._check_group(MANAGER)
        return super().default_get(fields_list)

    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._("Set Up the Petition Office")

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_apply_preset(self):
        """Step 1: time zone, calendar and holidays, then the preset."""
        self.ensure_one()
        company = self.company_id
        company._xinfang_check_office_manager(
            self.env._("Only the petition office manager sets the office up.")
        )
        if not self.preset_id:
            raise UserError(self.env._("Choose the rules of your institution."))
        # The institution's name, and the time zone its deadlines are counted
        # in (on the company and its calendar): the office manager's first step.
        company.sudo().write({"name": self.company_name})
        # The office's language is the one it sets up in: the scheduled
        # actions write their notes and activities in it.
        company.sudo().partner_id.write({"tz": self.tz, "lang": self.env.lang})
        if company.resource_calendar_id:
            company.resource_calendar_id.sudo().tz = self.tz
        if self.load_holidays:
            company.action_xinfang_load_prc_holidays()
        kept = self.preset_id._apply(company, overwrite=self.overwrite)
        departments = self.env["hr.department"].search(
            [("company_id", "in", [company.id, False])]
        )
        self.write(
            {
                "step": "departments",
                "kept_settings": "\n".join(kept) or False,
                "discipline_department_id": company.xinfang_discipline_department_id.id,
                "personnel_department_id": company.xinfang_hr_department_id.id,
                "line_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "department_id": department.id,
                            "handles": department.xinfang_handles,
                            "user_ids": [Command.set(department.xinfang_user_ids.ids)],
                        }
                    )
                    for department in departments
                ],
            }
        )
        return self._reopen()

    def action_back(self):
        self.step = "preset"
        return self._reopen()

    def action_done(self):
        """Step 2: departments and contacts; the office is set up."""
        self.ensure_one()
        company = self.company_id
        company._xinfang_check_office_manager(
            self.env._("Only the petition office manager sets the office up.")
        )
        company.write(
            {
                "xinfang_discipline_department_id": self.discipline_department_id.id,
                "xinfang_hr_department_id": self.personnel_department_id.id,
                "xinfang_setup_done": True,
            }
        )
        for line in self.line_ids:
            department = line.department_id
            vals = {}
            if line.user_ids != department.xinfang_user_ids:
                vals["xinfang_user_ids"] = [Command.set(line.user_ids.ids)]
            if line.handles != department.xinfang_handles:
                vals["xinfang_handles"] = line.handles
            if vals:
                department.write(vals)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_petition_action"
        )
        action["target"] = "main"
        return action


class XinfangSetupWizardLine(models.TransientModel):
    _name = "xinfang.setup.wizard.line"
    _description = "Petition Office Set-up: Department"

    wizard_id = fields.Many2one(
        "xinfang.setup.wizard", required=True, ondelete="cascade"
    )
    department_id = fields.Many2one("hr.department", required=True, readonly=True)
    manager_id = fields.Many2one(
        related="department_id.manager_id", string="Head of Department"
    )
    handles = fields.Boolean(
        string="Handles Petitions", help="Offered when petitions are routed."
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Petition Contacts",
        domain="[('share', '=', False)]",
        help="Who handles and is told of this department's petitions, besides "
        "its head.",
    )
