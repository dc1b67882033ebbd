import re
from datetime import timedelta
from difflib import SequenceMatcher

from odoo import Command, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from .tools import count_by

CHANNELS = [
    ("letter", "Letter"),
    ("visit", "Visit"),
    ("phone", "Phone / Hotline"),
    ("email", "E-mail"),
    ("fax", "Fax"),
    ("online", "Online"),
    ("upper_transfer", "Transferred from Upper Level"),
    ("leader_instruction", "Leader Instruction"),
]

STATES = [
    ("draft", "Registration"),
    ("pending", "Awaiting Acceptance"),
    ("accepted", "Accepted"),
    ("rejected", "Not Accepted"),
    ("not_reaccepted", "Not Re-accepted"),
    ("redirected", "Redirected"),
    ("handling", "In Handling"),
    ("review", "Reply under Review"),
    ("replied", "Replied"),
    ("closed", "Closed"),
    ("archived", "Filed"),
]
# Decisions that end an item at acceptance (B1).
REFUSED_STATES = ("rejected", "not_reaccepted", "redirected")
DONE_STATES = ("closed", "archived") + REFUSED_STATES

NOTIFY_METHODS = [
    ("letter", "Letter"),
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("sms", "SMS"),
    ("oral", "In Person"),
]

DEADLINE_STATUSES = [
    ("none", "No Deadline"),
    ("on_time", "On Time"),
    ("due_soon", "Due Soon"),
    ("overdue", "Overdue"),
]

CALLBACK_RATINGS = [
    ("satisfied", "Satisfied"),
    ("basic", "Basically Satisfied"),
    ("dissatisfied", "Dissatisfied"),
]

PETITION_TYPES = [
    ("initial", "Initial Petition"),
    ("review", "Review Request (复查)"),
    ("reexamination", "Re-examination Request (复核)"),
]

OFFICER = "xinfang_module.group_xinfang_officer"
MANAGER = "xinfang_module.group_xinfang_manager"
LEADER = "xinfang_module.group_xinfang_leader"
REGISTRAR = "xinfang_module.group_xinfang_registrar"
DISCIPLINE = "xinfang_module.group_xinfang_discipline"

# Who may change which field, and when (readme/CONFIGURE.md, "Permissions").
# Written only by a step (the buttons), whatever the state and the role; the
# stored computed fields (deadlines, collective, ...) are guarded as derived
# fields by xinfang.guard.mixin.
STEP_FIELDS = frozenset(
    {
        "name",
        "state",
        "registrar_id",
        "decision_date",
        "decision_note",
        "competent_body",
        "decision_notice_method",
        "final_closure",
        "parent_id",
        "child_ids",
        "review_override_reason",
        "leader_id",
        "instruction_deadline",
        "leader_instruction",
        "instruction_date",
        "routing_deadline",
        "assignment_ids",
        "reply_return_count",
        "reply_date",
        "completion_report",
        "completion_approver_id",
        "close_date",
        "notify_method",
        "notify_date",
        "publication_note",
        "extension_ids",
        "supervision_ids",
        "escalated",
        "criticism_suggestion",
        "owner_leader_id",
        "owner_signoff_date",
        "visit_id",
        "callback_ids",
        "rehandling_date",
        "repeat_of_id",
        "repeat_ids",
        "merged_into_id",
    }
)
# The letter as received: registration writes it; after submission only the
# office corrects it, with a reason (the 更正登记 dialog).
LETTER_FIELDS = frozenset(
    {
        "company_id",
        "channel",
        "registration_date",
        "petitioner_id",
        "people_count",
        "joint",
        "subject",
        "summary",
        "content",
        "requests",
        "petition_type",
        "original_org",
        "original_doc_number",
    }
)
# Who may know the petitioner, and whom the item accuses: registration or the
# office; lifting 保密 / 隐去身份 is the office manager's, with a reason.
IDENTITY_FIELDS = frozenset(
    {
        "anonymous",
        "confidential",
        "conceal_identity",
        "accused_department_id",
        "accused_employee_id",
    }
)
# Lifting any of these shows the petitioner to more people.
PROTECTION_FIELDS = ("confidential", "conceal_identity")
# The office's own description of the item.
OFFICE_FIELDS = frozenset(
    {"category_id", "priority", "place", "high_impact", "owner_duties", "active"}
)
# The handling department's reply opinion, while it handles the item.
REPLY_FIELDS = frozenset({"reply_facts", "reply_basis", "reply_conclusion"})
# Changing these may narrow who may read the item.
AUDIENCE_FIELDS = frozenset({"confidential", "department_id", "state", "active"})
# Relations a user names that rules restrict: each must point at a record
# the user may read (categories, departments and employees are read by every
# internal user; their company is check_company's).
NAMED_RELATIONS = ("petitioner_id",)

SUBJECT_NOISE_RE = re.compile(r"[\s\W_]+", re.UNICODE)


def subject_similarity(subject_a, subject_b):
    """How alike two subjects are, 0-100, ignoring spaces and punctuation."""
    a = SUBJECT_NOISE_RE.sub("", subject_a or "").lower()
    b = SUBJECT_NOISE_RE.sub("", subject_b or "").lower()
    if not a or not b:
        return 0
    if a in b or b in a:
        return 100
    return round(SequenceMatcher(None, a, b).ratio() * 100)


class XinfangPetition(models.Model):
    _name = "xinfang.petition"
    _xinfang_sequence_code = "xinfang.petition"
    _xinfang_number_date = "registration_date"
    _description = "Petition"
    _inherit = [
        "xinfang.guard.mixin",
        "xinfang.numbered.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "registration_date desc, id desc"
    _rec_names_search = ["name", "subject"]
    _check_company_auto = True
    _xinfang_step_fields = STEP_FIELDS

    name = fields.Char(
        string="Number", readonly=True, copy=False, index=True, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True, tracking=True)
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_group_expand_states",
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Urgent")], default="0", tracking=True
    )
    # Indexed together with id by init(), which serves both _order and filters.
    registration_date = fields.Datetime(
        required=True, tracking=True, default=fields.Datetime.now
    )
    registrar_id = fields.Many2one(
        "res.users", index=True, default=lambda self: self.env.user, tracking=True
    )
    channel = fields.Selection(CHANNELS, required=True, index=True, tracking=True)
    petition_type = fields.Selection(
        PETITION_TYPES, string="Type", default="initial", required=True, tracking=True
    )
    category_id = fields.Many2one(
        "xinfang.category", index=True, tracking=True, check_company=True
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Handling Department",
        compute="_compute_department_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
    )
    subject = fields.Char(required=True, tracking=True)
    # Tracked: an office correction shows the old and the new text.
    summary = fields.Text(
        help="摘要: a short summary of a long letter or call.",
        prefetch=False,
        tracking=True,
    )
    content = fields.Text(prefetch=False, tracking=True)
    requests = fields.Text(
        string="Petitioner's Requests", prefetch=False, tracking=True
    )
    people_count = fields.Integer(string="Number of People", default=1, tracking=True)
    anonymous = fields.Boolean(tracking=True)
    joint = fields.Boolean(
        string="Joint Petition", help="联名: signed by several people.", tracking=True
    )
    collective = fields.Boolean(
        compute="_compute_collective",
        store=True,
        help="集体访: brought by at least the company's collective threshold of "
        "people.",
    )
    confidential = fields.Boolean(
        compute="_compute_confidential",
        store=True,
        readonly=False,
        tracking=True,
        help="检举控告 against staff: only discipline and the office manager see it.",
    )
    conceal_identity = fields.Boolean(
        compute="_compute_conceal_identity",
        store=True,
        readonly=False,
        tracking=True,
        index=True,  # every attachment search of a handler asks for it
        help="隐去身份: the handling department does not see who the petitioner is.",
    )
    original_org = fields.Char(
        string="Original Handling Organisation",
        tracking=True,
        help="For a 复查/复核 request: the organisation that gave the decision.",
    )
    original_doc_number = fields.Char(string="Original Document Number", tracking=True)
    # Never tracked: a tracking value would copy the petitioner's name into the
    # chatter, where a handler of a concealed item could read it.
    petitioner_id = fields.Many2one(
        "xinfang.petitioner", index=True, ondelete="restrict", check_company=True
    )
    repeat_of_id = fields.Many2one(
        "xinfang.petition",
        string="Repeat Of",
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="重复信访: the original item this one repeats.",
    )
    repeat_ids = fields.One2many("xinfang.petition", "repeat_of_id", string="Repeats")
    repeat_count = fields.Integer(compute="_compute_repeat_count")
    merged_into_id = fields.Many2one(
        "xinfang.petition",
        string="Merged Into",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    repeat_candidate_count = fields.Integer(
        string="Possible Repeats", compute="_compute_repeat_candidate_count"
    )

    # --- Acceptance decision (B1) ---------------------------------------
    decision_date = fields.Date(tracking=True, copy=False)
    decision_note = fields.Text(
        string="Decision Reason", copy=False, tracking=True, prefetch=False
    )
    competent_body = fields.Char(
        copy=False,
        tracking=True,
        help="告知转出: the body that handles the matter, as told to the petitioner.",
    )
    decision_notice_method = fields.Selection(
        NOTIFY_METHODS, string="Decision Told By", copy=False
    )
    final_closure = fields.Boolean(
        string="Three-level Closure (三级终结)",
        copy=False,
        tracking=True,
        help="The matter already went through 复查 and 复核: a new item on it "
        "defaults to 不再受理.",
    )
    parent_id = fields.Many2one(
        "xinfang.petition",
        string="Reviewed Item",
        index="btree_not_null",
        copy=False,
        help="For a 复查/复核 request: the item whose reply is contested.",
    )
    child_ids = fields.One2many(
        "xinfang.petition", "parent_id", string="Review Requests"
    )
    review_override_reason = fields.Text(copy=False)

    # --- Leader instruction (B2) ----------------------------------------
    leader_id = fields.Many2one("res.users", string="Leader", tracking=True, copy=False)
    instruction_deadline = fields.Date(copy=False)
    leader_instruction = fields.Text(copy=False, tracking=True, prefetch=False)
    instruction_date = fields.Date(copy=False)
    routing_deadline = fields.Date(copy=False)

    # --- Routing (B3, B4) -----------------------------------------------
    assignment_ids = fields.One2many("xinfang.assignment", "petition_id")
    accused_department_id = fields.Many2one(
        "hr.department",
        string="Accused Department",
        tracking=True,
        help="B4: the item is never routed to the department it accuses.",
    )
    accused_employee_id = fields.Many2one(
        "hr.employee",
        string="Accused Person",
        tracking=True,
        help="B4: the item is never handed to the person it accuses.",
    )

    # --- Reply and closure (C2-C4) --------------------------------------
    reply_facts = fields.Text(string="Facts", copy=False, prefetch=False)
    reply_basis = fields.Text(string="Basis", copy=False, prefetch=False)
    reply_conclusion = fields.Text(string="Conclusion", copy=False, prefetch=False)
    reply_return_count = fields.Integer(
        string="Reply Send-backs", copy=False, tracking=True
    )
    reply_date = fields.Date(copy=False, tracking=True)
    completion_report = fields.Text(copy=False, prefetch=False)
    completion_approver_id = fields.Many2one(
        "res.users", string="Completion Approved By", copy=False, tracking=True
    )
    close_date = fields.Date(copy=False, tracking=True, index="btree_not_null")
    notify_method = fields.Selection(
        NOTIFY_METHODS, string="Result Told By", copy=False, tracking=True
    )
    notify_date = fields.Date(string="Result Told On", copy=False)
    publication_note = fields.Text(
        copy=False,
        help="C4: for an anonymous item, where and how the result was published.",
    )
    extension_ids = fields.One2many("xinfang.extension", "petition_id")
    extension_days = fields.Integer(
        compute="_compute_extension_days",
        store=True,
        help="Days added to the handling deadline by approved extensions.",
    )

    # --- Supervision (D1, D2) -------------------------------------------
    supervision_ids = fields.One2many("xinfang.supervision", "petition_id")
    supervision_count = fields.Integer(compute="_compute_supervision_count")
    escalated = fields.Boolean(copy=False, tracking=True, index=True)
    criticism_suggestion = fields.Text(
        string="Suggested Criticism (通报批评建议)", copy=False, tracking=True
    )
    place = fields.Char(
        string="Place of Occurrence", help="工作台帐: where the matter happened."
    )
    owner_leader_id = fields.Many2one(
        "res.users",
        string="Owning Leader (包案领导)",
        index="btree_not_null",
        tracking=True,
        copy=False,
    )
    owner_duties = fields.Text(
        string="Ownership Duties (四包)",
        copy=False,
        help="包掌握情况、包思想教育、包矛盾化解、包息诉息访: what the owning "
        "leader does on each.",
    )
    owner_signoff_date = fields.Date(
        string="Leader Sign-off", copy=False, tracking=True
    )

    visit_id = fields.Many2one(
        "xinfang.visit",
        string="Visit",
        index="btree_not_null",
        copy=False,
        help="E1: the visit this item was registered from.",
    )

    # --- Callbacks (回访) ------------------------------------------------------
    high_impact = fields.Boolean(
        help="F1: an anonymous item with a large impact is called back when its "
        "writer is known (recorded as petitioner).",
    )
    callback_ids = fields.One2many("xinfang.callback", "petition_id")
    rehandling_date = fields.Date(
        string="Reopened for Re-handling",
        copy=False,
        tracking=True,
        help="F6: reopened after a dissatisfied callback; the handling limit "
        "runs again from this day.",
    )
    callback_count = fields.Integer(compute="_compute_callback_count")
    category_confidential = fields.Boolean(
        string="Confidential Category", related="category_id.confidential"
    )
    petitioner_readable = fields.Boolean(
        compute="_compute_petitioner_readable",
        help="The current user may open the petitioner: otherwise the form shows "
        "the masked name without a link.",
    )
    office_user = fields.Boolean(
        compute="_compute_office_user",
        help="The current user works in the petition office: the form lets them "
        "change what the office owns.",
    )
    discreet = fields.Boolean(
        string="Discreet Notifications",
        compute="_compute_discreet",
        help="Confidential items and complaints against staff: notifications "
        "carry the number only, never the subject.",
    )
    callback_rating = fields.Selection(
        CALLBACK_RATINGS,
        string="Callback Rating",
        compute="_compute_callback_rating",
        store=True,
        index="btree_not_null",
        help="The rating of the latest callback made.",
    )

    # --- Deadlines ----------------------------------------------------------
    acceptance_deadline = fields.Date(
        compute="_compute_acceptance_deadline", store=True, index=True
    )
    handling_deadline = fields.Date(
        compute="_compute_handling_deadline", store=True, index=True, tracking=True
    )
    next_deadline = fields.Date(
        compute="_compute_next_deadline",
        store=True,
        index=True,
        help="The deadline the item is waiting for in its current state.",
    )
    deadline_status = fields.Selection(
        DEADLINE_STATUSES,
        compute="_compute_deadline_status",
        store=True,
        index=True,
        help="Kept current by the daily deadline refresh, which rewrites only "
        "the items whose status changes.",
    )

    @api.model
    def _group_expand_states(self, states, domain):
        """Kanban columns: the main path, plus any other state in the results."""
        main = [
            "draft",
            "pending",
            "accepted",
            "handling",
            "review",
            "replied",
            "closed",
        ]
        return main + [state for state in states if state not in main]

    def init(self):
        # Serves the default order of every list and kanban view.
        tools.create_index(
            self.env.cr,
            "xinfang_petition_registration_date_id_index",
            self._table,
            ["registration_date DESC", "id DESC"],
        )

    @api.depends("name", "subject")
    def _compute_display_name(self):
        for petition in self:
            if petition.subject and petition.name and petition.name != "/":
                petition.display_name = f"{petition.name} {petition.subject}"
            else:
                petition.display_name = (
                    petition.name
                    if petition.name != "/"
                    else (petition.subject or self.env._("New Petition"))
                )

    @api.depends("category_id")
    def _compute_department_id(self):
        # After registration the department changes only by routing or return:
        # a category then only fills a department that was never set.
        for petition in self:
            if petition.category_id.department_id and (
                petition.state == "draft" or not petition.department_id
            ):
                petition.department_id = petition.category_id.department_id

    @api.depends("people_count", "company_id.xinfang_collective_threshold")
    def _compute_collective(self):
        for petition in self:
            threshold = petition.company_id.xinfang_collective_threshold or 5
            petition.collective = petition.people_count >= threshold

    @api.depends("category_id")
    def _compute_confidential(self):
        # A category can make an item confidential, never the reverse: moving a
        # confidential item to another category keeps it confidential.
        for petition in self:
            petition.confidential = (
                petition.confidential or petition.category_id.confidential
            )

    @api.depends("confidential")
    def _compute_conceal_identity(self):
        for petition in self:
            petition.conceal_identity = (
                petition.conceal_identity or petition.confidential
            )

    @api.depends("repeat_ids")
    def _compute_repeat_count(self):
        counts = dict(
            self.sudo()
            .with_context(active_test=False)
            ._read_group(
                [("repeat_of_id", "in", self.ids)], ["repeat_of_id"], ["__count"]
            )
        )
        for petition in self:
            petition.repeat_count = counts.get(petition.sudo(), 0)

    @api.depends("petitioner_id", "subject", "registration_date", "state")
    def _compute_repeat_candidate_count(self):
        for petition in self:
            if petition.state == "draft" and petition.petitioner_id:
                candidates = petition._find_repeat_candidates()
                petition.repeat_candidate_count = len(candidates)
            else:
                petition.repeat_candidate_count = 0

    @api.depends("petitioner_id")
    @api.depends_context("uid")
    def _compute_petitioner_readable(self):
        readable = self.petitioner_id._filtered_access("read")
        for petition in self:
            petition.petitioner_readable = (
                not petition.petitioner_id or petition.petitioner_id in readable
            )

    @api.depends_context("uid")
    def _compute_office_user(self):
        self.office_user = self.env.user.has_group(OFFICER)

    @api.depends("confidential", "accused_department_id", "accused_employee_id")
    def _compute_discreet(self):
        for petition in self:
            petition.discreet = bool(
                petition.confidential
                or petition.accused_department_id
                or petition.accused_employee_id
            )

    def _xinfang_never_told(self):
        return self._xinfang_accused_users()

    def _xinfang_accused_users(self):
        """Users the items accuse: the accused person's, and everyone of an
        accused department (head and petition users included). They are
        never told of the item."""
        accused = self.env["res.users"]
        for petition in self.sudo().filtered(
            lambda p: p.accused_department_id or p.accused_employee_id
        ):
            department = petition.accused_department_id
            accused |= (
                petition.accused_employee_id.user_id
                | department.member_ids.user_id
                | department.manager_id.user_id
                | department.xinfang_user_ids
            )
        return accused.with_env(self.env)

    def _xinfang_notify_activities(self, activity_type_xmlid, users, deadline, summary):
        """One activity per user on this item, in one batch. A discreet item
        sends no assignment e-mail (it would carry the subject)."""
        self.ensure_one()
        if not users:
            return self.env["mail.activity"]
        activity_type = self.env.ref(activity_type_xmlid)
        return (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=self.discreet)
            .create(
                [
                    {
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": self.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "date_deadline": deadline,
                        "summary": summary,
                    }
                    for user in users
                ]
            )
        )

    def _compute_supervision_count(self):
        counts = count_by(self, "xinfang.supervision", "petition_id")
        for petition in self:
            petition.supervision_count = counts.get(petition, 0)

    def _compute_callback_count(self):
        counts = count_by(self, "xinfang.callback", "petition_id")
        for petition in self:
            petition.callback_count = counts.get(petition, 0)

    @api.depends("callback_ids.state", "callback_ids.rating", "callback_ids.done_date")
    def _compute_callback_rating(self):
        # Every callback counts, also those the current user may not read.
        for petition in self:
            done = petition.sudo().callback_ids.filtered(
                lambda c: c.state == "done" and c.rating
            )
            latest = done.sorted(lambda c: (c.done_date, c.id))[-1:]
            petition.callback_rating = latest.rating

    @api.depends("extension_ids.state", "extension_ids.days")
    def _compute_extension_days(self):
        for petition in self:
            petition.extension_days = sum(
                petition.extension_ids.filtered(lambda e: e.state == "approved").mapped(
                    "days"
                )
            )

    @api.depends(
        "registration_date",
        "petition_type",
        "category_id.acceptance_days",
        "company_id.xinfang_acceptance_days",
        "company_id.xinfang_acceptance_working",
        "company_id.xinfang_review_decision_days",
        "company_id.xinfang_review_decision_working",
    )
    def _compute_acceptance_deadline(self):
        cache = {}
        for petition in self:
            company = petition.company_id or self.env.company
            start = petition.registration_date and fields.Date.context_today(
                petition, petition.registration_date
            )
            if petition.petition_type == "initial":
                petition.acceptance_deadline = company._xinfang_add_days(
                    start, "acceptance", petition.category_id.acceptance_days, cache
                )
            else:
                # A 复查/复核 request is decided within its own limit (C5).
                petition.acceptance_deadline = company._xinfang_add_days(
                    start, "review_decision", cache=cache
                )

    @api.depends(
        "decision_date",
        "rehandling_date",
        "extension_days",
        "category_id.handling_days",
        "company_id.xinfang_handling_days",
        "company_id.xinfang_handling_working",
        "company_id.xinfang_extension_max_working",
    )
    def _compute_handling_deadline(self):
        cache = {}
        for petition in self:
            company = petition.company_id or self.env.company
            # Re-handling after a dissatisfied callback runs the limit again.
            start = max(
                filter(None, [petition.decision_date, petition.rehandling_date]),
                default=False,
            )
            deadline = company._xinfang_add_days(
                start,
                "handling",
                petition.category_id.handling_days,
                cache,
            )
            if deadline and petition.extension_days:
                # Approved extensions, counted as the extension cap is.
                deadline = company._xinfang_add_days(
                    deadline, "extension_max", petition.extension_days, cache
                )
            petition.handling_deadline = deadline

    @api.depends(
        "state",
        "acceptance_deadline",
        "handling_deadline",
        "instruction_deadline",
        "routing_deadline",
    )
    def _compute_next_deadline(self):
        for petition in self:
            petition.next_deadline = petition._get_next_deadline()

    def _get_next_deadline(self):
        self.ensure_one()
        if self.state in ("draft", "pending"):
            return self.acceptance_deadline
        if self.state == "accepted":
            candidates = [self.routing_deadline, self.handling_deadline]
            if self.leader_id and not self.instruction_date:
                candidates.append(self.instruction_deadline)
            return min(filter(None, candidates), default=False)
        if self.state in ("handling", "review"):
            return self.handling_deadline
        return False

    @api.depends(
        "next_deadline",
        "company_id.xinfang_due_soon_days",
        "company_id.xinfang_due_soon_working",
    )
    def _compute_deadline_status(self):
        cache = {}
        for petition in self:
            company = petition.company_id or self.env.company
            petition.deadline_status = petition._deadline_status_on(
                company._xinfang_today(), cache
            )

    def _deadline_status_on(self, day, cache=None):
        self.ensure_one()
        if not self.next_deadline:
            return "none"
        if self.next_deadline < day:
            return "overdue"
        company = self.company_id or self.env.company
        if self.next_deadline <= company._xinfang_add_days(
            day, "due_soon", cache=cache
        ):
            return "due_soon"
        return "on_time"

    @api.model
    def _get_status_refresh_domain(self, company, today):
        """Items of ``company`` whose deadline status must change today."""
        soon = company._xinfang_add_days(today, "due_soon")
        return [
            ("company_id", "=", company.id),
            ("next_deadline", "!=", False),
            "|",
            "&",
            ("next_deadline", "<", today),
            ("deadline_status", "!=", "overdue"),
            "&",
            ("next_deadline", "<=", soon),
            ("deadline_status", "=", "on_time"),
        ]

    @api.model
    def _cron_refresh_deadline_status(self, batch_size=1000):
        """Move items to due soon / overdue as the days pass.

        Only the rows whose status changes today are searched (on the indexed
        next_deadline and deadline_status) and recomputed, in bounded batches;
        a second run the same day finds nothing left to do.
        """
        field = self._fields["deadline_status"]
        done = remaining = 0
        for company in self.env["res.company"].search([]):
            today = company._xinfang_today()
            domain = self._get_status_refresh_domain(company, today)
            petitions = self.search(domain, limit=batch_size - done)
            if petitions:
                self.env.add_to_compute(field, petitions)
                petitions.flush_recordset(["deadline_status"])
                done += len(petitions)
            if done >= batch_size:
                # Other companies may still wait: ask for one more run.
                remaining = self.search_count(domain) or 1
                break
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.constrains("people_count", "joint")
    def _check_people_count(self):
        for petition in self:
            if petition.people_count < 1:
                raise ValidationError(
                    self.env._("The number of people must be at least 1.")
                )
            if petition.joint and petition.people_count < 2:
                raise ValidationError(
                    self.env._(
                        "A joint petition (联名) is signed by at least 2 people: "
                        "correct the number of people."
                    )
                )

    @api.constrains("registration_date")
    def _check_registration_date(self):
        now = fields.Datetime.now()
        for petition in self:
            if petition.registration_date > now:
                raise ValidationError(
                    self.env._(
                        "The registration time of %s cannot be in the future.",
                        petition.display_name,
                    )
                )

    @api.constrains("repeat_of_id")
    def _check_repeat_of_id(self):
        if self._has_cycle("repeat_of_id"):
            raise ValidationError(
                self.env._("A petition cannot be a repeat of itself or of its repeats.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._protect_by_category(vals_list)
        self._xinfang_check_create_vals(vals_list)
        if not self._xinfang_trusted():
            self._xinfang_check_targets(vals_list, NAMED_RELATIONS)
            for vals in vals_list:
                # Who registered is who creates, never nobody.
                vals["registrar_id"] = self.env.uid
        return super().create(vals_list)

    def write(self, vals):
        self._protect_by_category([vals])
        if not self._xinfang_trusted():
            self._check_write_policy(vals)
        result = super().write(vals)
        if AUDIENCE_FIELDS & set(vals):
            self._xinfang_narrow_audience()
        return result

    def _xinfang_create_defaults(self):
        return {"name": "/", "state": "draft", "registrar_id": self.env.uid}

    # ------------------------------------------------------------------
    # Audience: who follows and is told of the item
    # ------------------------------------------------------------------

    def _xinfang_narrow_audience(self):
        """After the audience narrows (confidential, routed elsewhere, a
        department returned it), followers and open activities of users who
        may no longer read the item go."""
        for petition in self:
            sudo_petition = petition.sudo()
            followers = sudo_petition.message_follower_ids.partner_id
            readers = petition._xinfang_readers(
                followers.user_ids | sudo_petition.activity_ids.user_id
            )
            gone = [
                partner.id for partner in followers if not partner.user_ids & readers
            ]
            if gone:
                sudo_petition.message_unsubscribe(gone)
            stale = [
                activity.id
                for activity in sudo_petition.activity_ids
                if activity.user_id not in readers
            ]
            self.env["mail.activity"].sudo().browse(stale).unlink()

    def _protect_by_category(self, vals_list):
        """A confidential category makes the item confidential and conceals
        its petitioner, whatever the form or the caller sent: a protecting
        default is enforced, not proposed."""
        category_ids = {
            vals["category_id"] for vals in vals_list if vals.get("category_id")
        }
        if not category_ids:
            return
        confidential = set(
            self.env["xinfang.category"]
            .sudo()
            .browse(category_ids)
            .filtered("confidential")
            .ids
        )
        for vals in vals_list:
            if vals.get("category_id") in confidential:
                vals.update(confidential=True, conceal_identity=True)

    def _check_write_policy(self, vals):
        """Who may change which field in which state (a plain write, not a
        step). Refuses the whole write, so that nothing is half-written."""
        changed = self._xinfang_changed(vals)
        if not changed:
            return
        # Who may not write at all hears so first.
        self.check_access("write")
        forged = changed & self._xinfang_guarded_fields()
        if forged:
            self._xinfang_refuse(forged)
        user = self.env.user
        office = user.has_group(OFFICER)
        registrar = office or user.has_group(REGISTRAR) or user.has_group(DISCIPLINE)
        registering = all(petition.state == "draft" for petition in self)
        if registering and not registrar:
            self._xinfang_refuse(
                changed,
                self.env._("Only the registrar changes an item in registration."),
            )
        if not registering:
            letter = changed & (LETTER_FIELDS | {"department_id"})
            if letter:
                self._xinfang_refuse(
                    letter,
                    self.env._(
                        "%(fields)s of a registered item are not edited: the office "
                        "corrects them with a reason (Correct Registration), and "
                        "the department changes by routing or return.",
                        fields=self._labels(letter),
                    ),
                )
        guarded = changed & (IDENTITY_FIELDS | OFFICE_FIELDS)
        if guarded and not registering and not office:
            self._xinfang_refuse(
                guarded,
                self.env._(
                    "%s of a registered item are changed by the petition office "
                    "only.",
                    self._labels(guarded),
                ),
            )
        lifted = [
            name
            for name in PROTECTION_FIELDS
            if name in changed
            and not vals[name]
            and self._lift_needs_manager(name, vals)
        ]
        if lifted:
            self._xinfang_refuse(
                lifted,
                self.env._(
                    "%s protects the petitioner: only the office manager lifts it, "
                    "with a reason (Lift Confidentiality, Show Identity).",
                    self._labels(lifted),
                ),
            )
        reply = changed & REPLY_FIELDS
        if reply and any(petition.state != "handling" for petition in self):
            self._xinfang_refuse(
                reply,
                self.env._(
                    "The reply opinion is written while the item is in handling: "
                    "once submitted it changes only when the office sends it back."
                ),
            )
        self._xinfang_check_targets([vals], NAMED_RELATIONS)

    def _lift_needs_manager(self, name, vals):
        """Whether unticking ``name`` needs the office manager's step: always
        once registered; in registration, when the category (保密) or the
        item's confidentiality (隐去身份) imposes it."""
        for petition in self.filtered(name):
            if petition.state != "draft":
                return True
            if name == "confidential" and petition.category_id.confidential:
                return True
            if name == "conceal_identity" and vals.get(
                "confidential", petition.confidential
            ):
                return True
        return False

    def _labels(self, names):
        return ", ".join(
            sorted(
                self._fields[name].get_description(self.env)["string"] for name in names
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_system(self):
        if not self.env.is_system():
            raise UserError(
                self.env._(
                    "Petitions are never deleted: archive them instead "
                    "(Action > Archive). Only a system administrator can delete one."
                )
            )

    def copy_data(self, default=None):
        default = dict(default or {})
        default.setdefault("registration_date", fields.Datetime.now())
        return super().copy_data(default)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_submit(self):
        """Finish registration: the item now waits for the acceptance decision.

        Possible repeats of the same petitioner are shown first, so that the
        registrar can link or merge the item instead of registering it twice.
        """
        if (
            len(self) == 1
            and not self.env.context.get("xinfang_skip_repeat_check")
            and self.state == "draft"
            and self._find_repeat_candidates()
        ):
            return self.action_check_repeats()
        self._submit()
        if len(self) == 1 and not self.has_access("read"):
            # A registrar hands a confidential item over to discipline: once
            # submitted they may no longer open it, so go back to the list.
            return self.env["ir.actions.act_window"]._for_xml_id(
                "xinfang_module.xinfang_petition_action"
            )
        return True

    def _submit(self):
        for petition in self:
            if petition.state != "draft":
                raise UserError(
                    self.env._("%s has already been registered.", petition.display_name)
                )
            missing = petition._missing_registration_data()
            if missing:
                raise UserError(
                    self.env._(
                        "%(petition)s cannot be submitted yet. Please fill in: "
                        "%(fields)s.",
                        petition=petition.display_name,
                        fields=", ".join(missing),
                    )
                )
        for petition in self:
            petition._xinfang_steps().final_closure = petition.final_closure or bool(
                petition._find_final_closure()
            )
        # Logged before the state changes: afterwards a registrar may no longer
        # be allowed to see a confidential item.
        for petition in self:
            petition.message_post(
                body=self.env._(
                    "Registration completed: awaiting acceptance decision."
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._xinfang_steps().write({"state": "pending"})

    def _missing_registration_data(self):
        self.ensure_one()
        labels = []

        def label(field_name):
            return self._fields[field_name].get_description(self.env)["string"]

        for field_name in ("category_id", "content"):
            if not self[field_name]:
                labels.append(label(field_name))
        if not self.anonymous and not self.petitioner_id:
            labels.append(label("petitioner_id"))
        if self.petition_type != "initial":
            for field_name in ("original_org", "original_doc_number"):
                if not self[field_name]:
                    labels.append(label(field_name))
        return labels

    def action_check_repeats(self):
        self.ensure_one()
        wizard = self.env["xinfang.repeat.wizard"].create(
            self.env["xinfang.repeat.wizard"]._prepare_vals(self)
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Possible Repeats"),
            "res_model": "xinfang.repeat.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def _open_step(self, step):
        Step = self.env["xinfang.petition.step"]
        name = dict(Step._fields["step"]._description_selection(self.env))[step]
        action = self._open_dialog(Step._name, name)
        action["context"]["default_step"] = step
        return action

    def action_accept(self):
        step = "not_reaccepted" if self.final_closure else "accept"
        return self._open_step(step)

    def action_reject(self):
        return self._open_step("rejected")

    def action_not_reaccept(self):
        return self._open_step("not_reaccepted")

    def action_redirect(self):
        return self._open_step("redirected")

    def action_request_instruction(self):
        return self._open_step("request_instruction")

    def action_record_instruction(self):
        return self._open_step("record_instruction")

    def action_assign(self):
        return self._open_step("assign")

    def action_submit_reply(self):
        self._do_submit_reply()
        return True

    def action_approve_reply(self):
        self._do_approve_reply()
        return True

    def action_return_reply(self):
        return self._open_step("return_reply")

    def action_close(self):
        return self._open_step("close")

    def action_file(self):
        self._do_file()
        return True

    def action_request_extension(self):
        return self._open_step("extension")

    def action_request_review(self):
        return self._open_step("review")

    def _open_dialog(self, model, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_petition_id": self.id},
        }

    def action_correct_registration(self):
        self._check_group(OFFICER)
        return self._open_dialog(
            "xinfang.petition.correction", self.env._("Correct Registration (更正登记)")
        )

    def _open_lift(self, lift, name):
        self._check_group(MANAGER)
        action = self._open_dialog("xinfang.petition.protection", name)
        action["context"]["default_lift"] = lift
        return action

    def action_lift_confidential(self):
        return self._open_lift("confidential", self.env._("Lift Confidentiality"))

    def action_lift_concealment(self):
        return self._open_lift("conceal_identity", self.env._("Show Identity"))

    def _notice_report(self):
        """The notice that fits the item's state, or False."""
        self.ensure_one()
        if self.state in REFUSED_STATES:
            return "xinfang_module.xinfang_petition_report_refusal"
        if self.state in ("replied", "closed", "archived"):
            return "xinfang_module.xinfang_petition_report_reply"
        if self.state in ("accepted", "handling", "review"):
            return "xinfang_module.xinfang_petition_report_acceptance"
        return False

    def action_send_notice_email(self):
        """E-mail the notice of the current state to the petitioner.

        Not through the chatter composer: it would turn the petitioner's
        address into a res.partner, which every internal user can read.
        """
        self.ensure_one()
        self._check_group(OFFICER)
        email = self.petitioner_id.email
        report_ref = self._notice_report()
        if self.anonymous or not email:
            raise UserError(
                self.env._("The petitioner of %s has no e-mail address.", self.name)
            )
        if not report_ref:
            raise UserError(self.env._("There is no notice to send at this stage."))
        report = self.env.ref(report_ref)
        pdf, _kind = report._render_qweb_pdf(report_ref, self.ids)
        # The PDF names the petitioner: it travels with the e-mail only, not
        # as a file of the item that every reader of the item could open.
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{report.name} - {self.name}.pdf",
                "raw": pdf,
                "res_model": "mail.compose.message",
                "res_id": 0,
                "mimetype": "application/pdf",
            }
        )
        template = self.env.ref("xinfang_module.mail_template_petition_notice")
        template.send_mail(
            self.id,
            email_values={
                "email_to": email,
                "recipient_ids": [],
                "attachment_ids": [Command.link(attachment.id)],
            },
        )
        self._log(
            self.env._("%s e-mailed to the petitioner.", report.name),
        )
        return True

    def action_view_files(self):
        """The item's files, where the office marks the working copies that
        handlers of a protected item may see."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Files of %s", self.name),
            "res_model": "ir.attachment",
            "view_mode": "list,form",
            "views": [
                (
                    self.env.ref("xinfang_module.xinfang_attachment_view_list").id,
                    "list",
                ),
                (False, "form"),
            ],
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
                "create": False,
            },
        }

    def action_view_supervision(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_supervision_action"
        )
        action["domain"] = [("petition_id", "=", self.id)]
        return action

    def action_view_callbacks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_callback_action"
        )
        action["domain"] = [("petition_id", "=", self.id)]
        action["context"] = {"default_petition_id": self.id}
        return action

    def action_view_repeats(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_petition_action"
        )
        action["domain"] = [("repeat_of_id", "=", self.id)]
        action["context"] = {"active_test": False, "create": False}
        action["name"] = self.env._("Repeats of %s", self.name)
        return action

    # ------------------------------------------------------------------
    # Lifecycle (B1-B4, C1-C5)
    # ------------------------------------------------------------------

    def _check_state(self, states, step):
        for petition in self:
            if petition.state not in states:
                raise UserError(
                    self.env._(
                        "%(petition)s cannot be %(step)s: it is %(state)s.",
                        petition=petition.display_name,
                        step=step,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[petition.state],
                    )
                )

    def _check_group(self, *xmlids):
        if self.env.su:
            return
        if not any(self.env.user.has_group(xmlid) for xmlid in xmlids):
            raise AccessError(
                self.env._("You are not allowed to do this step on petitions.")
            )

    def _log(self, body):
        for petition in self:
            petition.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _do_accept(self, note=False, notice_method=False):
        self._check_group(OFFICER)
        self._check_state(("pending",), self.env._("accepted"))
        for petition in self:
            if petition.final_closure:
                raise UserError(
                    self.env._(
                        "%s concerns a matter closed at three levels (三级终结): "
                        "it cannot be accepted again.",
                        petition.display_name,
                    )
                )
        today = fields.Date.context_today(self)
        self._xinfang_steps().write(
            {
                "state": "accepted",
                "decision_date": today,
                "decision_note": note,
                "decision_notice_method": notice_method,
            }
        )
        # B2: personnel and discipline matters reach HR or discipline within
        # the routing limit.
        for petition in self.filtered(
            lambda p: p.confidential or p.category_id.personnel
        ):
            petition._xinfang_steps().routing_deadline = (
                petition.company_id._xinfang_add_days(today, "routing")
            )
        self._log(self.env._("Accepted (受理)."))

    def _do_refuse(self, state, note, competent_body=False, notice_method=False):
        """不予受理, 不再受理 or 告知转出: the item ends at acceptance."""
        self._check_group(OFFICER)
        self._check_state(("pending",), self.env._("decided"))
        if not note:
            raise UserError(self.env._("Give the reason of the decision."))
        if state == "redirected" and not competent_body:
            raise UserError(
                self.env._("Name the body that handles the matter (告知转出).")
            )
        self._xinfang_steps().write(
            {
                "state": state,
                "decision_date": fields.Date.context_today(self),
                "decision_note": note,
                "competent_body": competent_body,
                "decision_notice_method": notice_method,
            }
        )
        label = dict(self._fields["state"]._description_selection(self.env))[state]
        self._log(
            self.env._("Decision: %(decision)s. %(note)s", decision=label, note=note)
        )

    def _do_request_instruction(self, leader):
        """Send the processing slip (处理签) to a leader, as an activity."""
        self._check_group(OFFICER)
        self._check_state(("pending", "accepted", "handling"), self.env._("sent"))
        if not leader.has_group("xinfang_module.group_xinfang_leader"):
            raise UserError(self.env._("%s is not a leader.", leader.name))
        today = fields.Date.context_today(self)
        for petition in self:
            company = petition.company_id
            deadline = company._xinfang_add_days(today, "instruction")
            petition._xinfang_steps().write(
                {
                    "leader_id": leader.id,
                    "instruction_deadline": deadline,
                    "instruction_date": False,
                }
            )
            petition.activity_schedule(
                "xinfang_module.mail_activity_type_instruction",
                date_deadline=deadline,
                user_id=leader.id,
                summary=self.env._("Processing slip: %s", petition.name),
            )

    def _do_record_instruction(self, instruction):
        self._check_group("xinfang_module.group_xinfang_leader")
        self.check_access("read")  # the writes below run as superuser
        self._check_state(
            ("pending", "accepted", "handling"), self.env._("given an instruction")
        )
        for petition in self:
            if petition.leader_id and petition.leader_id != self.env.user:
                raise UserError(
                    self.env._(
                        "The processing slip of %(petition)s went to %(leader)s: "
                        "only they record its instruction.",
                        petition=petition.display_name,
                        leader=petition.leader_id.name,
                    )
                )
        if not instruction:
            raise UserError(self.env._("Write the instruction."))
        today = fields.Date.context_today(self)
        for petition in self.sudo():
            petition.write(
                {
                    "leader_instruction": instruction,
                    "instruction_date": today,
                    "leader_id": petition.leader_id.id or self.env.uid,
                    "routing_deadline": petition.company_id._xinfang_add_days(
                        today, "routing"
                    ),
                }
            )
            petition.activity_ids.filtered(
                lambda a: a.activity_type_id
                == self.env.ref("xinfang_module.mail_activity_type_instruction")
            ).action_feedback(feedback=instruction)
            petition._log(self.env._("Leader instruction: %s", instruction))

    def _do_assign(
        self, main_department, co_departments=None, deadline=False, handler=False
    ):
        """交办: one main department, any co-departments (B3)."""
        self._check_group(OFFICER)
        self._check_state(("accepted", "handling"), self.env._("routed"))
        self.ensure_one()
        co_departments = (co_departments or self.env["hr.department"]) - main_department
        departments = main_department | co_departments
        self._check_routing(departments, handler)
        deadline = deadline or self.handling_deadline
        open_assignments = self.assignment_ids.filtered(lambda a: a.state == "assigned")
        if main_department and open_assignments.filtered(lambda a: a.role == "main"):
            raise UserError(
                self.env._(
                    "%s already has a main department: return it first.",
                    self.display_name,
                )
            )
        vals_list = [
            {
                "petition_id": self.id,
                "department_id": department.id,
                "role": "main" if department == main_department else "co",
                "deadline": deadline,
                "handler_id": handler.id
                if department == main_department and handler
                else False,
            }
            for department in departments
        ]
        assignments = (
            self.env["xinfang.assignment"]._xinfang_steps().create(vals_list)
        )._xinfang_unmarked()
        vals = {"state": "handling"}
        if main_department:
            vals["department_id"] = main_department.id
        self._xinfang_steps().write(vals)
        self._log(
            self.env._(
                "Routed (交办) to %s.", ", ".join(assignments.mapped("display_name"))
            )
        )
        return assignments

    def _check_routing(self, departments, handler=False):
        """B4: never to the accused; confidential items only to discipline."""
        self.ensure_one()
        if self.accused_department_id and self.accused_department_id in departments:
            raise UserError(
                self.env._(
                    "%(petition)s accuses %(department)s: it cannot be handled there.",
                    petition=self.display_name,
                    department=self.accused_department_id.name,
                )
            )
        if handler and handler == self.accused_employee_id:
            raise UserError(
                self.env._(
                    "%(petition)s accuses %(person)s: it cannot be handed to them.",
                    petition=self.display_name,
                    person=handler.name,
                )
            )
        personnel = self.company_id.xinfang_hr_department_id
        if (
            self.category_id.personnel
            and personnel
            and not self.confidential
            and departments - personnel
        ):
            raise UserError(
                self.env._(
                    "%(petition)s is a personnel matter: it is routed to "
                    "%(department)s.",
                    petition=self.display_name,
                    department=personnel.name,
                )
            )
        discipline = self.company_id.xinfang_discipline_department_id
        if self.confidential and departments - discipline:
            raise UserError(
                self.env._(
                    "%s is confidential: it can only be routed to the discipline "
                    "department set in the settings.",
                    self.display_name,
                )
            )

    def _do_submit_reply(self):
        """The main department hands its reply opinion to the office (C2)."""
        self._check_group("xinfang_module.group_xinfang_handler")
        self.check_access("write")
        self._check_state(("handling",), self.env._("replied"))
        if not self.env.su and not self.env.user.has_group(OFFICER):
            mine = self.env.user.employee_ids.department_id | (
                self.env.user.xinfang_department_ids
            )
            for petition in self:
                if petition.department_id not in mine:
                    raise UserError(
                        self.env._(
                            "The main department (%(department)s) submits the "
                            "reply of %(petition)s.",
                            department=petition.department_id.name,
                            petition=petition.display_name,
                        )
                    )
        for petition in self:
            if not (
                petition.reply_facts
                and petition.reply_basis
                and petition.reply_conclusion
            ):
                raise UserError(
                    self.env._(
                        "The reply opinion of %s needs its facts, basis and "
                        "conclusion.",
                        petition.display_name,
                    )
                )
        self._xinfang_steps().write({"state": "review"})
        self._log(self.env._("Reply opinion submitted for review."))

    def _do_approve_reply(self):
        self._check_group(OFFICER)
        self._check_state(("review",), self.env._("approved"))
        self._xinfang_steps().write(
            {"state": "replied", "reply_date": fields.Date.context_today(self)}
        )
        self.assignment_ids.filtered(
            lambda a: a.state == "assigned"
        )._xinfang_steps().write({"state": "done"})
        self._log(self.env._("Reply opinion approved (已答复)."))

    def _do_return_reply(self, reason):
        """退办: the office sends the reply back for re-handling (C2)."""
        self._check_group(OFFICER)
        self._check_state(("review",), self.env._("sent back"))
        if not reason:
            raise UserError(self.env._("Say why the reply is sent back."))
        for petition in self._xinfang_steps():
            petition.write(
                {
                    "state": "handling",
                    "reply_return_count": petition.reply_return_count + 1,
                }
            )
        self._log(self.env._("Reply sent back for re-handling (退办): %s", reason))
        for petition in self:
            limit = petition.company_id.xinfang_escalation_sendbacks
            if (
                limit
                and petition.reply_return_count >= limit
                and not petition.escalated
            ):
                petition._escalate(
                    self.env._("The reply was sent back %s times.", limit)
                )

    def _do_close(
        self, report, notify_method=False, notify_date=False, publication_note=False
    ):
        """办结: needs an approved completion report and the result told (C3, C4)."""
        self._check_group(MANAGER, "xinfang_module.group_xinfang_leader")
        self.check_access("read")  # leaders close through a superuser write
        self._check_state(("replied",), self.env._("closed"))
        if not report:
            raise UserError(self.env._("Write the completion report (办结报告)."))
        for petition in self.filtered(
            lambda p: p.owner_leader_id and not p.owner_signoff_date
        ):
            raise UserError(
                self.env._(
                    "%(petition)s is owned by %(leader)s (包案): the leader signs "
                    "it off before it is closed.",
                    petition=petition.display_name,
                    leader=petition.owner_leader_id.name,
                )
            )
        for petition in self:
            if not petition.anonymous and not (notify_method and notify_date):
                raise UserError(
                    self.env._(
                        "Record how and when the petitioner of %s was told the "
                        "result.",
                        petition.display_name,
                    )
                )
        self.sudo().write(
            {
                "state": "closed",
                "completion_report": report,
                "completion_approver_id": self.env.uid,
                "close_date": fields.Date.context_today(self),
                "notify_method": notify_method,
                "notify_date": notify_date,
                "publication_note": publication_note,
            }
        )
        self.sudo()._log(self.env._("Closed (办结), completion report approved."))

    def _escalate(self, reason):
        """Escalate to the office managers and the owning leader, with a
        suggested criticism (通报批评建议) of the responsible department."""
        Supervision = self.env["xinfang.supervision"].sudo()
        today_by_company = {}
        for petition in self.sudo():
            company = petition.company_id
            today = today_by_company.setdefault(company, company._xinfang_today())
            suggestion = self.env._(
                "Suggest a circulated criticism (通报批评) of %(department)s: "
                "%(reason)s",
                department=petition.department_id.name or company.name,
                reason=reason,
            )
            users = company._xinfang_users(MANAGER) | petition.owner_leader_id
            Supervision.create(
                {
                    "petition_id": petition.id,
                    "department_id": petition.department_id.id,
                    "kind": "escalation",
                    "deadline": petition.next_deadline or today,
                    "date": today,
                    "note": reason,
                    "user_ids": [Command.set(users.ids)],
                }
            )
            petition.write({"escalated": True, "criticism_suggestion": suggestion})
            for user in users:
                petition.activity_schedule(
                    "xinfang_module.mail_activity_type_supervision",
                    user_id=user.id,
                    date_deadline=today,
                    summary=self.env._("Escalated: %s", reason),
                )
            petition._log(self.env._("Escalated: %s", reason))

    def action_own_case(self):
        """包案: the leader takes ownership of the case."""
        self._check_group("xinfang_module.group_xinfang_leader")
        self.check_access("read")  # the writes below run as superuser
        for petition in self:
            if petition.owner_leader_id and petition.owner_leader_id != self.env.user:
                raise UserError(
                    self.env._(
                        "%(petition)s is already owned by %(leader)s (包案).",
                        petition=petition.display_name,
                        leader=petition.owner_leader_id.name,
                    )
                )
            if petition.state in DONE_STATES or petition.state == "draft":
                raise UserError(
                    self.env._("%s cannot be owned in its state.", petition.name)
                )
        self.sudo().write(
            {"owner_leader_id": self.env.uid, "owner_signoff_date": False}
        )
        self.sudo()._log(self.env._("Case owned by %s (包案).", self.env.user.name))
        return True

    def action_owner_signoff(self):
        self.check_access("read")
        for petition in self:
            if petition.owner_leader_id != self.env.user:
                raise UserError(
                    self.env._("Only the owning leader signs off %s.", petition.name)
                )
        self.sudo().write({"owner_signoff_date": fields.Date.context_today(self)})
        self.sudo()._log(self.env._("Signed off by the owning leader."))
        return True

    def _do_file(self):
        self._check_group(OFFICER)
        self._check_state(("closed",), self.env._("filed"))
        self._xinfang_steps().write({"state": "archived"})
        self._log(self.env._("Filed (归档)."))

    def _do_request_extension(self, days, reason):
        self._check_state(("handling", "review"), self.env._("extended"))
        self.ensure_one()
        if days <= 0 or not reason:
            raise UserError(
                self.env._("An extension needs a number of days and a reason.")
            )
        self.check_access("write")
        return (
            self.env["xinfang.extension"]
            ._xinfang_steps()
            .create({"petition_id": self.id, "days": days, "reason": reason})
            ._xinfang_unmarked()
        )

    def _do_request_review(self, request_date=False, override_reason=False):
        """复查 from a replied or closed item, 复核 from a closed 复查 (C5)."""
        self._check_group(OFFICER)
        self.ensure_one()
        self._check_state(("replied", "closed", "archived"), self.env._("reviewed"))
        if self.petition_type == "reexamination":
            raise UserError(
                self.env._(
                    "%s is a 复核 decision: the chain is closed (三级终结).",
                    self.display_name,
                )
            )
        if self.petition_type == "review" and self.state == "replied":
            raise UserError(self.env._("Close the 复查 before requesting a 复核."))
        request_date = fields.Date.to_date(request_date) or fields.Date.context_today(
            self
        )
        reference = self.reply_date or self.close_date or self.decision_date
        limit = self.company_id._xinfang_add_days(reference, "review_request")
        if limit and request_date > limit:
            if not override_reason:
                raise UserError(
                    self.env._(
                        "The request comes after %(limit)s, the end of the review "
                        "window: only the office manager can accept it, with a "
                        "reason.",
                        limit=limit,
                    )
                )
            self._check_group(MANAGER)
        new_type = "reexamination" if self.petition_type == "review" else "review"
        child = self._xinfang_steps().copy(
            {
                "petition_type": new_type,
                "parent_id": self.id,
                "channel": self.channel,
                "subject": self.subject,
                "original_org": self.company_id.name,
                "original_doc_number": self.name,
                "review_override_reason": override_reason,
                "state": "pending",
            }
        )
        self._log(
            self.env._(
                "%(type)s requested: %(number)s.",
                type=dict(
                    self._fields["petition_type"]._description_selection(self.env)
                )[new_type],
                number=child.name,
            )
        )
        return child._xinfang_unmarked()

    # ------------------------------------------------------------------
    # Repeats (重复信访)
    # ------------------------------------------------------------------

    def _repeat_candidates_domain(self):
        """Open or recent items of the same person (same record, ID number or
        phone), in the same company, that the current user may know about."""
        self.ensure_one()
        petitioner = self.petitioner_id.sudo()
        same_person = [[("petitioner_id", "=", petitioner.id)]]
        if petitioner.id_number:
            same_person.append([("petitioner_id.id_number", "=", petitioner.id_number)])
        if petitioner.phone:
            same_person.append([("petitioner_id.phone", "=", petitioner.phone)])
        window = self.company_id.xinfang_repeat_window_days
        since = (self.registration_date or fields.Datetime.now()) - timedelta(
            days=window
        )
        domain = expression.AND(
            [
                expression.OR(same_person),
                [
                    ("id", "!=", self._origin.id),
                    ("company_id", "=", self.company_id.id),
                    "|",
                    ("state", "in", self._open_states()),
                    ("registration_date", ">=", since),
                ],
            ]
        )
        if not self.env.user.has_group("xinfang_module.group_xinfang_discipline"):
            domain = expression.AND([domain, [("confidential", "=", False)]])
        return domain

    @api.model
    def _open_states(self):
        """States in which an item is still being worked on."""
        return [key for key, _label in STATES if key not in DONE_STATES]

    def _find_repeat_candidates(self):
        """Possible repeats, searched as superuser: a registrar must see that an
        item exists even when its record rules hide the item itself. Only
        number, date, subject and state are ever shown to them."""
        self.ensure_one()
        if not self.petitioner_id:
            return self.browse()
        threshold = self.company_id.xinfang_repeat_similarity
        candidates = self.sudo().search(self._repeat_candidates_domain(), limit=50)
        return candidates.filtered(
            lambda c: subject_similarity(c.subject, self.subject) >= threshold
        )

    def _find_final_closure(self):
        """A 复核 already decided on the same matter of the same person: the
        matter is closed at three levels (三级终结)."""
        self.ensure_one()
        if not self.petitioner_id:
            return self.browse()
        threshold = self.company_id.xinfang_repeat_similarity
        petitioner = self.petitioner_id.sudo()
        same_person = (
            ("petitioner_id.id_number", "=", petitioner.id_number)
            if petitioner.id_number
            else ("petitioner_id", "=", petitioner.id)
        )
        # Whenever it was decided: unlike repeats, no time window applies.
        decided = self.sudo().search(
            [
                same_person,
                ("petition_type", "=", "reexamination"),
                ("state", "in", ("replied", "closed", "archived")),
                ("company_id", "=", self.company_id.id),
            ]
        )
        return decided.filtered(
            lambda c: subject_similarity(c.subject, self.subject) >= threshold
        )

    def _check_repeat_target(self, original):
        """The earlier item must be one the user may read, or one of the
        possible repeats offered to them: the dialog's lines are the user's
        own records, so their target cannot be trusted as such."""
        self.ensure_one()
        if original.sudo(False).has_access("read"):
            return
        if original not in self._find_repeat_candidates():
            raise AccessError(
                self.env._("%s is not a possible repeat of this item.", original.id)
            )

    def _link_as_repeat_of(self, original):
        """Mark ``self`` as a repeat of ``original`` (or of the item it repeats)."""
        self.ensure_one()
        self._check_repeat_target(original)
        original = original.sudo()
        root = original.repeat_of_id or original
        self._xinfang_steps().repeat_of_id = root
        self.message_post(
            body=self.env._("Linked as a repeat of %s.", root.name),
            subtype_xmlid="mail.mt_note",
        )
        root.message_post(
            body=self.env._(
                "Repeat petition %(number)s registered (%(channel)s).",
                number=self.name,
                channel=dict(self._fields["channel"]._description_selection(self.env))[
                    self.channel
                ],
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _can_merge_into(self, target):
        self.ensure_one()
        today = fields.Date.context_today(self, self.registration_date)
        return (
            self.state == "draft"
            and self.channel == "phone"
            and target.channel == "phone"
            and target.state in self._open_states()
            and fields.Date.context_today(self, target.registration_date) == today
        )

    def _merge_call_into(self, target):
        """Merge a same-day repeat call into the open item: the call is logged in
        the open item's chatter and this record is archived, never deleted."""
        self.ensure_one()
        self._check_repeat_target(target)
        target = target.sudo()
        if not self._can_merge_into(target):
            raise UserError(
                self.env._(
                    "Only a phone call still in registration can be merged, into "
                    "an open phone item of the same day."
                )
            )
        target.message_post(
            body=self.env._(
                "Repeat call %(number)s at %(time)s: %(subject)s. %(content)s",
                number=self.name,
                time=fields.Datetime.context_timestamp(
                    self, self.registration_date
                ).strftime("%H:%M"),
                subject=self.subject,
                content=self.content or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._xinfang_steps().write(
            {"repeat_of_id": target.id, "merged_into_id": target.id, "active": False}
        )
        self.message_post(
            body=self.env._("Merged into %s as a same-day repeat call.", target.name),
            subtype_xmlid="mail.mt_note",
        )
