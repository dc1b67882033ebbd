"""登记簿 (issue 15, item 2): the items registered in a period of the
company's days, per channel, as the user may read them, printed in the
office's form frame (report.xinfang_module.report_petition_register)."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.xinfang_petition import CHANNELS

# The years a register may cover (what a date of the office can be).
MIN_YEAR, MAX_YEAR = 1950, 2200
# The most items one register prints (about 250 pages).
MAX_ITEMS = 5000


class XinfangRegisterWizard(models.TransientModel):
    """登记簿: the items registered in a period, per channel, printed."""

    _name = "xinfang.register.wizard"
    _description = "Print a Petition Register"

    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    channel = fields.Selection(CHANNELS, help="Empty: every channel.")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )

    @api.constrains("date_from", "date_to", "company_id")
    def _check_period(self):
        for wizard in self:
            if wizard.company_id not in self.env.user.company_ids:
                raise UserError(self.env._("Print the register of your own company."))
            if not (
                MIN_YEAR <= wizard.date_from.year and wizard.date_to.year <= MAX_YEAR
            ):
                raise UserError(
                    self.env._(
                        "Give a period between %(first)s and %(last)s.",
                        first=MIN_YEAR,
                        last=MAX_YEAR,
                    )
                )
            if wizard.date_to < wizard.date_from:
                raise UserError(self.env._("The period ends before it starts."))
            if (wizard.date_to - wizard.date_from).days > 366:
                raise UserError(
                    self.env._("A register covers at most a year: print one per year.")
                )

    def _items(self):
        """The items registered in the period (the company's days), as the
        user may read them, in registration order."""
        self.ensure_one()
        company = self.company_id
        domain = [
            ("company_id", "=", company.id),
            ("registration_date", ">=", company._xinfang_day_start(self.date_from)),
            (
                "registration_date",
                "<",
                company._xinfang_day_start(self.date_to + timedelta(days=1)),
            ),
        ]
        if self.channel:
            domain.append(("channel", "=", self.channel))
        Petition = self.env["xinfang.petition"].with_env(self.env(su=False))
        count = Petition.search_count(domain)
        if count > MAX_ITEMS:
            # Never a register silently cut short.
            raise UserError(
                self.env._(
                    "%(count)s items in the period: a register prints at most "
                    "%(max)s. Print a shorter period or one channel.",
                    count=count,
                    max=MAX_ITEMS,
                )
            )
        return Petition.search(domain, order="registration_date, id")

    def action_print(self):
        self.ensure_one()
        return self.env.ref("xinfang_module.xinfang_register_report").report_action(
            self
        )
