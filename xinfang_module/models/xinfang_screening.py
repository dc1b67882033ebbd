import calendar
from datetime import date, timedelta

from odoo import api, fields, models

from .xinfang_visit import RISK_LEVELS


def screening_period(day, per_month):
    """(first, last) day of the screening period ``day`` falls in: the month
    cut into ``per_month`` equal parts (2: the 1st-15th and the 16th-end)."""
    per_month = max(1, min(per_month, 4))
    length = calendar.monthrange(day.year, day.month)[1]
    bounds = [length * k // per_month for k in range(per_month + 1)]
    for start, stop in zip(bounds, bounds[1:], strict=False):
        if start < day.day <= stop:
            return date(day.year, day.month, start + 1), date(day.year, day.month, stop)
    raise ValueError(day)


class XinfangScreening(models.Model):
    """矛盾纠纷排查 (E5): a department's regular screening of disputes that may
    turn into petitions, with the risk and who follows it up."""

    _name = "xinfang.screening"
    _description = "Dispute Screening"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    department_id = fields.Many2one(
        "hr.department", required=True, index=True, check_company=True, tracking=True
    )
    findings = fields.Text(required=True)
    risk_level = fields.Selection(
        RISK_LEVELS, required=True, default="low", index=True, tracking=True
    )
    owner_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, tracking=True
    )
    follow_up = fields.Text(tracking=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("following", "Following Up"),
            ("resolved", "Resolved"),
        ],
        default="open",
        required=True,
        index=True,
        tracking=True,
    )

    @api.depends("department_id", "date")
    def _compute_display_name(self):
        for screening in self:
            screening.display_name = " ".join(
                filter(None, [str(screening.date or ""), screening.department_id.name])
            )

    def action_follow_up(self):
        self.write({"state": "following"})
        return True

    def action_resolve(self):
        self.write({"state": "resolved"})
        return True

    @api.model
    def _cron_screening_reminder(self, batch_size=500):
        """Remind each department without a screening in the current period,
        from ``xinfang_screening_notice_days`` before the period ends; once
        per period (the department remembers the period it was reminded of)."""
        done = remaining = 0
        activity_type = self.env.ref("xinfang_module.mail_activity_type_screening")
        for company, today in self.env["res.company"]._xinfang_cron_days(
            "_cron_screening_reminder"
        ):
            first, last = screening_period(today, company.xinfang_screening_per_month)
            if today < last - timedelta(days=company.xinfang_screening_notice_days):
                continue
            screened = self.search(
                [
                    ("company_id", "=", company.id),
                    ("date", ">=", first),
                    ("date", "<=", last),
                ]
            ).department_id
            departments = self.env["hr.department"].search(
                [
                    ("company_id", "in", (company.id, False)),
                    ("manager_id.user_id", "!=", False),
                    ("id", "not in", screened.ids),
                    "|",
                    ("xinfang_screening_reminded", "=", False),
                    ("xinfang_screening_reminded", "<", first),
                ],
                limit=max(batch_size - done, 0) + 1,
            )
            batch = departments[: max(batch_size - done, 0)]
            remaining += len(departments) - len(batch)
            for department in batch:
                department.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=department.manager_id.user_id.id,
                    date_deadline=last,
                    summary=self.with_context(lang=company._xinfang_lang()).env._(
                        "Dispute screening due by %s (矛盾纠纷排查)", last
                    ),
                )
            batch.write({"xinfang_screening_reminded": first})
            done += len(batch)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done
