from collections import Counter

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

from .xinfang_callback import METHODS
from .xinfang_petition import LEADER, MANAGER


def rate(part, whole):
    return round(100.0 * part / whole, 1) if whole else 0.0


class XinfangCallbackBulletin(models.Model):
    """一回一通报: the month's callbacks per department, satisfaction and the
    dissatisfied cases with what was done about them (F6, F7).

    Planned counts callbacks planned in the month (not cancelled); done and
    unreachable count callbacks made in the month (their ``done_date``); the
    satisfaction rates are over the done ones.
    """

    _name = "xinfang.callback.bulletin"
    _description = "Monthly Callback Bulletin"
    _inherit = ["mail.thread"]
    _order = "month desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    month = fields.Date(required=True, index=True, help="First day of the month.")
    line_ids = fields.One2many(
        "xinfang.callback.bulletin.line", "bulletin_id", string="Departments"
    )
    case_ids = fields.One2many(
        "xinfang.callback.bulletin.case", "bulletin_id", string="Dissatisfied Cases"
    )
    planned_count = fields.Integer(string="Planned", readonly=True)
    done_count = fields.Integer(string="Done", readonly=True)
    unreachable_count = fields.Integer(string="Unreachable", readonly=True)
    satisfied_count = fields.Integer(string="Satisfied", readonly=True)
    basic_count = fields.Integer(string="Basically Satisfied", readonly=True)
    dissatisfied_count = fields.Integer(string="Dissatisfied", readonly=True)
    online_count = fields.Integer(
        string="Rated Online",
        readonly=True,
        help="Of the callbacks made, the petitioners' own ratings on the query "
        "page (网上评价).",
    )
    satisfied_rate = fields.Float(string="Satisfied (%)", readonly=True, digits=(5, 1))
    basic_rate = fields.Float(
        string="Basically Satisfied (%)", readonly=True, digits=(5, 1)
    )
    dissatisfied_rate = fields.Float(
        string="Dissatisfied (%)", readonly=True, digits=(5, 1)
    )
    note = fields.Html(string="Comments (表扬先进, 批评落后)")

    _sql_constraints = [
        (
            "company_month_unique",
            "UNIQUE(company_id, month)",
            "There is one callback bulletin per company and month.",
        )
    ]

    @api.model
    def _cron_monthly_bulletin(self):
        """Last month's bulletin of every company that has none yet, posted to
        the office managers and the leaders. Running it twice adds nothing."""
        created = self.browse()
        for company, today in self.env["res.company"]._xinfang_cron_days(
            "_cron_monthly_bulletin"
        ):
            month = today.replace(day=1) - relativedelta(months=1)
            if self.search_count(
                [("company_id", "=", company.id), ("month", "=", month)]
            ):
                continue
            bulletin = self.create(
                {
                    "name": self.with_context(lang=company._xinfang_lang()).env._(
                        "Callback Bulletin %s", month.strftime("%Y-%m")
                    ),
                    "company_id": company.id,
                    "month": month,
                }
            )
            bulletin.action_compute()
            bulletin._post_to_readers()
            created |= bulletin
        self.env["ir.cron"]._notify_progress(done=len(created), remaining=0)
        return created

    def action_compute(self):
        """(Re)compute the figures from the callbacks, confidential ones
        included: counts name nobody."""
        Callback = self.env["xinfang.callback"].sudo()
        for bulletin in self:
            start = bulletin.month.replace(day=1)
            stop = start + relativedelta(months=1)
            company = [("company_id", "=", bulletin.company_id.id)]
            planned = dict(
                Callback._read_group(
                    company
                    + [
                        ("planned_date", ">=", start),
                        ("planned_date", "<", stop),
                        ("state", "!=", "cancelled"),
                    ],
                    ["department_id"],
                    ["__count"],
                )
            )
            made = Callback._read_group(
                company
                + [
                    ("done_date", ">=", start),
                    ("done_date", "<", stop),
                    ("state", "in", ("done", "unreachable")),
                ],
                ["department_id", "state", "rating", "method"],
                ["__count"],
            )
            figures = {department: Counter() for department in planned}
            for department, count in planned.items():
                figures[department]["planned"] = count
            for department, state, rating, method, count in made:
                row = figures.setdefault(department, Counter())
                row[state] += count
                if state == "done" and rating:
                    row[rating] += count
                if state == "done" and method == "online":
                    row["online"] += count
            bulletin.line_ids = [Command.clear()] + [
                Command.create(
                    {
                        "department_id": department.id,
                        **self._figures(row),
                    }
                )
                for department, row in sorted(
                    figures.items(), key=lambda item: item[0].name or ""
                )
            ]
            total = sum(figures.values(), Counter())
            bulletin.write(
                {
                    f"{key}_count" if not key.endswith("_rate") else key: value
                    for key, value in self._figures(total).items()
                }
            )
            bulletin.case_ids = [Command.clear()] + [
                Command.create(self._case_vals(callback))
                for callback in Callback.search(
                    company
                    + [
                        ("done_date", ">=", start),
                        ("done_date", "<", stop),
                        ("state", "=", "done"),
                        ("rating", "=", "dissatisfied"),
                    ],
                    order="done_date, id",
                )
            ]
        return True

    @api.model
    def _figures(self, row):
        done = row["done"]
        return {
            "planned": row["planned"],
            "done": done,
            "unreachable": row["unreachable"],
            "satisfied": row["satisfied"],
            "basic": row["basic"],
            "dissatisfied": row["dissatisfied"],
            "online": row["online"],
            "satisfied_rate": rate(row["satisfied"], done),
            "basic_rate": rate(row["basic"], done),
            "dissatisfied_rate": rate(row["dissatisfied"], done),
        }

    @api.model
    def _case_vals(self, callback):
        petition = callback.petition_id
        return {
            "callback_id": callback.id,
            "method": callback.method,
            "petition_name": petition.name,
            "department_id": petition.department_id.id,
            # The matter of a confidential item stays out of the bulletin:
            # neither its subject nor what was written about it.
            "subject": False if petition.confidential else petition.subject,
            "follow_up": self.env._("Confidential item: see discipline.")
            if petition.confidential
            else callback.follow_up or self.env._("No follow-up recorded yet."),
        }

    def _post_to_readers(self):
        for bulletin in self:
            readers = bulletin.company_id._xinfang_users(MANAGER, LEADER)
            bulletin.message_post(
                body=self.env._(
                    "Callback bulletin of %(month)s: %(done)s callbacks made, "
                    "%(satisfied)s %% satisfied, %(dissatisfied)s dissatisfied.",
                    month=bulletin.month.strftime("%Y-%m"),
                    done=bulletin.done_count,
                    satisfied=bulletin.satisfied_rate,
                    dissatisfied=bulletin.dissatisfied_count,
                ),
                partner_ids=readers.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )


class XinfangCallbackBulletinLine(models.Model):
    _name = "xinfang.callback.bulletin.line"
    _description = "Callback Bulletin: Department Figures"
    _order = "bulletin_id, id"

    bulletin_id = fields.Many2one(
        "xinfang.callback.bulletin", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="bulletin_id.company_id", store=True)
    department_id = fields.Many2one("hr.department")
    planned = fields.Integer()
    done = fields.Integer()
    unreachable = fields.Integer()
    satisfied = fields.Integer()
    basic = fields.Integer(string="Basically Satisfied")
    dissatisfied = fields.Integer()
    online = fields.Integer(string="Rated Online")
    satisfied_rate = fields.Float(string="Satisfied (%)", digits=(5, 1))
    basic_rate = fields.Float(string="Basically Satisfied (%)", digits=(5, 1))
    dissatisfied_rate = fields.Float(string="Dissatisfied (%)", digits=(5, 1))


class XinfangCallbackBulletinCase(models.Model):
    _name = "xinfang.callback.bulletin.case"
    _description = "Callback Bulletin: Dissatisfied Case"
    _order = "bulletin_id, id"

    bulletin_id = fields.Many2one(
        "xinfang.callback.bulletin", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="bulletin_id.company_id", store=True)
    callback_id = fields.Many2one("xinfang.callback", ondelete="set null")
    method = fields.Selection(METHODS, string="Source")
    petition_name = fields.Char(string="Petition")
    department_id = fields.Many2one("hr.department")
    subject = fields.Char()
    follow_up = fields.Text(string="What Was Done")
