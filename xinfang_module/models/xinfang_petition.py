import re
from collections import defaultdict
from datetime import timedelta
from difflib import SequenceMatcher

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

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
]

PETITION_TYPES = [
    ("initial", "Initial Petition"),
    ("review", "Review Request (复查)"),
    ("reexamination", "Re-examination Request (复核)"),
]

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
    _description = "Petition"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "registration_date desc, id desc"
    _rec_names_search = ["name", "subject"]
    _check_company_auto = True

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
        group_expand=True,
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
    summary = fields.Text(
        help="摘要: a short summary of a long letter or call.", prefetch=False
    )
    content = fields.Text(prefetch=False)
    requests = fields.Text(string="Petitioner's Requests", prefetch=False)
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
        help="隐去身份: the handling department does not see who the petitioner is.",
    )
    original_org = fields.Char(
        string="Original Handling Organisation",
        help="For a 复查/复核 request: the organisation that gave the decision.",
    )
    original_doc_number = fields.Char(string="Original Document Number")
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
        for petition in self:
            if petition.category_id.department_id:
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
        self._prepare_numbers(vals_list)
        return super().create(vals_list)

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

    @api.model
    def _prepare_numbers(self, vals_list):
        """Number every new petition from its company's yearly sequence.

        The sequence and its yearly range are looked up once per company and
        year, not once per record, so that a batch of imports stays fast.
        """
        Sequence = self.env["ir.sequence"].sudo()
        default_company = self.env.company.id
        todo = defaultdict(list)
        for vals in vals_list:
            if vals.get("name", "/") != "/":
                continue
            company_id = vals.get("company_id") or default_company
            date = fields.Datetime.to_datetime(
                vals.get("registration_date") or fields.Datetime.now()
            )
            todo[(company_id, date.year)].append(vals)
        for (company_id, year), group in todo.items():
            sequence = Sequence.search(
                [
                    ("code", "=", "xinfang.petition"),
                    ("company_id", "in", [company_id, False]),
                ],
                order="company_id",
                limit=1,
            )
            if not sequence:
                raise UserError(
                    self.env._(
                        "The petition numbering sequence is missing: restore the "
                        "sequence with code xinfang.petition in Settings > "
                        "Technical > Sequences."
                    )
                )
            range_date = fields.Date.to_date(f"{year}-01-01")
            date_range = sequence.date_range_ids.filtered(
                lambda r, d=range_date: r.date_from <= d <= r.date_to
            )[:1] or sequence._create_date_range_seq(range_date)
            date_range = date_range.with_context(
                ir_sequence_date_range=date_range.date_from
            )
            for vals in group:
                vals["name"] = date_range._next()

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
        # Logged before the state changes: afterwards a registrar may no longer
        # be allowed to see a confidential item.
        for petition in self:
            petition.message_post(
                body=self.env._(
                    "Registration completed: awaiting acceptance decision."
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.write({"state": "pending"})

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
        return ["draft", "pending"]

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

    def _link_as_repeat_of(self, original):
        """Mark ``self`` as a repeat of ``original`` (or of the item it repeats)."""
        self.ensure_one()
        original = original.sudo()
        root = original.repeat_of_id or original
        self.repeat_of_id = root
        self.message_post(
            body=self.env._("Linked as a repeat of %s.", root.name),
            subtype_xmlid="mail.mt_note",
        )
        root.message_post(
            body=self.env._(
                "Repeat petition %(number)s registered (%(channel)s).",
                number=self.name,
                channel=dict(CHANNELS)[self.channel],
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
        self.write(
            {"repeat_of_id": target.id, "merged_into_id": target.id, "active": False}
        )
        self.message_post(
            body=self.env._("Merged into %s as a same-day repeat call.", target.name),
            subtype_xmlid="mail.mt_note",
        )
