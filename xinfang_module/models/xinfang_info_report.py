"""信息报送 (G3; 篇8 §三-§四; issue 15, item 5).

Collective, cross-level and abnormal visits and petitions are reported at
once (一事一报): first by phone, then in writing — what, when, where, how many,
the cause, the trend and the measures — with follow-up reports as things
develop, and a month-end summary that is a zero report (零报告) when nothing
happened. The office writes them, the office manager approves them.

A visit's early warning drafts the immediate report; a cron reminds the
office managers of an immediate report still unwritten two hours after the
event was registered, and drafts each month's summary on the 1st."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .tools import check_read_as_user, list_separator
from .xinfang_petition import MANAGER, OFFICER

INFO_KINDS = [
    ("immediate", "Immediate Report (一事一报)"),
    ("followup", "Follow-up Report (续报)"),
    ("monthly", "Month-end Summary (月末汇总)"),
]
# An immediate report is written within this many hours of the event (篇8:
# 第一时间立即上报).
WRITTEN_WITHIN_HOURS = 2


class XinfangInfoReport(models.Model):
    _name = "xinfang.info.report"
    _description = "Petition Information Report"
    _inherit = [
        "xinfang.guard.mixin",
        "xinfang.numbered.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _xinfang_sequence_code = "xinfang.info.report"
    _order = "event_time desc, id desc"
    _check_company_auto = True
    _xinfang_step_fields = frozenset(
        {
            "name",
            "state",
            "zero_report",
            "submitted_uid",
            "approved_uid",
            "approved_date",
            "reminded",
        }
    )

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(INFO_KINDS, required=True, default="immediate", index=True)
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    subject = fields.Char(required=True, tracking=True, help="What happened.")
    event_time = fields.Datetime(
        string="When", required=True, default=fields.Datetime.now, index=True
    )
    place = fields.Char(string="Where")
    people_count = fields.Integer(string="How Many People")
    cause = fields.Text(help="起因: why the people came.")
    situation = fields.Text(help="简要情况: what they ask and what happened.")
    trend = fields.Text(help="发展方向: how it may develop.")
    measures = fields.Text(help="处置措施: what was done and will be done.")
    phone_report_time = fields.Datetime(
        string="Reported by Phone At",
        tracking=True,
        help="篇8 §四: a major event is reported by phone at once, then in writing.",
    )
    phone_report_to = fields.Char(string="Reported by Phone To", tracking=True)
    visit_id = fields.Many2one(
        "xinfang.visit", index="btree_not_null", ondelete="restrict", tracking=True
    )
    petition_id = fields.Many2one(
        "xinfang.petition", index="btree_not_null", ondelete="restrict", tracking=True
    )
    parent_id = fields.Many2one(
        "xinfang.info.report",
        string="Immediate Report",
        index="btree_not_null",
        ondelete="restrict",
        domain="[('kind', '=', 'immediate')]",
        help="The immediate report a follow-up continues.",
    )
    confidential = fields.Boolean(
        compute="_compute_confidential",
        store=True,
        help="About a confidential visit or item: discipline and the office "
        "manager only.",
    )
    month = fields.Date(help="First day of the month a summary covers.")
    zero_report = fields.Boolean(
        readonly=True, help="零报告: nothing to report in the month."
    )
    submitted_uid = fields.Many2one("res.users", string="Submitted By", readonly=True)
    approved_uid = fields.Many2one("res.users", string="Approved By", readonly=True)
    approved_date = fields.Datetime(string="Approved On", readonly=True)
    reminded = fields.Boolean(readonly=True, copy=False)

    @api.depends("visit_id.confidential", "petition_id.confidential")
    def _compute_confidential(self):
        for report in self:
            report.confidential = bool(
                report.sudo().visit_id.confidential
                or report.sudo().petition_id.confidential
            )

    def _xinfang_create_defaults(self):
        return {"name": "/", "state": "draft"}

    @api.constrains("kind", "parent_id", "month", "people_count")
    def _check_kind(self):
        for report in self:
            if report.kind == "followup" and not report.parent_id:
                raise UserError(
                    self.env._("A follow-up report continues an immediate report.")
                )
            if report.kind == "monthly" and (not report.month or report.month.day != 1):
                raise UserError(
                    self.env._("A month-end summary covers a month: its first day.")
                )
            if report.people_count < 0:
                raise UserError(self.env._("The number of people cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        self._xinfang_check_create_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        self._xinfang_check_step_fields(vals)
        if not self._xinfang_trusted() and any(r.state == "approved" for r in self):
            raise UserError(
                self.env._("An approved report is not changed: write a follow-up.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def action_submit(self):
        if not self.env.user.has_group(OFFICER):
            raise UserError(
                self.env._("The petition office writes information reports.")
            )
        self.check_access("write")
        for report in self:
            if report.state != "draft":
                raise UserError(self.env._("%s was already submitted.", report.name))
            if report.kind != "monthly" and not (report.situation and report.measures):
                raise UserError(
                    self.env._(
                        "%s: say what happened and what was done before submitting.",
                        report.name,
                    )
                )
        self._xinfang_steps().write(
            {"state": "submitted", "submitted_uid": self.env.uid}
        )
        return True

    def action_approve(self):
        if not self.env.user.has_group(MANAGER):
            raise UserError(
                self.env._("The office manager approves information reports.")
            )
        self.check_access("write")
        for report in self:
            if report.state != "submitted":
                raise UserError(self.env._("%s is not awaiting approval.", report.name))
        self._xinfang_steps().write(
            {
                "state": "approved",
                "approved_uid": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    def action_followup(self):
        """A follow-up report of this immediate report."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "context": {
                "default_kind": "followup",
                "default_parent_id": self.id,
                "default_subject": self.subject,
                "default_visit_id": self.visit_id.id,
                "default_petition_id": self.petition_id.id,
                "default_place": self.place,
                "default_people_count": self.people_count,
            },
        }

    # ------------------------------------------------------------------
    # Proposed by the early warning; watched by the cron
    # ------------------------------------------------------------------

    @api.model
    def _propose_for_visits(self, visits, kinds):
        """Draft the immediate report of each alarming visit (once)."""
        done = self.sudo().search([("visit_id", "in", visits.ids)]).visit_id
        return (
            self.sudo()
            ._xinfang_steps()
            .create(
                [
                    {
                        "company_id": visit.company_id.id,
                        "kind": "immediate",
                        "subject": self.env._(
                            "%(kinds)s visit: %(subject)s",
                            kinds=kinds[visit],
                            subject=visit.subject,
                        ),
                        "event_time": fields.Datetime.now(),
                        "place": visit.company_id.name,
                        "people_count": visit.people_count,
                        "visit_id": visit.id,
                    }
                    for visit in visits - done
                ]
            )
        )

    @api.model
    def _cron_info_reports(self):
        """Remind the office managers of an immediate report still a draft
        two hours after the event; draft last month's summary on the 1st
        (a zero report when nothing was reported). Twice adds nothing."""
        cron_days = self.env["res.company"]._xinfang_cron_days("_cron_info_reports")
        if not cron_days:
            return self.browse(), self.browse()
        now = fields.Datetime.now()
        late = self.search(
            [
                ("kind", "=", "immediate"),
                ("state", "=", "draft"),
                ("reminded", "=", False),
                ("event_time", "<=", now - timedelta(hours=WRITTEN_WITHIN_HOURS)),
            ]
        )
        for report in late:
            for user in report.company_id._xinfang_users(MANAGER):
                report.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    date_deadline=report.company_id._xinfang_today(),
                    summary=self.env._(
                        "Immediate report %s not written after two hours",
                        report.name,
                    ),
                )
        late._xinfang_steps().write({"reminded": True})
        summaries = self.browse()
        for company, today in cron_days:
            if not company.xinfang_setup_done:
                continue
            month = today.replace(day=1) - relativedelta(months=1)
            if self.search_count(
                [
                    ("company_id", "=", company.id),
                    ("kind", "=", "monthly"),
                    ("month", "=", month),
                ]
            ):
                continue
            summaries |= self._draft_summary(company, month)
        self.env["ir.cron"]._notify_progress(
            done=len(late) + len(summaries), remaining=0
        )
        return late, summaries

    @api.model
    def _draft_summary(self, company, month):
        end = month + relativedelta(months=1)
        events = self.search(
            [
                ("company_id", "=", company.id),
                ("kind", "=", "immediate"),
                # The company's month, not UTC's.
                ("event_time", ">=", company._xinfang_day_start(month)),
                ("event_time", "<", company._xinfang_day_start(end)),
            ]
        )
        env = self.with_context(lang=company._xinfang_lang()).env
        if events:
            situation = env._(
                "%(count)s event(s) reported at once in the month: %(events)s.",
                count=len(events),
                events=list_separator(env).join(events.mapped("subject")),
            )
        else:
            situation = env._(
                "Zero report: no collective, cross-level or abnormal visit or "
                "petition in the month."
            )
        return self._xinfang_steps().create(
            {
                "company_id": company.id,
                "kind": "monthly",
                "month": month,
                "subject": env._(
                    "Month-end summary %(month)s",
                    month=env["xinfang.workbook"]._period_name(
                        month, end - timedelta(days=1)
                    ),
                ),
                "event_time": fields.Datetime.now(),
                "situation": situation,
                "zero_report": not events,
            }
        )


class ReportInfoReport(models.AbstractModel):
    _name = "report.xinfang_module.report_info_report"
    _description = "Information Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["xinfang.info.report"].browse(docids)
        # The record rules as the real user, whoever renders.
        check_read_as_user(docs)
        return {"doc_ids": docids, "doc_model": docs._name, "docs": docs}
