import ast
import logging
from datetime import datetime, time, timedelta

import pytz
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .tools import FILE_TYPES
from .xinfang_guard import MANAGER

_logger = logging.getLogger(__name__)

# The first key of the scheduled actions' advisory locks ("XF" in ASCII).
CRON_LOCK_SPACE = 0x5846


def alias_company_id(alias):
    """The company an alias's default values give its records, or None."""
    try:
        return dict(ast.literal_eval(alias.alias_defaults or "{}")).get("company_id")
    except (ValueError, SyntaxError, TypeError):
        return None


# Every legal limit: (field prefix, legal default in days, counted in working days).
DEADLINE_LIMITS = {
    "acceptance": (15, False),  # B1: decide acceptance within 15 days
    "handling": (60, False),  # C1: handle within 60 days of acceptance
    "extension_max": (30, False),  # C1: extensions add at most 30 days in total
    "instruction": (2, True),  # B2: processing slip answered by the leader
    "routing": (2, True),  # B2: leader-instructed items reach the unit
    "return_window": (5, True),  # B3: a department may return an assignment
    "review_request": (30, False),  # C5: 复查/复核 requested within 30 days
    "review_decision": (30, False),  # C5: and decided within 30 days
    "due_soon": (3, False),  # D1: 催办预告 3 days before a deadline
    "filing": (30, False),  # G2: closed items filed within 30 days
}


class ResCompany(models.Model):
    _inherit = "res.company"

    xinfang_legal_basis = fields.Char(
        string="Legal Basis of the Notices",
        default="《信访工作条例》",
        help="Printed on every notice: 'issued under …'. Name the articles "
        "your office applies, e.g. 《信访工作条例》第二十二条.",
    )
    xinfang_contact_name = fields.Char(
        string="Notice Contact Person",
        help="联系人 printed at the foot of every notice.",
    )
    xinfang_contact_phone = fields.Char(
        string="Notice Contact Phone",
        help="联系电话 printed at the foot of every notice.",
    )
    xinfang_review_body = fields.Char(
        string="Review Body (复查机关)",
        help="Named in the reply letter's statement of rights: the body a "
        "petitioner who disagrees asks for a review, e.g. 市卫生健康委员会. "
        "Empty: 'the administrative body above the one that handled it'.",
    )
    xinfang_upper_key_cases = fields.Boolean(
        string="Upper-level Items Are Key Cases",
        help="篇8 §七1: an item assigned by an upper-level body (交办) is a "
        "key case for a leader to own (包案).",
    )
    xinfang_collective_threshold = fields.Integer(
        string="Collective Petition Threshold",
        default=5,
        help="A petition brought by at least this many people is collective "
        "(集体访). The 2022 regulation says 5; some rule sets say 3.",
    )
    xinfang_repeat_window_days = fields.Integer(
        string="Repeat Detection Window (days)",
        default=90,
        help="On registration, items of the same petitioner registered within "
        "this many days, or still open, are shown as possible repeats.",
    )
    xinfang_repeat_similarity = fields.Integer(
        string="Repeat Subject Similarity (%)",
        default=50,
        help="How alike two subjects must be (0-100) for an item to be shown "
        "as a possible repeat.",
    )
    xinfang_notice_interval_days = fields.Integer(
        string="Notice Interval (days)",
        default=7,
        help="D1: an overdue item gets a new supervision notice this often.",
    )
    xinfang_escalation_notices = fields.Integer(
        string="Escalate after Notices",
        default=2,
        help="D1: escalate an item after this many supervision notices.",
    )
    xinfang_escalation_sendbacks = fields.Integer(
        string="Escalate after Send-backs",
        default=2,
        help="D1: escalate an item after this many send-backs of its reply.",
    )
    xinfang_discipline_department_id = fields.Many2one(
        "hr.department",
        string="Discipline Department",
        help="Confidential items (检举控告) are routed to this department only.",
    )
    xinfang_hr_department_id = fields.Many2one(
        "hr.department",
        string="Personnel Department",
        help="Personnel matters are routed to this department within the "
        "routing limit.",
    )
    xinfang_acceptance_days = fields.Integer(
        string="Acceptance Decision (days)",
        default=DEADLINE_LIMITS["acceptance"][0],
        help="B1: decide acceptance within this many days of registration.",
    )
    xinfang_acceptance_working = fields.Boolean(
        string="Acceptance Decision in Working Days",
        default=DEADLINE_LIMITS["acceptance"][1],
    )
    xinfang_handling_days = fields.Integer(
        string="Handling (days)",
        default=DEADLINE_LIMITS["handling"][0],
        help="C1: handle and reply within this many days of acceptance.",
    )
    xinfang_handling_working = fields.Boolean(
        string="Handling in Working Days",
        default=DEADLINE_LIMITS["handling"][1],
    )
    xinfang_filing_days = fields.Integer(
        string="Filing (days)",
        default=DEADLINE_LIMITS["filing"][0],
        help="G2: file a closed item in its volume within this many days of "
        "its closure (篇1-3 §十: 30 days).",
    )
    xinfang_filing_working = fields.Boolean(
        string="Filing in Working Days",
        default=DEADLINE_LIMITS["filing"][1],
    )
    xinfang_destruction_leader = fields.Boolean(
        string="Destruction Approved by a Leader",
        default=True,
        help="A destruction list is approved by the office manager and then "
        "by a leader (another person).",
    )
    xinfang_repeat_keep_years = fields.Integer(
        string="Repeat Letters Kept (years)",
        default=3,
        help="A5: a filed repeat letter (重复信访件) is kept this many full years "
        "after the year of its closure, then listed for destruction (0: kept "
        "with its volume).",
    )
    xinfang_extension_max_days = fields.Integer(
        string="Maximum Extension (days)",
        default=DEADLINE_LIMITS["extension_max"][0],
        help="C1: approved extensions add at most this many days in total.",
    )
    xinfang_extension_max_working = fields.Boolean(
        string="Maximum Extension in Working Days",
        default=DEADLINE_LIMITS["extension_max"][1],
        help="Approved extensions move the handling deadline by working days.",
    )
    xinfang_instruction_days = fields.Integer(
        string="Leader Instruction (days)",
        default=DEADLINE_LIMITS["instruction"][0],
        help="B2: the leader answers a processing slip within this many days.",
    )
    xinfang_instruction_working = fields.Boolean(
        string="Leader Instruction in Working Days",
        default=DEADLINE_LIMITS["instruction"][1],
    )
    xinfang_routing_days = fields.Integer(
        string="Routing after Instruction (days)",
        default=DEADLINE_LIMITS["routing"][0],
        help="B2: a leader-instructed item reaches the handling department "
        "within this many days.",
    )
    xinfang_routing_working = fields.Boolean(
        string="Routing after Instruction in Working Days",
        default=DEADLINE_LIMITS["routing"][1],
    )
    xinfang_return_window_days = fields.Integer(
        string="Return Window (days)",
        default=DEADLINE_LIMITS["return_window"][0],
        help="B3: a department may return an assignment within this many days.",
    )
    xinfang_return_window_working = fields.Boolean(
        string="Return Window in Working Days",
        default=DEADLINE_LIMITS["return_window"][1],
    )
    xinfang_review_request_days = fields.Integer(
        string="Review Request Window (days)",
        default=DEADLINE_LIMITS["review_request"][0],
        help="C5: a 复查/复核 request must come within this many days of the reply.",
    )
    xinfang_review_request_working = fields.Boolean(
        string="Review Request Window in Working Days",
        default=DEADLINE_LIMITS["review_request"][1],
    )
    xinfang_review_decision_days = fields.Integer(
        string="Review Decision (days)",
        default=DEADLINE_LIMITS["review_decision"][0],
        help="C5: a 复查/复核 request is decided within this many days.",
    )
    xinfang_review_decision_working = fields.Boolean(
        string="Review Decision in Working Days",
        default=DEADLINE_LIMITS["review_decision"][1],
    )
    xinfang_due_soon_days = fields.Integer(
        string="Reminder Before Deadline (days)",
        default=DEADLINE_LIMITS["due_soon"][0],
        help="D1: an item is due soon this many days before its deadline.",
    )
    xinfang_due_soon_working = fields.Boolean(
        string="Reminder Before Deadline in Working Days",
        default=DEADLINE_LIMITS["due_soon"][1],
        help="The reminder window before a deadline counts working days.",
    )

    # --- Callbacks (回访, F1-F4) -------------------------------------------
    xinfang_callback_rate = fields.Integer(
        string="Callback Sampling Rate (%)",
        default=20,
        help="F3: share of the items in scope closed each month that are "
        "called back (篇3: 10-20 %; 篇7: at least 20 %).",
    )
    xinfang_callback_base = fields.Selection(
        [("close", "Closure"), ("reply", "Written Reply")],
        string="Callback Counted From",
        default="close",
        required=True,
        help="F2: the day the callback delay is counted from (篇5: the handling "
        "opinion; 篇7: the written reply).",
    )
    xinfang_callback_days = fields.Integer(
        string="Callback Delay (days)",
        default=7,
        help="F2: a callback is planned this many days after closure or reply.",
    )
    xinfang_callback_major_days = fields.Integer(
        string="Callback Delay for Major Cases (days)",
        default=5,
        help="F2: delay for urgent and leader-owned (包案) items (篇7: 5 days).",
    )
    xinfang_callback_limit_days = fields.Integer(
        string="Callback Limit (days)",
        default=90,
        help="F2: a callback is done at the latest this many days after closure "
        "(篇8: within 3 months).",
    )
    xinfang_callback_min_officers = fields.Integer(
        string="Officers for In-person Callbacks",
        default=2,
        help="F4: an in-person callback is made by at least this many officers.",
    )
    xinfang_callback_scope_signed = fields.Boolean(
        string="Call Back Signed Items",
        default=True,
        help="F1: every signed item is in scope.",
    )
    xinfang_callback_scope_anonymous = fields.Boolean(
        string="Call Back High-impact Anonymous Items",
        default=True,
        help="F1: anonymous items marked high impact whose writer is known are "
        "in scope.",
    )
    xinfang_callback_scope_key = fields.Boolean(
        string="Always Call Back Key Cases",
        default=True,
        help="F1: every leader-owned (包案) item is called back, whatever the "
        "sampling rate.",
    )
    xinfang_callback_quotas = fields.Boolean(
        string="Callback Quotas per Role",
        help="F3 (篇9): the office manager, the leaders and the heads of the "
        "handling departments each call back a share of the month's items.",
    )
    xinfang_callback_quota_manager = fields.Integer(
        string="Office Manager Quota (%)", default=10
    )
    xinfang_callback_quota_leader = fields.Integer(
        string="Leader Quota (%)", default=30
    )
    xinfang_callback_quota_department = fields.Integer(
        string="Department Head Quota (%)", default=60
    )
    xinfang_rectification_days = fields.Integer(
        string="Rectification Limit (days)",
        default=7,
        help="F6: a department answers a rectification notice within this many "
        "days.",
    )

    # --- E-mail gateway (issue 16) -----------------------------------------
    xinfang_alias_id = fields.Many2one(
        "mail.alias",
        string="Petition Alias",
        copy=False,
        ondelete="set null",
        readonly=True,
    )
    xinfang_alias_name = fields.Char(
        string="Petition E-mail Alias",
        compute="_compute_xinfang_alias_name",
        inverse="_inverse_xinfang_alias_name",
        help="An e-mail to this address (at the company's alias domain) becomes "
        "a petition in registration, on the e-mail channel. Empty: no gateway.",
    )
    xinfang_email_acknowledge = fields.Boolean(
        string="Acknowledge E-mails",
        default=True,
        help="Answer each e-mailed petition with its number, at once (an "
        "automatic reply, which auto-responders do not answer).",
    )

    # --- Online petitions (issue 16) ---------------------------------------
    xinfang_online_enabled = fields.Boolean(
        string="Online Petitions",
        help="Petitioners submit and follow their items at /xinfang (the form) "
        "and /xinfang/query (number and query code).",
    )
    xinfang_online_max_files = fields.Integer(string="Files per Submission", default=5)
    xinfang_online_max_file_mb = fields.Integer(
        string="Size of a File (MB)", default=10
    )
    xinfang_online_file_types = fields.Char(
        string="Accepted File Types",
        default="pdf,jpg,jpeg,png,doc,docx,xls,xlsx,txt",
        help="Extensions, separated by commas, among pdf, jpg, jpeg, png, gif, "
        "doc, docx, xls, xlsx, txt. The content of each file must be of its "
        "type: a renamed program is refused.",
    )
    xinfang_online_ip_hourly = fields.Integer(
        string="Submissions per Network Address and Hour",
        default=10,
        help="Petitions accepted from one network address within an hour (0: no "
        "limit).",
    )
    xinfang_online_global_per_minute = fields.Integer(
        string="Submissions per Minute (Everybody)",
        default=60,
        help="Petitions accepted from everybody within a minute (0: no limit).",
    )
    xinfang_online_daily_cap = fields.Integer(
        string="Petitions per ID Number or Phone and Day",
        default=3,
        help="Petitions accepted online with one ID number or phone number in a "
        "day (0: no limit).",
    )
    xinfang_online_lockout_failures = fields.Integer(
        string="Wrong Number/Code Tries before a Pause",
        default=5,
        help="After this many wrong number/code pairs from one address, or for "
        "one number, queries are refused for a while (0: never).",
    )
    xinfang_online_lockout_minutes = fields.Integer(
        string="Pause of the Query Page (minutes)", default=30
    )

    # --- Visits and screening (E2-E5) -------------------------------------
    xinfang_visit_max_representatives = fields.Integer(
        string="Representatives of a Collective Visit or Joint Letter",
        default=5,
        help="E4, A4: a collective visit chooses, and a joint letter (联名) names, "
        "at most this many representatives (《信访工作条例》: 5; 篇8 §八3 asks 3 "
        "for a meeting of a joint letter's signatories).",
    )
    xinfang_screening_per_month = fields.Integer(
        string="Dispute Screenings per Month",
        default=2,
        help="E5: each department screens disputes this many times a month "
        "(1-4; 篇1-2: at least twice).",
    )
    xinfang_screening_notice_days = fields.Integer(
        string="Screening Reminder (days before)",
        default=3,
        help="E5: departments without a screening are reminded this many days "
        "before the period ends.",
    )

    # --- Limits in minutes and hours ------------------------------------
    xinfang_dispatch_minutes = fields.Integer(
        string="Dispatch Limit for Phone Items (minutes)",
        help="篇3 §一3: a hotline complaint is dispatched to a department within "
        "this many minutes of its acceptance (96310: 3). 0: no limit. Watched "
        "every minute.",
    )
    xinfang_verification_hours = fields.Integer(
        string="Verification of Dissatisfaction (hours)",
        default=24,
        help="F6: a callback rated dissatisfied is verified (the item reopened "
        "or a rectification notice issued) within this many hours.",
    )
    xinfang_accountability_month = fields.Integer(
        string="Accountability: Failures in a Month",
        help="篇3 §三2: a department with at least this many failures in a month "
        "(missed deadlines, late dispatches, verified dissatisfactions) is on "
        "the accountability list (问责名单). 0: not used.",
    )
    xinfang_accountability_year = fields.Integer(
        string="Accountability: Failures in a Year",
        help="篇3 §三2: the same over a calendar year. 0: not used.",
    )

    # --- Preset and first-run set-up --------------------------------------
    xinfang_preset_id = fields.Many2one(
        "xinfang.preset",
        string="Rule Preset",
        help="The institution's rule set last applied to these settings.",
    )
    xinfang_preset_values = fields.Json(
        copy=False,
        help="The values the preset last set: a setting that differs from them "
        "was changed by the office and is kept when the preset is applied again.",
    )
    xinfang_setup_done = fields.Boolean(
        string="Petition Set-up Done",
        copy=False,
        help="The office manager went through the first-run set-up.",
    )

    _sql_constraints = [
        (
            "xinfang_time_limits_positive",
            "CHECK(xinfang_dispatch_minutes >= 0 AND xinfang_verification_hours >= 0 "
            "AND xinfang_accountability_month >= 0 "
            "AND xinfang_accountability_year >= 0)",
            "Limits in minutes and hours and accountability thresholds cannot be "
            "negative.",
        ),
        (
            "xinfang_collective_threshold_positive",
            "CHECK(xinfang_collective_threshold >= 2)",
            "The collective petition threshold must be at least 2 people.",
        ),
        (
            "xinfang_filing_days_positive",
            "CHECK(xinfang_filing_days >= 0 AND xinfang_repeat_keep_years >= 0)",
            "The filing limit cannot be negative.",
        ),
        (
            "xinfang_repeat_window_days_positive",
            "CHECK(xinfang_repeat_window_days >= 0)",
            "The repeat detection window cannot be negative.",
        ),
        (
            "xinfang_repeat_similarity_range",
            "CHECK(xinfang_repeat_similarity BETWEEN 0 AND 100)",
            "The repeat subject similarity must be between 0 and 100.",
        ),
        (
            "xinfang_callback_rate_range",
            "CHECK(xinfang_callback_rate BETWEEN 0 AND 100)",
            "The callback sampling rate must be between 0 and 100 %.",
        ),
        (
            "xinfang_callback_quotas_range",
            "CHECK(xinfang_callback_quota_manager BETWEEN 0 AND 100 "
            "AND xinfang_callback_quota_leader BETWEEN 0 AND 100 "
            "AND xinfang_callback_quota_department BETWEEN 0 AND 100)",
            "Callback quotas must be between 0 and 100 %.",
        ),
        (
            "xinfang_callback_days_positive",
            "CHECK(xinfang_callback_days >= 0 AND xinfang_callback_major_days >= 0 "
            "AND xinfang_callback_limit_days >= 0 AND xinfang_rectification_days >= 0"
            " AND xinfang_callback_min_officers >= 1)",
            "Callback delays and limits cannot be negative, and a callback needs "
            "at least one officer.",
        ),
        (
            "xinfang_visit_settings_range",
            "CHECK(xinfang_visit_max_representatives >= 1 "
            "AND xinfang_screening_per_month BETWEEN 1 AND 4 "
            "AND xinfang_screening_notice_days >= 0)",
            "A collective visit has at least one representative, and departments "
            "screen disputes one to four times a month.",
        ),
    ]

    @api.constrains(
        "xinfang_online_max_files",
        "xinfang_online_max_file_mb",
        "xinfang_online_file_types",
        "xinfang_online_ip_hourly",
        "xinfang_online_global_per_minute",
        "xinfang_online_daily_cap",
        "xinfang_online_lockout_failures",
        "xinfang_online_lockout_minutes",
    )
    def _check_xinfang_online(self):
        for company in self:
            numbers = [
                company.xinfang_online_max_files,
                company.xinfang_online_max_file_mb,
                company.xinfang_online_ip_hourly,
                company.xinfang_online_global_per_minute,
                company.xinfang_online_daily_cap,
                company.xinfang_online_lockout_failures,
                company.xinfang_online_lockout_minutes,
            ]
            if any(number < 0 for number in numbers):
                raise ValidationError(
                    self.env._("The limits of online petitions cannot be negative.")
                )
            if company.xinfang_online_max_file_mb > 50:
                raise ValidationError(
                    self.env._("A file sent online is at most 50 MB.")
                )
            if company.xinfang_online_file_types and not (
                company._xinfang_online_file_types()
            ):
                raise ValidationError(
                    self.env._(
                        "None of the accepted file types is known: use pdf, jpg, "
                        "jpeg, png, gif, doc, docx, xls, xlsx or txt."
                    )
                )

    @api.constrains("xinfang_discipline_department_id", "xinfang_hr_department_id")
    def _check_xinfang_departments(self):
        for company in self:
            departments = (
                company.xinfang_discipline_department_id
                | company.xinfang_hr_department_id
            )
            if departments.company_id - company:
                raise ValidationError(
                    self.env._(
                        "The discipline and personnel departments of %s must be "
                        "its own.",
                        company.name,
                    )
                )

    def write(self, vals):
        # The alias of petitions is made and named by its name only: pointed
        # at another alias, renaming or emptying the name would take it over.
        if "xinfang_alias_id" in vals and not self.env.su:
            raise AccessError(
                self.env._("The petition alias is set by its name in the settings.")
            )
        # The petition settings are the petition office manager's, who is no
        # system administrator: they write those fields of their companies,
        # and nothing else of a company.
        if (
            vals
            and all(name.startswith("xinfang_") for name in vals)
            and not self.env.su
            and not self.env.user.has_group("base.group_system")
            and self.env.user.has_group(MANAGER)
        ):
            self._xinfang_check_office_manager(
                self.env._("The petition settings are the office manager's.")
            )
            return super(ResCompany, self.sudo()).write(vals)
        return super().write(vals)

    @api.depends("xinfang_alias_id.alias_name")
    def _compute_xinfang_alias_name(self):
        for company in self:
            company.xinfang_alias_name = company.sudo().xinfang_alias_id.alias_name

    def _inverse_xinfang_alias_name(self):
        """Make, rename or remove the company's petition alias. Only an alias
        of petitions is ever touched (never another application's)."""
        model = self.env["ir.model"]._get_id("xinfang.petition")
        for company in self.sudo():
            # Only this company's alias of petitions (never another's).
            alias = company.xinfang_alias_id.filtered(
                lambda a, model=model, company=company: a.alias_model_id.id == model
                and alias_company_id(a) == company.id
            )
            name = (company.xinfang_alias_name or "").strip()
            if not name:
                company.xinfang_alias_id = False
                alias.unlink()
                continue
            if name == company.alias_domain_id.default_from:
                raise UserError(
                    self.env._(
                        "%s is the address Odoo sends its notifications from: "
                        "choose another name.",
                        name,
                    )
                )
            if not company.alias_domain_id:
                raise UserError(
                    self.env._(
                        "%s has no alias domain: the system administrator sets "
                        "one first (Settings > General Settings > Discussion).",
                        company.name,
                    )
                )
            values = {
                "alias_name": name,
                "alias_model_id": model,
                "alias_defaults": repr({"company_id": company.id}),
                "alias_contact": "everyone",
                "alias_domain_id": company.alias_domain_id.id,
            }
            if alias:
                alias.write(values)
            else:
                company.xinfang_alias_id = self.env["mail.alias"].create(values)

    def _xinfang_check_office_manager(self, message):
        """The office manager of these companies, or a refusal saying ``message``."""
        if self.env.su:
            return
        user = self.env.user
        if not user.has_group(MANAGER) or self - user.company_ids:
            raise AccessError(message)

    @api.model
    def _xinfang_home_action(self):
        """What the 信访 app opens: the first-run set-up for an office manager
        whose company is not set up yet, else the petitions."""
        company = self.env.company
        if not company.xinfang_setup_done and self.env.user.has_group(MANAGER):
            xmlid = "xinfang_module.xinfang_setup_wizard_action"
        else:
            xmlid = "xinfang_module.xinfang_petition_action"
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)

    def action_xinfang_load_prc_holidays(self):
        """Load the PRC public holidays (global leaves) and make-up workdays
        (dated attendances) into each company's working calendar. Loading twice
        adds nothing twice."""
        # Public (a button) and run as superuser: the office manager's only.
        if not self.env.user.has_group("base.group_system"):
            self._xinfang_check_office_manager(
                self.env._("Only the petition office manager loads the holidays.")
            )
        for company in self:
            calendar = company.resource_calendar_id
            if not calendar:
                raise UserError(self.env._("%s has no working calendar.", company.name))
            calendar._xinfang_load_prc_holidays(company)
        return True

    def _xinfang_users(self, *group_xmlids):
        """Active internal users of any of the groups who work in this
        company, in a stable order: who is told, reminded or assigned."""
        self.ensure_one()
        users = self.env["res.users"]
        for xmlid in group_xmlids:
            users |= self.env.ref(xmlid).users
        return users.filtered(
            lambda u: u.active and not u.share and self in u.company_ids
        ).sorted("id")

    def init(self):
        res = super().init()
        # One row per scheduled action of the addon: the run that holds it
        # works (see _xinfang_cron_alone). Not user data: no model.
        self.env.cr.execute(
            """CREATE TABLE IF NOT EXISTS xinfang_cron_run (
                   action varchar PRIMARY KEY,
                   run_at timestamp without time zone NOT NULL)"""
        )
        return res

    @api.model
    def _xinfang_cron_days(self, action=None):
        """(company, its today) for every company: what each scheduled action
        loops over, so that "today" is the company's, whoever runs the cron.

        ``action`` names a scheduled action that must not run twice at once
        (see ``_xinfang_cron_alone``): when another run holds it, there is
        nothing to do here.
        """
        if action and not self._xinfang_cron_alone(action):
            return []
        companies = self.sudo().search([])  # pylint: disable=no-search-all
        return [(company, company._xinfang_today()) for company in companies]

    @api.model
    def _xinfang_cron_alone(self, action):
        """Whether this transaction may run the scheduled action ``action``.

        The actions create records keyed by day: two runs at once would
        select the same candidates, and one would fail on the unique key or
        create a second summary. Odoo's cron runner never starts a job
        twice, but a direct call can (a shell, a server action, a script).

        Two steps: an advisory lock, so that a run that finds another in
        progress gives up at once instead of waiting; then the action's row
        in ``xinfang_cron_run``, written. A run whose snapshot is older than
        another run's commit cannot write it (REPEATABLE READ: a
        serialization failure, caught in a savepoint and not logged as an
        error): it would not see what that run did, so it gives up too.
        A run given up from Odoo's cron runner asks to be run again in a
        minute (Odoo takes "nothing done" for "all done").
        """
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))",
                CRON_LOCK_SPACE,
                action,
            )
        )
        locked = cr.fetchone()[0]
        if locked:
            try:
                with cr.savepoint(flush=False):
                    cr.execute(
                        SQL(
                            """INSERT INTO xinfang_cron_run (action, run_at)
                               VALUES (%s, now() AT TIME ZONE 'UTC')
                               ON CONFLICT (action)
                               DO UPDATE SET run_at = EXCLUDED.run_at""",
                            action,
                        ),
                        log_exceptions=False,
                    )
                return True
            except SerializationFailure:
                _logger.info("%s: another run ended after this one began.", action)
        if not locked:
            _logger.info("%s: another run is in progress.", action)
        if cron_id := self.env.context.get("cron_id"):
            self.env["ir.cron"].sudo().browse(cron_id)._trigger(
                fields.Datetime.now() + timedelta(minutes=1)
            )
        return False

    def _xinfang_today(self):
        """Today where the company works: deadlines must not depend on the time
        zone of whoever (or whichever cron user) looks at them."""
        return self._xinfang_local_date(fields.Datetime.now())

    def _xinfang_local_date(self, moment):
        """The company's day of ``moment`` (a naive UTC datetime)."""
        self.ensure_one()
        tz = self._xinfang_tz()
        return pytz.utc.localize(moment).astimezone(pytz.timezone(tz)).date()

    def _xinfang_day_start(self, day):
        """The moment (naive UTC) the company's ``day`` begins: the bound of
        a period of its days on a Datetime field."""
        self.ensure_one()
        local = pytz.timezone(self._xinfang_tz()).localize(
            datetime.combine(day, time.min)
        )
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _xinfang_online_file_types(self):
        """The accepted extensions the addon knows how to check."""
        self.ensure_one()
        names = (self.xinfang_online_file_types or "").replace("，", ",").split(",")
        names = (name.strip().lower().lstrip(".") for name in names)
        return [name for name in names if name in FILE_TYPES]

    def _xinfang_lang(self):
        """The language the company's records are written in (notes and
        activities of the scheduled actions): its own, else the current one."""
        return self.partner_id.lang or self.env.lang

    def _xinfang_tz(self):
        """The time zone the company works in."""
        return self.resource_calendar_id.tz or self.partner_id.tz or "Asia/Shanghai"

    def _xinfang_limit(self, key, days=None):
        """(days, working) of a limit, ``days`` overriding the company's."""
        self.ensure_one()
        return (
            days or self[f"xinfang_{key}_days"],
            self[f"xinfang_{key}_working"],
        )

    def _xinfang_add_days(self, start, key, days=None, cache=None):
        """The last day of the limit ``key`` counted from the day after ``start``.

        Working days follow the company's working calendar: its public holidays
        (global leaves) are skipped and its dated attendances (调休 make-up
        workdays, e.g. a Saturday) count. ``cache`` (a dict) lets a batch reuse
        the results of equal computations.
        """
        self.ensure_one()
        if not start:
            return False
        start = fields.Date.to_date(start)
        days, working = self._xinfang_limit(key, days)
        if not working or not days:
            return start + timedelta(days=days)
        calendar = self.resource_calendar_id
        if not calendar:
            return start + timedelta(days=days)
        cache_key = (calendar.id, start, days)
        if cache is not None and cache_key in cache:
            return cache[cache_key]
        result = calendar._xinfang_add_working_days(start, days)
        if cache is not None:
            cache[cache_key] = result
        return result
