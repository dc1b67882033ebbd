import logging
import re
from difflib import SequenceMatcher

import psycopg2

from odoo import Command, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .tools import compute_flag, flag_domain, list_separator, values_admitted

_logger = logging.getLogger(__name__)

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
    ("filed", "Filed"),
]
# The board's columns, shown even when empty (the other states show when
# an item is in them).
MAIN_PATH_STATES = (
    "draft",
    "pending",
    "accepted",
    "handling",
    "review",
    "replied",
    "closed",
)
# Decisions that end an item at acceptance (B1).
REFUSED_STATES = ("rejected", "not_reaccepted", "redirected")
DONE_STATES = ("closed", "filed") + REFUSED_STATES
# States of an item once it has been taken in (受理): the acceptance notice is
# printable, the statistics count it as accepted.
TAKEN_IN_STATES = ("accepted", "handling", "review", "replied", "closed", "filed")

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
        "transfer_out_date",
        "transfer_out_method",
        "transfer_receipt_date",
        "transfer_receipt_ref",
        "final_closure",
        "parent_id",
        "child_ids",
        "review_override_reason",
        "leader_id",
        "proposed_opinion",
        "instruction_deadline",
        "leader_instruction",
        "instruction_date",
        "routing_deadline",
        "dispatch_deadline",
        "dispatch_date",
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
        # The petitioner's query code and what they add online
        # (xinfang_online.py).
        "query_code_digest",
        "query_code_date",
        "supplement_pending",
        # Filing (xinfang_petition_archive.py).
        "archive_volume_id",
        "archive_number",
        "archive_date",
        "archive_user_id",
        "archive_loan_ids",
        "archive_legal_hold",
        "archive_destroyed_date",
        "archive_destruction_id",
        # Facts for the statistics (xinfang_petition_facts.py).
        "decided_on_time",
        "replied_on_time",
        "closed_on_time",
        "overdue_days_at_close",
        "handling_days_at_close",
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
        "cosigner_ids",
        "representative_ids",
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
    {
        "category_id",
        "request_nature",
        "priority",
        "place",
        "high_impact",
        "owner_duties",
        "active",
        # From an upper-level body (xinfang_upper.py): what its letter says.
        "source_body_id",
        "source_kind",
        "source_ref",
        "source_date",
        "source_due_date",
    }
)
# The handling department's reply opinion, while it handles the item.
REPLY_FIELDS = frozenset({"reply_facts", "reply_basis", "reply_conclusion"})
# Changing these may narrow who may read the item.
AUDIENCE_FIELDS = frozenset(
    {
        "confidential",
        "department_id",
        "state",
        "active",
        "accused_employee_id",
        "accused_department_id",
    }
)
# Whom the item accuses (B4): naming them takes the item from them.
ACCUSED_FIELDS = frozenset({"accused_employee_id", "accused_department_id"})
# Changing these may narrow who may read the item's callbacks, assignments
# and supervisions too (their rules read them through the item).
RELATED_AUDIENCE_FIELDS = frozenset(
    {
        "confidential",
        "conceal_identity",
        "department_id",
        "accused_employee_id",
        "accused_department_id",
    }
)
# Relations a user names that rules restrict: each must point at a record
# the user may read (categories, departments and employees are read by every
# internal user; their company is check_company's).
NAMED_RELATIONS = ("petitioner_id", "cosigner_ids", "representative_ids")
# A joint letter's signatories besides the petitioner (A4).
SIGNATORY_FIELDS = ["cosigner_ids", "representative_ids"]

SUBJECT_NOISE_RE = re.compile(r"[\s\W_]+", re.UNICODE)


def settle_signatories(record, joint):
    """In a form (the item's, or its correction): only a signed joint letter
    names signatories (clear them, or the hidden fields would block the
    save), its representatives are among them, and the number of people
    counts at least those named."""
    if not joint:
        record.cosigner_ids = False
        record.representative_ids = False
        return
    record.cosigner_ids -= record.petitioner_id
    record.representative_ids &= record.cosigner_ids | record.petitioner_id
    record.people_count = max(
        record.people_count, len(record.cosigner_ids | record.petitioner_id)
    )


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
    # Every statistic of a period filters on it: the index on
    # (registration_date DESC, id DESC) made in init() serves the ranges.
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
    xinfang_handled = fields.Boolean(
        string="Handled by My Department",
        compute="_compute_xinfang_handled",
        search="_search_xinfang_handled",
        help="Routed to one of the current user's departments: what the record "
        "rules of handlers follow.",
    )
    xinfang_accuses_me = fields.Boolean(
        string="Accuses Me",
        compute="_compute_xinfang_accuses_me",
        search="_search_xinfang_accuses_me",
        help="Names the current user as the accused person, or a department "
        "they belong to, head or handle petitions for as the accused unit: "
        "what the record rules of handlers, officers and leaders exclude (B4).",
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
    # A4: a joint letter's other signatories, and those it names to be
    # answered through (篇8 §八3). Never tracked, as the petitioner.
    cosigner_ids = fields.Many2many(
        "xinfang.petitioner",
        "xinfang_petition_cosigner_rel",
        "petition_id",
        "petitioner_id",
        string="Co-signers",
        check_company=True,
        help="联名: the other people who signed the letter, besides the petitioner.",
    )
    representative_ids = fields.Many2many(
        "xinfang.petitioner",
        "xinfang_petition_representative_rel",
        "petition_id",
        "petitioner_id",
        string="Designated Representatives",
        check_company=True,
        help="联名: the signatories the letter names to be answered through, at "
        "most the settings' number of representatives; without them, the "
        "petitioner.",
    )

    accused_department_id = fields.Many2one(
        "hr.department",
        tracking=True,
        check_company=True,
        help="B4: the item is never routed to the department it accuses.",
    )
    accused_employee_id = fields.Many2one(
        "hr.employee",
        string="Accused Person",
        tracking=True,
        check_company=True,
        help="B4: the item is never handed to the person it accuses.",
    )

    place = fields.Char(
        string="Place of Occurrence", help="工作台帐: where the matter happened."
    )

    visit_id = fields.Many2one(
        "xinfang.visit",
        index="btree_not_null",
        copy=False,
        help="E1: the visit this item was registered from.",
    )

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

    @api.model
    def _group_expand_states(self, states, domain):
        """Kanban columns: the main path, plus any other state in the
        results; of the main path, only the states the filters admit (the
        board's In Hand shows no Closed column that could never fill)."""
        admitted = values_admitted(domain, "state")
        main = [
            state for state in MAIN_PATH_STATES if admitted is None or state in admitted
        ]
        return main + [state for state in states if state not in main]

    @api.depends_context("uid")
    def _compute_xinfang_handled(self):
        compute_flag(self, "xinfang_handled")

    # Lines of an item that record rules filter per user.
    _xinfang_filtered_lines = (
        "assignment_ids",
        "extension_ids",
        "supervision_ids",
        "callback_ids",
        "child_ids",
        "repeat_ids",
    )

    def web_read(self, specification):
        # The lists may hold lines the user may not read (superuser code of
        # the same request read them whole): the form shows the readable ones.
        if not self.env.su:
            for name in self._xinfang_filtered_lines:
                if name not in specification:
                    continue
                field = self._fields[name]
                for record in self:
                    lines = record[name]._filtered_access("read")
                    self.env.cache.update(record, field, [tuple(lines.ids)])
        return super().web_read(specification)

    # Its dependencies: a check of the rules in memory (filtered_domain) must
    # not read a value computed before the accusation.
    @api.depends("accused_employee_id", "accused_department_id")
    @api.depends_context("uid")
    def _compute_xinfang_accuses_me(self):
        compute_flag(self, "xinfang_accuses_me")

    def _search_xinfang_accuses_me(self, operator, value):
        """The items whose accused are the current user: the same people as
        _xinfang_accused_users, one definition for every rule."""
        uid = self.env.uid
        return flag_domain(
            operator,
            value,
            # "any" on each relation: negated (the rules' use), it reads
            # "not any", which keeps the items that accuse nobody.
            [
                "|",
                ("accused_employee_id", "any", [("user_id", "=", uid)]),
                (
                    "accused_department_id",
                    "any",
                    [
                        "|",
                        "|",
                        ("member_ids.user_id", "=", uid),
                        ("manager_id.user_id", "=", uid),
                        ("xinfang_user_ids", "in", [uid]),
                    ],
                ),
            ],
        )

    def _search_xinfang_handled(self, operator, value):
        """Items routed to one of the current user's departments, as the
        handling department or by an assignment."""
        return flag_domain(
            operator,
            value,
            [
                "|",
                ("department_id.xinfang_mine", "=", True),
                ("assignment_ids.department_id.xinfang_mine", "=", True),
            ],
        )

    def init(self):
        # Serves the default order of every list and kanban view.
        tools.create_index(
            self.env.cr,
            "xinfang_petition_registration_date_id_index",
            self._table,
            ["registration_date DESC", "id DESC"],
        )
        # The board's counts per state and the analysis' counts by period,
        # category, department and channel are read from these, not from
        # the table (index-only scans: at 1,000,000 items the board's counts
        # take 39 ms instead of 156, the pivot's 96 instead of 201). Only
        # the active items, as every view asks; 7 MB each at that size.
        tools.create_index(
            self.env.cr,
            "xinfang_petition_board_index",
            self._table,
            ["company_id", "state"],
            where="active",
        )
        tools.create_index(
            self.env.cr,
            "xinfang_petition_analysis_index",
            self._table,
            [
                "company_id",
                "registration_date",
                "category_id",
                "department_id",
                "channel",
            ],
            where="active",
        )
        self._xinfang_disable_jit()

    def _xinfang_disable_jit(self):
        """Run the database without PostgreSQL's JIT compilation, unless its
        owner chose a setting. The record rules of every role but the office
        manager (subqueries on departments, employees, loans) lift the
        estimated cost of a board's or a list's query past jit_above_cost
        from about 100,000 items, and compiling took 1.2 s of the 1.45 s an
        officer's board took at 200,000 items (0.22 s without): Odoo's
        queries are short, compiling them never pays. Takes effect for new
        connections (CONFIGURE.md, Deployment)."""
        cr = self.env.cr
        cr.execute(
            """SELECT 1 FROM pg_db_role_setting s
                 JOIN pg_database d ON d.oid = s.setdatabase
                WHERE d.datname = current_database() AND s.setrole = 0
                  AND EXISTS (SELECT 1 FROM unnest(s.setconfig) c
                               WHERE c LIKE 'jit=%%')"""
        )
        if cr.fetchone():
            return
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    SQL("ALTER DATABASE %s SET jit = off", SQL.identifier(cr.dbname)),
                    log_exceptions=False,
                )
        except psycopg2.Error as error:
            _logger.warning(
                "xinfang_module: could not turn PostgreSQL's JIT off for this "
                "database (%s): run ALTER DATABASE ... SET jit = off as its "
                "owner (readme/CONFIGURE.md, Deployment).",
                error,
            )
        else:
            _logger.info(
                "xinfang_module: PostgreSQL's JIT turned off for this database"
            )

    @api.depends("name", "subject", "discreet")
    def _compute_display_name(self):
        """Number and subject; the number only for a confidential item or a
        complaint against staff: a link to it (a repeat's original, a review
        request's item) is shown to people who may not read it."""
        for petition in self:
            if petition.discreet and petition.name and petition.name != "/":
                petition.display_name = petition.name
            elif petition.subject and petition.name and petition.name != "/":
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

    @api.onchange("joint", "anonymous", "petitioner_id", "cosigner_ids")
    def _onchange_signatories(self):
        settle_signatories(self, self.joint and not self.anonymous)

    @api.constrains(
        "people_count",
        "joint",
        "anonymous",
        "petitioner_id",
        "cosigner_ids",
        "representative_ids",
    )
    def _check_signatories(self):
        # Who signed, as stored: the cache holds what the user may read (and
        # wrote), and must not keep the others for the user afterwards.
        petitions = self.sudo()
        petitions.invalidate_recordset(SIGNATORY_FIELDS)
        try:
            for petition in petitions:
                petition._check_signatories_of_one()
        finally:
            petitions.invalidate_recordset(SIGNATORY_FIELDS)

    def _check_signatories_of_one(self):
        cosigners = self.cosigner_ids
        representatives = self.representative_ids
        if not cosigners and not representatives:
            return
        if not self.joint or self.anonymous:
            raise ValidationError(
                self.env._(
                    "Only a signed joint petition (联名) has co-signers and "
                    "designated representatives."
                )
            )
        if self.petitioner_id in cosigners:
            raise ValidationError(self.env._("The petitioner is not also a co-signer."))
        if len(cosigners | self.petitioner_id) > self.people_count:
            raise ValidationError(
                self.env._(
                    "%(named)s signatories are named, more than the number of "
                    "people (%(count)s).",
                    named=len(cosigners | self.petitioner_id),
                    count=self.people_count,
                )
            )
        if outsiders := representatives - cosigners - self.petitioner_id:
            # Named to whoever may read them (this check runs as superuser).
            named = outsiders.with_env(self.env(su=False))._filtered_access("read")
            raise ValidationError(
                self.env._(
                    "%s is not a signatory: representatives are chosen among the "
                    "petitioner and the co-signers.",
                    list_separator(self.env).join(named.sudo().mapped("name"))
                    or self.env._("A representative"),
                )
            )
        limit = self.company_id.xinfang_visit_max_representatives
        if len(representatives) > limit:
            raise ValidationError(
                self.env._(
                    "A joint petition names at most %(limit)s representatives "
                    "(the number the office manager sets).",
                    limit=limit,
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
        accused_before = (
            {petition.id: petition._xinfang_accused_key() for petition in self}
            if ACCUSED_FIELDS & set(vals)
            else None
        )
        hidden = self._xinfang_hidden_signatories(vals)
        if hidden:
            # Each item keeps the signatories its user may not read.
            for petition in self:
                super(XinfangPetition, petition).write(
                    {
                        **vals,
                        **{
                            name: [*vals[name]] + [Command.link(id_) for id_ in ids]
                            for name, ids in hidden.get(petition.id, {}).items()
                        },
                    }
                )
            result = True
        else:
            result = super().write(vals)
        if accused_before is not None:
            # Only the items whose accused changed: sending the same values
            # again (a form saves what it shows) takes nothing from anyone.
            self.filtered(
                lambda p: accused_before[p.id] != p._xinfang_accused_key()
            )._xinfang_withdraw_from_accused()
        if AUDIENCE_FIELDS & set(vals):
            self._xinfang_narrow_audience()
        if RELATED_AUDIENCE_FIELDS & set(vals):
            self._xinfang_narrow_related_audience()
        return result

    def _xinfang_create_defaults(self):
        return {"name": "/", "state": "draft", "registrar_id": self.env.uid}

    def _xinfang_accused_key(self):
        """Whom the item accuses, as ids: to tell whether a write changed it."""
        petition = self.sudo()
        return (petition.accused_department_id.id, petition.accused_employee_id.id)

    def _xinfang_hidden_signatories(self, vals):
        """{item id: {field: ids}} of the signatories written in ``vals`` that
        the user may not read: a form sends the ones it shows, and setting
        those must not drop the others. Read from the tables, not the cache
        (which may hold either)."""
        names = [name for name in SIGNATORY_FIELDS if name in vals]
        if self.env.su or not names or not self.ids:
            return {}
        self.flush_recordset(names)
        Petitioner = self.env["xinfang.petitioner"]
        hidden = {}
        for name in names:
            field = self._fields[name]
            self.env.cr.execute(
                SQL(
                    "SELECT %s, %s FROM %s WHERE %s IN %s",
                    SQL.identifier(field.column1),
                    SQL.identifier(field.column2),
                    SQL.identifier(field.relation),
                    SQL.identifier(field.column1),
                    tuple(self.ids),
                )
            )
            rows = self.env.cr.fetchall()
            stored = Petitioner.browse(sorted({person for _item, person in rows}))
            readable = stored._filtered_access("read")
            for item, person in rows:
                if person not in readable.ids:
                    hidden.setdefault(item, {}).setdefault(name, []).append(person)
        return hidden

    # ------------------------------------------------------------------
    # Audience: who follows and is told of the item
    # ------------------------------------------------------------------

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
        # An item that came in by itself (the e-mail gateway) is registered by
        # who completes it.
        self.filtered(lambda p: not p.registrar_id)._xinfang_steps().write(
            {"registrar_id": self.env.uid}
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

    def _open_dialog(self, model, name, **defaults):
        """The dialog ``model`` of a step, on this item (``defaults`` are its
        other default values)."""
        self.ensure_one()
        context = {f"default_{key}": value for key, value in defaults.items()}
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_petition_id": self.id, **context},
        }

    def _notice_report(self):
        """The notice that fits the item's state, or False."""
        self.ensure_one()
        if self.state in REFUSED_STATES:
            return "xinfang_module.xinfang_petition_report_refusal"
        if self.state in ("replied", "closed", "filed"):
            return "xinfang_module.xinfang_petition_report_reply"
        if self.state in ("accepted", "handling", "review"):
            return "xinfang_module.xinfang_petition_report_acceptance"
        return False

    def action_print_notice(self):
        """Print the notice of the current state (it issues it)."""
        self.ensure_one()
        self._check_group(OFFICER)
        report_ref = self._notice_report()
        if not report_ref:
            raise UserError(
                self.env._("%s has no notice to print in its state.", self.name)
            )
        return self.env.ref(report_ref).report_action(self)

    def action_send_notice_email(self):
        """E-mail the notice of the current state to the petitioner (the
        representatives of a joint letter).

        Not through the chatter composer: it would turn the petitioner's
        address into a res.partner, which every internal user can read.
        """
        self.ensure_one()
        self._check_group(OFFICER)
        # A joint letter is answered through its representatives (A4).
        addressed = (self.joint and self.representative_ids) or self.petitioner_id
        email = ",".join(filter(None, addressed.mapped("email")))
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

    # ------------------------------------------------------------------
    # Lifecycle (B1-B4, C1-C5)
    # ------------------------------------------------------------------

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

    # ------------------------------------------------------------------
    # Repeats (重复信访)
    # ------------------------------------------------------------------
