import base64

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .tools import list_separator
from .xinfang_petition import LEADER, MANAGER, OFFICER


class XinfangReport(models.Model):
    """月报 (篇8 §三4): one per company and month, made by the month-end cron
    on the 1st with the month's workbook and a short summary; a month without
    items gets its zero report (零报告). The office reviews the summary,
    submits it, and the office manager approves it.

    The figures are the office's (every item counted, confidential ones
    never described: xinfang.statistics), whoever regenerates them."""

    _name = "xinfang.report"
    _description = "Monthly Petition Report"
    _inherit = ["xinfang.guard.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "month desc, id desc"
    _check_company_auto = True
    # Never deleted: no group has the right to (security/ir.model.access.csv).
    _xinfang_step_fields = frozenset(
        {
            "state",
            "item_count",
            "people_count",
            "closed_count",
            "on_time_rate",
            "satisfaction_rate",
            "zero_report",
            "summary_proposed",
            "workbook",
            "workbook_name",
            "generated_date",
            "submitted_uid",
            "submitted_date",
            "approved_uid",
            "approved_date",
        }
    )

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    month = fields.Date(
        required=True,
        index=True,
        default=lambda self: self._default_month(),
        help="First day of the month.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    item_count = fields.Integer(string="Items Received", readonly=True)
    people_count = fields.Integer(string="People (人次)", readonly=True)
    closed_count = fields.Integer(string="Items Closed", readonly=True)
    on_time_rate = fields.Char(string="On-time Completion Rate", readonly=True)
    satisfaction_rate = fields.Char(readonly=True)
    zero_report = fields.Boolean(
        readonly=True,
        help="零报告: no item was received in the month.",
    )
    summary = fields.Text(
        tracking=True,
        help="Proposed from the figures when they are generated; the office "
        "completes it before submitting.",
    )
    summary_proposed = fields.Text(readonly=True, copy=False)
    workbook = fields.Binary(readonly=True, attachment=True, copy=False)
    workbook_name = fields.Char(readonly=True)
    generated_date = fields.Datetime(string="Generated On", readonly=True)
    submitted_uid = fields.Many2one("res.users", string="Submitted By", readonly=True)
    submitted_date = fields.Datetime(string="Submitted On", readonly=True)
    approved_uid = fields.Many2one("res.users", string="Approved By", readonly=True)
    approved_date = fields.Datetime(string="Approved On", readonly=True)

    _sql_constraints = [
        (
            "company_month_unique",
            "UNIQUE(company_id, month)",
            "There is one monthly report per company and month.",
        )
    ]

    @api.model
    def _default_month(self):
        """Last month: the one an office reports on."""
        today = self.env.company._xinfang_today()
        return today.replace(day=1) - relativedelta(months=1)

    def _xinfang_create_defaults(self):
        # What the form sends for a new report.
        return {"state": "draft"}

    @api.depends("month", "company_id")
    def _compute_name(self):
        Workbook = self.env["xinfang.workbook"]
        for report in self:
            if not report.month:
                report.name = False
                continue
            end = report.month + relativedelta(months=1, days=-1)
            lang = report.company_id._xinfang_lang()
            report.name = self.env._(
                "Monthly report %(month)s",
                month=Workbook.with_context(lang=lang)._period_name(report.month, end),
            )

    @api.constrains("month")
    def _check_month(self):
        for report in self:
            if report.month.day != 1:
                raise UserError(
                    self.env._("A monthly report starts on the first of a month.")
                )

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------
    def _check_step(self, states, group):
        if not self.env.su and not self.env.user.has_group(group):
            raise UserError(self.env._("You may not do this on a monthly report."))
        for report in self:
            if report.state not in states:
                raise UserError(
                    self.env._(
                        "%(report)s is %(state)s: this step does not apply.",
                        report=report.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[report.state],
                    )
                )

    def action_generate(self):
        """(Re)make the workbook and the figures of the month; the summary is
        proposed again only when the office has not written its own."""
        self._check_step(("draft",), OFFICER)
        Statistics = self.env["xinfang.statistics"]
        Workbook = self.env["xinfang.workbook"]
        Kpi = self.env["xinfang.kpi"]
        for report in self:
            company = report.company_id
            end = report.month + relativedelta(months=1, days=-1)
            data = Statistics._collect(
                company, report.month, end, office=True, describe=False
            )
            # The month's closures: what an office reports as 按期办结率 and
            # 满意率 of the month (the workbook has both bases).
            closed = data["closed_kpi"]["current"]
            content = Workbook._render(data)
            vals = {
                "item_count": data["totals"]["current"],
                "people_count": data["people"]["current"],
                "closed_count": data["closed"]["current"],
                "on_time_rate": Kpi._format(closed["on_time_completion"][0]),
                "satisfaction_rate": Kpi._format(closed["satisfaction"][0]),
                "zero_report": not data["totals"]["current"],
                "workbook": base64.b64encode(content),
                "workbook_name": Workbook._filename(data),
                "generated_date": fields.Datetime.now(),
            }
            vals["summary_proposed"] = report._proposed_summary(data, vals)
            # The office's own words are never overwritten.
            if not report.summary or report.summary == report.summary_proposed:
                vals["summary"] = vals["summary_proposed"]
            report._xinfang_steps().write(vals)
            report.message_post(
                body=self.env._("Figures and workbook generated."),
                attachments=[(vals["workbook_name"], content)],
            )
        return True

    def _proposed_summary(self, data, vals):
        self.ensure_one()
        company = self.company_id
        env = self.with_context(lang=company._xinfang_lang()).env
        period = env["xinfang.workbook"]._period_name(
            self.month, self.month + relativedelta(months=1, days=-1)
        )
        if vals["zero_report"]:
            return env._(
                "Zero report: %(company)s received no petition in %(month)s; "
                "%(closed)s item(s) were closed.",
                company=company.name,
                month=period,
                closed=vals["closed_count"],
            )
        separator = list_separator(env)
        natures = separator.join(
            env._("%(label)s %(count)s", label=label, count=now)
            for label, now, _previous, _last_year in data["nature"]
            if now and label != env._("Not given")
        )
        top = separator.join(
            env._("%(label)s %(count)s", label=row["name"], count=row["count"])
            for row in data["top"][:5]
        )
        return env._(
            "In %(month)s %(company)s received %(count)s petition(s) "
            "(%(people)s people); by nature: %(natures)s. %(closed)s item(s) "
            "were closed; on-time completion rate %(on_time)s, satisfaction "
            "rate %(satisfaction)s. Largest categories: %(top)s.",
            month=period,
            company=company.name,
            count=vals["item_count"],
            people=vals["people_count"],
            natures=natures or "—",
            closed=vals["closed_count"],
            on_time=vals["on_time_rate"],
            satisfaction=vals["satisfaction_rate"],
            top=top or "—",
        )

    def action_submit(self):
        self._check_step(("draft",), OFFICER)
        self.activity_unlink(["mail.mail_activity_data_todo"])
        for report in self:
            if not report.workbook:
                raise UserError(
                    self.env._(
                        "Generate the figures of %(report)s first.", report=report.name
                    )
                )
        self._xinfang_steps().write(
            {
                "state": "submitted",
                "submitted_uid": self.env.uid,
                "submitted_date": fields.Datetime.now(),
            }
        )
        for report in self:
            managers = report.company_id._xinfang_users(MANAGER) - self.env.user
            # The office manager, rather than a system administrator who
            # also has the group.
            managers = managers.filtered(lambda user: not user._is_system()) or managers
            if managers:
                report.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Approve the monthly report"),
                    user_id=managers[0].id,
                )
        return True

    def action_approve(self):
        self._check_step(("submitted",), MANAGER)
        self.activity_unlink(["mail.mail_activity_data_todo"])
        self._xinfang_steps().write(
            {
                "state": "approved",
                "approved_uid": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    def action_return(self):
        """Back to the office for corrections: the approval to-do is closed,
        whoever submitted is given one to correct it."""
        self._check_step(("submitted",), MANAGER)
        self.activity_unlink(["mail.mail_activity_data_todo"])
        for report in self:
            if report.submitted_uid and report.submitted_uid != self.env.user:
                report.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Correct and submit the monthly report again"),
                    user_id=report.submitted_uid.id,
                )
        self._xinfang_steps().write(
            {"state": "draft", "submitted_uid": False, "submitted_date": False}
        )
        return True

    @api.model_create_multi
    def create(self, vals_list):
        self._xinfang_check_create_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        # Who may not write at all hears so first.
        self.check_access("write")
        self._xinfang_check_step_fields(vals)
        if {"company_id", "month"} & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "The month and the company of a report are fixed: make a "
                    "report for the other month."
                )
            )
        if "summary" in vals and not self.env.su:
            self._check_step(("draft",), OFFICER)
        return super().write(vals)

    # ------------------------------------------------------------------
    # The month-end cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_month_end(self):
        """Last month's report of every company that has none yet, generated
        and posted to the office managers and leaders; a month without items
        gets its zero report. Running it twice adds nothing."""
        created = self.browse()
        Petition = self.env["xinfang.petition"].sudo().with_context(active_test=False)
        for company, today in self.env["res.company"]._xinfang_cron_days(
            "_cron_month_end"
        ):
            # Companies of the group that keep no petition get no report.
            if not company.xinfang_setup_done and not Petition.search_count(
                [("company_id", "=", company.id)], limit=1
            ):
                continue
            month = today.replace(day=1) - relativedelta(months=1)
            if self.search_count(
                [("company_id", "=", company.id), ("month", "=", month)]
            ):
                continue
            report = self.create({"company_id": company.id, "month": month})
            report.action_generate()
            readers = company._xinfang_users(MANAGER, LEADER)
            report.message_subscribe(partner_ids=readers.partner_id.ids)
            created |= report
            self.env["ir.cron"]._notify_progress(done=len(created), remaining=0)
        return created
