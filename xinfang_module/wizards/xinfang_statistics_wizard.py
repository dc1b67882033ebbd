import base64
from datetime import timedelta
from urllib.parse import quote

from odoo import api, fields, models

from ..models.xinfang_statistics import PERIOD_TYPES, period_dates


def _years(model):
    this_year = fields.Date.context_today(model).year
    return [(str(year), str(year)) for year in range(this_year, this_year - 11, -1)]


class XinfangStatisticsWizard(models.TransientModel):
    """统计报表: the period workbook of a month, quarter, half-year, year or
    custom period, downloaded as .xlsx (G1)."""

    _name = "xinfang.statistics.wizard"
    _description = "Petition Statistics Workbook"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    department_id = fields.Many2one(
        "hr.department",
        domain="[('company_id', 'in', (company_id, False))]",
        help="Only the items of this department and its sub-departments.",
    )
    period_type = fields.Selection(
        PERIOD_TYPES, string="Period", required=True, default="quarter"
    )
    year = fields.Selection(
        _years,
        required=True,
        default=lambda self: str(self._default_day("quarter").year),
    )
    month = fields.Selection(
        [
            ("1", "January"),
            ("2", "February"),
            ("3", "March"),
            ("4", "April"),
            ("5", "May"),
            ("6", "June"),
            ("7", "July"),
            ("8", "August"),
            ("9", "September"),
            ("10", "October"),
            ("11", "November"),
            ("12", "December"),
        ],
        default=lambda self: str(self._default_day().month),
    )
    quarter = fields.Selection(
        [
            ("1", "First quarter"),
            ("2", "Second quarter"),
            ("3", "Third quarter"),
            ("4", "Fourth quarter"),
        ],
        default=lambda self: str((self._default_day("quarter").month - 1) // 3 + 1),
    )
    half = fields.Selection(
        [("1", "First half"), ("2", "Second half")],
        default=lambda self: "1" if self._default_day("half").month <= 6 else "2",
    )
    date_from = fields.Date(
        string="From",
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    date_to = fields.Date(
        string="To",
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    workbook = fields.Binary(readonly=True)
    workbook_name = fields.Char(readonly=True)

    @api.model
    def _default_day(self, period="month"):
        """The last day of the last finished month, quarter or half-year:
        what an office reports on."""
        today = fields.Date.context_today(self)
        months = {"month": 1, "quarter": 3, "half": 6}[period]
        first = today.replace(day=1, month=(today.month - 1) // months * months + 1)
        return first - timedelta(days=1)

    @api.depends("period_type", "year", "month", "quarter", "half")
    def _compute_dates(self):
        for wizard in self:
            if (
                wizard.period_type not in ("month", "quarter", "half", "year")
                or not (wizard.year or "").isdigit()
                or not 1900 <= int(wizard.year) <= 2999
            ):
                continue
            number = {
                "month": wizard.month,
                "quarter": wizard.quarter,
                "half": wizard.half,
                "year": "1",
            }[wizard.period_type] or "1"
            if not number.isdigit():
                continue
            wizard.date_from, wizard.date_to = period_dates(
                wizard.period_type, int(wizard.year), int(number)
            )

    def action_download(self):
        """Count, write the workbook and hand it to the browser."""
        self.ensure_one()
        data = self.env["xinfang.statistics"]._collect(
            self.company_id, self.date_from, self.date_to, self.department_id or None
        )
        Workbook = self.env["xinfang.workbook"]
        self.write(
            {
                "workbook": base64.b64encode(Workbook._render(data)),
                "workbook_name": Workbook._filename(data),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/workbook/"
            f"{quote(self.workbook_name)}?download=true",
            "target": "self",
        }
