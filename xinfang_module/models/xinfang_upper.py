"""Items from upper-level bodies (上级交办/转送) and the report back to them
(初报、续报、报结; issue 15, item 3; 篇1-3 §四3-4, 篇6 §三3, 篇8 §六(二)).

An item transferred by 市信访局, 卫健委 or a 12345/12320 hotline carries the
source body, its reference number, the transfer date and the date by which
the body expects the result (its own limit, in calendar or working days).
An assigned item (交办) is owed a report back: any number of 初报 and 续报,
then one 报结 with the investigation report, the conclusion and both parties'
opinions attached. A forwarded item (转送) is for information: nothing owed.
The deadline watch reminds the office before the due-back date and tells it
after (xinfang.supervision, kinds "report_back_*")."""

import os
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError

from .tools import check_read_as_user, date_text, flag_domain, list_separator
from .xinfang_guard import _named_ids, check_attachments_readable
from .xinfang_petition import DISCIPLINE, DONE_STATES, LEADER, MANAGER, OFFICER

SOURCE_KINDS = [
    ("assigned", "Assigned, report back (交办)"),
    ("forwarded", "Forwarded, for information (转送)"),
]
REPORT_BACK_KINDS = [
    ("initial", "Initial Report (初报)"),
    ("followup", "Follow-up Report (续报)"),
    ("final", "Final Report (报结)"),
]
REPORT_BACK_STATUSES = [
    ("none", "Not Owed"),
    ("due", "Owed"),
    ("initial", "Initial Report Sent"),
    ("followup", "Follow-up Report Sent"),
    ("done", "Reported Back (已报结)"),
]
# The files a 报结 carries (篇1-3 §四4: 调查报告、处理结论、双方意见).
FINAL_ATTACHMENTS = (
    "investigation_attachment_ids",
    "conclusion_attachment_ids",
    "opinion_attachment_ids",
)


class XinfangSourceBody(models.Model):
    """来文机关: an upper-level body that transfers items to the office."""

    _name = "xinfang.source.body"
    _description = "Upper-level Source Body"
    _order = "sequence, id"
    _check_company_auto = True

    # A proper name: 市信访局 in every language.
    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Empty: offered to every company.",
    )
    default_kind = fields.Selection(
        SOURCE_KINDS,
        required=True,
        default="assigned",
        help="Whether this body's items usually want a report back.",
    )
    due_back_days = fields.Integer(
        string="Due-back Limit (days)",
        default=30,
        help="The result is reported back within this many days of the "
        "transfer date; 0: the body sets it on each item.",
    )
    due_back_working = fields.Boolean(
        string="Due-back Limit in Working Days",
        help="Count the limit in the company's working days (holidays skipped).",
    )

    _sql_constraints = [
        (
            "due_back_days_positive",
            "CHECK(due_back_days >= 0)",
            "A due-back limit cannot be negative.",
        )
    ]

    def _due_back_date(self, company, start):
        """The due-back date of an item this body transferred on ``start``."""
        self.ensure_one()
        if not start or not self.due_back_days:
            return False
        calendar = company.resource_calendar_id
        if self.due_back_working and calendar:
            return calendar._xinfang_add_working_days(start, self.due_back_days)
        return start + timedelta(days=self.due_back_days)


class XinfangReportBack(models.Model):
    """One report back to the source body: 初报, 续报 or 报结. Written by the
    office as a draft, then sent: a sent report is never changed."""

    _name = "xinfang.report.back"
    _description = "Report Back to the Source Body"
    _inherit = ["xinfang.guard.mixin", "mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _xinfang_step_fields = frozenset(
        {"state", "date", "approver_id", "approved_date", "sent_uid", "sent_date"}
    )

    petition_id = fields.Many2one(
        "xinfang.petition", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        related="petition_id.company_id", store=True, index=True
    )
    confidential = fields.Boolean(related="petition_id.confidential", store=True)
    source_body_id = fields.Many2one(related="petition_id.source_body_id")
    kind = fields.Selection(REPORT_BACK_KINDS, required=True, default="initial")
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="The day it is sent (set when sent).",
    )
    content = fields.Text(
        string="Report Content",
        required=True,
        help="What was done and found, the conclusion and what happens next.",
    )
    investigation_attachment_ids = fields.Many2many(
        "ir.attachment",
        "xinfang_report_back_investigation_rel",
        string="Investigation Report (调查报告)",
    )
    conclusion_attachment_ids = fields.Many2many(
        "ir.attachment",
        "xinfang_report_back_conclusion_rel",
        string="Conclusion (处理结论)",
    )
    opinion_attachment_ids = fields.Many2many(
        "ir.attachment",
        "xinfang_report_back_opinion_rel",
        string="Both Parties' Opinions (双方意见)",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Signed Off"), ("sent", "Reported")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    approver_id = fields.Many2one(
        "res.users",
        string="Approved By",
        readonly=True,
        help="篇3: a final report (报结) goes up only signed by a leader.",
    )
    approved_date = fields.Datetime(string="Approved On", readonly=True)
    sent_uid = fields.Many2one("res.users", string="Sent By", readonly=True)
    sent_date = fields.Datetime(string="Sent On", readonly=True)

    @api.depends("kind", "petition_id.name")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for report in self:
            report.display_name = (
                f"{report.petition_id.name or ''} {kinds.get(report.kind, '')}"
            )

    def _xinfang_create_defaults(self):
        return {"state": "draft"}

    def _check_files(self, vals_list):
        """Only files the writer may open are attached (not another item's
        original through its id)."""
        if self.env.su:
            return
        ids = [
            attachment_id
            for vals in vals_list
            for fname in FINAL_ATTACHMENTS
            for attachment_id in _named_ids(self._fields[fname], vals.get(fname))
        ]
        if ids:
            check_attachments_readable(self.env, ids)

    @api.model_create_multi
    def create(self, vals_list):
        self._xinfang_check_create_vals(vals_list)
        self._check_files(vals_list)
        records = super().create(vals_list)
        records._check_reportable()
        records._adopt_files()
        return records

    def write(self, vals):
        self.check_access("write")
        self._xinfang_check_step_fields(vals)
        self._check_files([vals])
        if not self._xinfang_trusted() and any(r.state != "draft" for r in self):
            raise UserError(
                self.env._(
                    "A report approved or sent to the source body is not changed."
                )
            )
        result = super().write(vals)
        if "petition_id" in vals or "kind" in vals:
            self._check_reportable()
        if set(FINAL_ATTACHMENTS) & set(vals):
            self._adopt_files()
        return result

    def _adopt_files(self):
        """Files linked without a record (uploaded apart) become the
        report's: the report's files are then evidence, never replaced or
        deleted (mail_evidence)."""
        for report in self:
            files = (
                report.investigation_attachment_ids
                | report.conclusion_attachment_ids
                | report.opinion_attachment_ids
            )
            files.sudo().filtered(lambda a: not a.res_model or not a.res_id).write(
                {"res_model": self._name, "res_id": report.id}
            )

    def _check_reportable(self):
        for report in self:
            petition = report.petition_id
            if petition.source_kind != "assigned":
                raise UserError(
                    self.env._(
                        "%s was not assigned by an upper-level body: nothing is "
                        "reported back.",
                        petition.name,
                    )
                )

    def _check_final_files(self):
        """A 报结 reports a result: of an item closed (or decided at
        acceptance), with its three files."""
        for report in self.filtered(lambda r: r.kind == "final"):
            if report.petition_id.state not in DONE_STATES:
                raise UserError(
                    self.env._(
                        "%s is not closed yet: send a follow-up report (续报) "
                        "instead of the final one.",
                        report.petition_id.name,
                    )
                )
            missing = [
                report._fields[fname].get_description(self.env)["string"]
                for fname in FINAL_ATTACHMENTS
                if not report[fname]
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "A final report (报结) carries %(files)s: attach them first.",
                        files=list_separator(self.env).join(missing),
                    )
                )

    def action_approve(self):
        """A leader signs the final report (报结) off before it goes up."""
        if not self.env.user.has_group(LEADER):
            raise UserError(self.env._("A leader approves a final report (报结)."))
        self.check_access("read")
        for report in self:
            if report.create_uid == self.env.user:
                raise UserError(
                    self.env._(
                        "%s: the leader who signs a final report off is not the "
                        "one who wrote it.",
                        report.display_name,
                    )
                )
            if report.state != "draft" or report.kind != "final":
                raise UserError(
                    self.env._(
                        "%s is not a final report awaiting approval.",
                        report.display_name,
                    )
                )
        self._check_final_files()
        self._xinfang_steps().sudo().write(
            {
                "state": "approved",
                "approver_id": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        for report in self:
            report.petition_id.sudo()._log(
                self.env._("Final report (报结) approved by %s.", self.env.user.name)
            )
        return True

    def action_send(self):
        """Send the report: the content is final; a 报结 needs its three
        files and a leader's approval; after a 报结 nothing more is sent."""
        if not self.env.user.has_group(OFFICER):
            raise UserError(
                self.env._("Only the petition office reports back to the source body.")
            )
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for report in self:
            if report.state == "sent":
                raise UserError(self.env._("%s was already sent.", report.display_name))
            if report.kind == "final" and report.state != "approved":
                raise UserError(
                    self.env._(
                        "%s: a leader approves a final report (报结) before it is "
                        "sent.",
                        report.display_name,
                    )
                )
            if report.petition_id.report_back_status == "done":
                raise UserError(
                    self.env._(
                        "%s was already reported back (报结).", report.petition_id.name
                    )
                )
        self._check_final_files()
        now = fields.Datetime.now()
        # Dated the day it goes: a report is never backdated.
        self._xinfang_steps().write(
            {
                "state": "sent",
                "sent_uid": self.env.uid,
                "sent_date": now,
                "date": fields.Date.context_today(self),
            }
        )
        for report in self:
            report.petition_id.sudo()._log(
                self.env._(
                    "%(kind)s sent to %(body)s on %(date)s.",
                    kind=kinds[report.kind],
                    body=report.source_body_id.name or "",
                    date=report.date,
                )
            )
        return True


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    source_body_id = fields.Many2one(
        "xinfang.source.body",
        string="Source Body (来文机关)",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="The upper-level body that transferred this item.",
    )
    source_kind = fields.Selection(
        SOURCE_KINDS,
        string="Transfer Kind",
        tracking=True,
        help="交办: the body expects a report back by the due-back date. "
        "转送: for information.",
    )
    source_ref = fields.Char(
        string="Source Reference (来文编号)",
        tracking=True,
        help="The body's own number of the transfer, quoted in every report back.",
    )
    source_date = fields.Date(string="Transferred On", tracking=True)
    source_due_date = fields.Date(
        string="Report Back By",
        tracking=True,
        index="btree_not_null",
        help="Proposed from the body's limit; the office sets the body's own "
        "date when its letter names one.",
    )
    report_back_ids = fields.One2many(
        "xinfang.report.back",
        "petition_id",
        string="Reports Back",
        groups=f"{OFFICER},{LEADER},{DISCIPLINE}",
    )
    report_back_status = fields.Selection(
        REPORT_BACK_STATUSES,
        compute="_compute_report_back_status",
        store=True,
        index=True,
        string="Report Back",
    )
    key_case = fields.Boolean(
        compute="_compute_key_case",
        search="_search_key_case",
        string="Key Case (包案)",
        help="篇8 §七1: an item assigned by an upper-level body is a key case "
        "a leader owns (包案), when the settings say so.",
    )

    @api.depends("source_kind", "report_back_ids.state", "report_back_ids.kind")
    def _compute_report_back_status(self):
        order = {"initial": 1, "followup": 2, "final": 3}
        status = {0: "due", 1: "initial", 2: "followup", 3: "done"}
        for petition in self:
            if petition.source_kind != "assigned":
                petition.report_back_status = "none"
                continue
            sent = petition.sudo().report_back_ids.filtered(lambda r: r.state == "sent")
            petition.report_back_status = status[
                max((order[r.kind] for r in sent), default=0)
            ]

    @api.depends("source_kind", "company_id.xinfang_upper_key_cases")
    def _compute_key_case(self):
        for petition in self:
            petition.key_case = (
                petition.source_kind == "assigned"
                and petition.company_id.xinfang_upper_key_cases
            )

    def _search_key_case(self, operator, value):
        return flag_domain(
            operator,
            value,
            [
                ("source_kind", "=", "assigned"),
                ("company_id.xinfang_upper_key_cases", "=", True),
            ],
        )

    @api.onchange("source_body_id")
    def _onchange_source_body_id(self):
        if self.source_body_id and not self.source_kind:
            self.source_kind = self.source_body_id.default_kind
        self._onchange_source_date()

    @api.onchange("source_date")
    def _onchange_source_date(self):
        if not self.source_body_id:
            return
        due = self.source_body_id._due_back_date(self.company_id, self.source_date)
        if due:
            self.source_due_date = due

    @api.model_create_multi
    def create(self, vals_list):
        self._xinfang_propose_due_back(vals_list)
        return super().create(vals_list)

    @api.model
    def _xinfang_propose_due_back(self, vals_list):
        """A new item from a body gets the body's kind and due-back date
        when it does not name its own (JSON-RPC and imports too)."""
        bodies = self.env["xinfang.source.body"].browse(
            {vals["source_body_id"] for vals in vals_list if vals.get("source_body_id")}
        )
        for vals in vals_list:
            body = bodies.browse(vals.get("source_body_id"))
            if not body:
                continue
            vals.setdefault("source_kind", body.default_kind)
            if not vals.get("source_due_date") and vals.get("source_date"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["source_due_date"] = body._due_back_date(
                    company, fields.Date.to_date(vals["source_date"])
                )

    @api.constrains("source_kind", "source_body_id", "source_date", "source_due_date")
    def _check_source(self):
        for petition in self:
            if petition.source_kind and not petition.source_body_id:
                raise UserError(
                    self.env._(
                        "%s: name the upper-level body that transferred it.",
                        petition.name,
                    )
                )
            if (
                petition.source_date
                and petition.source_due_date
                and petition.source_due_date < petition.source_date
            ):
                raise UserError(
                    self.env._(
                        "%s: the report-back date is before the transfer date.",
                        petition.name,
                    )
                )
            if petition.source_kind == "assigned" and not petition.source_due_date:
                raise UserError(
                    self.env._(
                        "%s: an item assigned by an upper-level body needs the "
                        "date by which to report back.",
                        petition.name,
                    )
                )

    def action_view_report_backs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_report_back_action"
        )
        action["domain"] = [("petition_id", "=", self.id)]
        action["context"] = {"default_petition_id": self.id}
        return action

    def action_new_report_back(self):
        """The next report: 初报 first, then 续报; 报结 when the item is closed."""
        self.ensure_one()
        if not self.env.user.has_group(OFFICER) and not self.env.user.has_group(
            MANAGER
        ):
            raise UserError(
                self.env._("Only the petition office reports back to the source body.")
            )
        if self.state in DONE_STATES:
            kind = "final"
        elif self.report_back_status in ("initial", "followup"):
            kind = "followup"
        else:
            kind = "initial"
        return {
            "type": "ir.actions.act_window",
            "res_model": "xinfang.report.back",
            "view_mode": "form",
            "target": "current",
            "context": {"default_petition_id": self.id, "default_kind": kind},
        }


class ReportReportBack(models.AbstractModel):
    """The report-back letter (办理情况报告) to the source body, in the notice
    format (report_petition_frame)."""

    _name = "report.xinfang_module.report_report_back"
    _description = "Report Back Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["xinfang.report.back"].browse(docids)
        # The report routes do not check the report's groups, and a mail
        # composer renders as superuser: the real user is checked.
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(OFFICER):
            raise AccessError(
                self.env._("Only the petition office reports back to the source body.")
            )
        check_read_as_user(docs)
        return {
            "doc_ids": docids,
            "doc_model": docs._name,
            "docs": docs,
            "documents": {},
            "texts": {report: self._texts(report) for report in docs},
        }

    @api.model
    def _texts(self, report):
        petition = report.petition_id
        kinds = dict(report._fields["kind"]._description_selection(self.env))
        body = [
            self.env._(
                "On %(date)s you transferred to us the petition "
                "\u201c%(subject)s\u201d (your reference %(ref)s, our number "
                "%(number)s). We report on its handling as follows.",
                date=date_text(self.env, petition.source_date),
                subject=petition.subject,
                ref=petition.source_ref or "—",
                number=petition.name,
            ),
            *(report.content or "").splitlines(),
        ]
        files = report.investigation_attachment_ids | (
            report.conclusion_attachment_ids | report.opinion_attachment_ids
        )
        if files:
            body.append(
                self.env._(
                    "Attachments: %(files)s",
                    files=list_separator(self.env).join(
                        f"{index}. {os.path.splitext(name)[0]}"
                        for index, name in enumerate(files.mapped("name"), 1)
                    ),
                )
            )
        texts = self.env["report.xinfang_module.document_base"]._frame_texts(
            petition, report.date, to_petitioner=False
        )
        texts.update(
            title=self.env._(
                "Report on the Handling of a Petition (%(kind)s)",
                kind=kinds[report.kind],
            ),
            addressee=self.env._("%(name)s:", name=report.source_body_id.name or ""),
            body=[line for line in body if line.strip()],
        )
        return texts
