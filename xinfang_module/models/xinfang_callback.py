import math
from collections import Counter
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .xinfang_petition import CALLBACK_RATINGS, LEADER, MANAGER, OFFICER

METHODS = [
    ("in_person", "In Person"),
    ("phone", "Phone"),
    ("letter", "Letter"),
    ("appointment", "Appointment (预约)"),
    ("work_unit", "Through the Work Unit"),
    ("undercover", "Undercover (暗访)"),
    # The petitioner's own rating on the query page (issue 16).
    ("online", "Online Rating (网上评价)"),
]
ANSWERS = [("yes", "Yes"), ("partly", "Partly"), ("no", "No")]
SELECTION_RULES = [
    ("key_case", "Key Case (包案): always"),
    ("category", "Category: always"),
    ("sampled", "Sampled"),
    ("manual", "Planned by Hand"),
]
ROLES = [
    ("office", "Petition Office"),
    ("manager", "Office Manager"),
    ("leader", "Leader"),
    ("department", "Department Head"),
]
# Closed items are called back; a filed (归档) item is still a closed one.
CLOSED_STATES = ("closed", "filed")


class XinfangCallback(models.Model):
    """One callback (回访) of a closed item to its petitioner (F1-F6).

    The monthly selection (``_cron_plan_callbacks``) creates the planned
    callbacks; each records why its item was chosen (rule, rate, month and
    the order key), and a partial unique index makes sure no item is ever
    selected twice, whatever the month and however often the cron runs.
    """

    _name = "xinfang.callback"
    _description = "Petition Callback"
    _inherit = [
        "xinfang.guard.mixin",
        "xinfang.numbered.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _xinfang_sequence_code = "xinfang.callback"
    _order = "planned_date desc, id desc"
    _check_company_auto = True
    # The steps and the monthly selection write these; why an item was
    # chosen is an audit record.
    _xinfang_step_fields = frozenset(
        {
            "name",
            "state",
            "overdue",
            "reopened",
            "rectification_id",
            "verification_deadline",
            "selection_rule",
            "selection_month",
            "selection_rate",
            "selection_population",
            "selection_key",
        }
    )

    petition_id = fields.Many2one(
        "xinfang.petition",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="petition_id.company_id", store=True, index=True
    )
    department_id = fields.Many2one(
        related="petition_id.department_id", store=True, index=True
    )
    confidential = fields.Boolean(related="petition_id.confidential", store=True)
    conceal_identity = fields.Boolean(
        related="petition_id.conceal_identity", store=True
    )
    petitioner_id = fields.Many2one(related="petition_id.petitioner_id")
    subject = fields.Char(related="petition_id.subject")
    close_date = fields.Date(related="petition_id.close_date")
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("done", "Done"),
            ("unreachable", "Unreachable"),
            ("cancelled", "Cancelled"),
        ],
        default="planned",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    planned_date = fields.Date(
        required=True, index=True, tracking=True, default=fields.Date.context_today
    )
    deadline = fields.Date(
        string="Call Back By", help="F2: the latest day after closure (篇8: 3 months)."
    )
    overdue = fields.Boolean(
        string="Overdue Reminder Sent",
        index=True,
        copy=False,
        readonly=True,
        help="Still planned after its planned day: the officers were reminded "
        "(the nightly reminder). Whether a callback is overdue now is its "
        "planned day: the filter Overdue.",
    )
    done_date = fields.Date(
        string="Called Back On", tracking=True, copy=False, index=True
    )
    method = fields.Selection(METHODS, required=True, default="phone", tracking=True)
    role = fields.Selection(
        ROLES,
        string="Called Back By",
        default="office",
        required=True,
        help="F3 (篇9): whose callback quota this callback counts in.",
    )
    officer_ids = fields.Many2many(
        "res.users",
        string="Callback Officers",
        domain=[("share", "=", False)],
        tracking=True,
        default=lambda self: self._default_officers(),
        help="Who makes the callback: it is on their list in the activity "
        "menu. Planned by hand, by whoever of the office plans it unless "
        "others are named.",
    )
    advance_notice = fields.Boolean(
        string="Notified in Advance",
        help="F4: in-person callbacks of collective and leader-owned items are "
        "announced to the petitioner in advance.",
    )
    visited_person = fields.Char(string="Person Visited", prefetch=False)
    place = fields.Char()
    # F5: the checklist.
    q_lawful = fields.Selection(
        ANSWERS, string="Handled lawfully and on time?", copy=False
    )
    q_solved = fields.Selection(ANSWERS, string="Problem solved?", copy=False)
    q_contacted = fields.Selection(
        ANSWERS, string="Did the officers contact you?", copy=False
    )
    q_fair = fields.Selection(ANSWERS, string="Were they fair and clean?", copy=False)
    rating = fields.Selection(CALLBACK_RATINGS, tracking=True, index=True, copy=False)
    suggestions = fields.Text(prefetch=False, copy=False)
    signature = fields.Binary(
        string="Signature of the Person Visited", copy=False, attachment=True
    )
    follow_up = fields.Text(
        string="Follow-up Taken", tracking=True, prefetch=False, copy=False
    )
    reopened = fields.Boolean(
        string="Petition Reopened", readonly=True, copy=False, tracking=True
    )
    rectification_id = fields.Many2one(
        "xinfang.supervision",
        string="Rectification Notice",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    verification_deadline = fields.Datetime(
        string="Verify by",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="F6: a dissatisfied rating is verified by the office by then "
        "(the item reopened or a rectification notice issued).",
    )
    locked = fields.Boolean(
        compute="_compute_locked",
        help="Made callbacks are read-only except for the office manager.",
    )
    # Why the item was chosen (F3): auditable and never twice.
    selection_rule = fields.Selection(
        SELECTION_RULES, default="manual", required=True, readonly=True, copy=False
    )
    selection_month = fields.Date(
        readonly=True, copy=False, help="First day of the month of the selection."
    )
    selection_rate = fields.Integer(string="Sampling Rate (%)", readonly=True)
    selection_population = fields.Integer(
        string="Items in Scope",
        readonly=True,
        help="Items in scope closed in the selection month when it was made.",
    )
    selection_key = fields.Char(
        string="Order Key",
        readonly=True,
        copy=False,
        help="The sampling order: the first characters of SHA-256 of company, "
        "month and petition id. Anyone can recompute it.",
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS xinfang_callback_selected_once_idx
                   ON xinfang_callback (petition_id)
                   WHERE selection_month IS NOT NULL"""
            )
        )

    @api.model
    def _default_officers(self):
        user = self.env.user
        return user if user.has_group(OFFICER) else user.browse()

    @api.depends("name", "petition_id.name")
    def _compute_display_name(self):
        for callback in self:
            callback.display_name = (
                f"{callback.name} ({callback.petition_id.sudo().name})"
                if callback.petition_id
                else callback.name
            )

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_locked(self):
        corrector = self.env.user.has_group(MANAGER)
        for callback in self:
            callback.locked = callback.state != "planned" and not corrector

    # ------------------------------------------------------------------
    # Rules of the record
    # ------------------------------------------------------------------

    @api.constrains("state", "method", "officer_ids", "rating")
    def _check_done(self):
        for callback in self.filtered(lambda c: c.state == "done"):
            if not callback.rating:
                raise ValidationError(
                    self.env._("Record the rating of callback %s.", callback.name)
                )
            minimum = callback.company_id.xinfang_callback_min_officers
            if callback.method == "in_person" and len(callback.officer_ids) < minimum:
                raise ValidationError(
                    self.env._(
                        "An in-person callback is made by at least %(count)s "
                        "officers (%(callback)s).",
                        count=minimum,
                        callback=callback.name,
                    )
                )

    @api.constrains("planned_date", "done_date")
    def _check_dates(self):
        for callback in self:
            if callback.done_date and callback.done_date > fields.Date.context_today(
                self
            ) + timedelta(days=1):
                raise ValidationError(
                    self.env._("A callback cannot be made in the future.")
                )

    def _xinfang_create_defaults(self):
        return {"name": "/", "state": "planned", "selection_rule": "manual"}

    def _xinfang_never_told(self):
        return self.petition_id._xinfang_accused_users()

    @api.model_create_multi
    def create(self, vals_list):
        self._xinfang_check_create_vals(vals_list)
        self._check_not_online({vals.get("method") for vals in vals_list})
        if not self._xinfang_trusted():
            self._xinfang_check_targets(vals_list, ["petition_id"])
        callbacks = super().create(vals_list)
        if not self.env.su:
            # Whatever named them: the values, or defaults of the context.
            callbacks.filtered("officer_ids")._check_officers()
        return callbacks

    def _check_officers(self):
        """A callback officer may read the item called back about and the
        callback itself, and is never the person it accuses: naming someone
        an officer gives them the callback, its petitioner and a line in
        their activity menu. (A department head or leader reads an item that
        conceals its petitioner, not its callbacks: named, the callback was
        on nobody's list.)"""
        for callback in self.sudo():
            petition = callback.petition_id
            officers = callback.officer_ids
            barred = officers - callback._xinfang_officer_readers(officers)
            if barred:
                raise ValidationError(
                    self.env._(
                        "%(officers)s cannot call back about %(item)s: they may "
                        "not read the item or its callback.",
                        officers=", ".join(barred.mapped("name")),
                        item=petition.name,
                    )
                )

    def _xinfang_officer_readers(self, users):
        """The users among ``users`` who may make this callback: they read
        the item and the callback, and the item does not accuse them."""
        self.ensure_one()
        petition = self.sudo().petition_id
        return self._xinfang_readers(
            petition._xinfang_readers(users - petition._xinfang_accused_users())
        )

    def _xinfang_narrow_audience(self):
        """When the item's audience narrows (confidential, petitioner
        concealed, routed elsewhere, someone accused), a planned callback
        loses the officers who may no longer read it, which would hold it on
        nobody's list; left with none, it goes to the office as the planner
        would give it (the office managers if confidential). Logged by the
        officers' tracking."""
        result = super()._xinfang_narrow_audience()
        planned = self.sudo().filtered(lambda c: c.state == "planned")
        pools = {}
        for callback in planned:
            officers = callback.officer_ids
            readers = callback._xinfang_officer_readers(officers)
            if readers == officers:
                continue
            if not readers:
                company = callback.company_id
                if company not in pools:
                    pools[company] = self._officer_pools(company)
                readers = callback._xinfang_officer_readers(
                    self._plan_officers(
                        callback.petition_id,
                        "office",
                        callback.selection_key or f"{callback.id:x}",
                        callback.method,
                        pools[company],
                    )
                )
            callback.officer_ids = readers
        return result

    def _check_not_online(self, methods):
        """Only the petitioner rates online (the query page, as superuser):
        nobody of the office makes, or turns a callback into, their rating."""
        if "online" in methods and not self.env.su:
            raise UserError(
                self.env._(
                    "An online rating is the petitioner's own, given on the query "
                    "page: it is not recorded by hand."
                )
            )

    def write(self, vals):
        self._xinfang_check_step_fields(vals)
        if "method" in vals:
            self._check_not_online({vals["method"], *self.mapped("method")})
        if (
            "rating" in vals
            and not self._xinfang_trusted()
            and any(callback.state == "done" for callback in self)
        ):
            self._xinfang_refuse(
                {"rating"},
                self.env._(
                    "The rating of a made callback is what the petitioner said: "
                    "it is not changed afterwards."
                ),
            )
        if "petition_id" in vals and not self.env.su:
            if any(callback.petition_id.id != vals["petition_id"] for callback in self):
                raise UserError(
                    self.env._("A callback stays with the item it was planned for.")
                )
        if vals.get("planned_date"):
            # Rescheduled: overdue again only once the new day has passed.
            vals = dict(vals, overdue=False)
        # A made callback is evidence: only the office manager corrects it.
        if not self.env.su and not self.env.user.has_group(MANAGER):
            if any(callback.state != "planned" for callback in self):
                raise UserError(
                    self.env._(
                        "This callback is no longer planned: only the office "
                        "manager can change it."
                    )
                )
        result = super().write(vals)
        if "officer_ids" in vals and not self.env.su:
            unmade = self.filtered(lambda c: c.state == "planned" and not c.officer_ids)
            if unmade:
                # Nobody's to-do otherwise (insider review).
                raise ValidationError(
                    self.env._(
                        "Callback %s is planned: name at least one officer to "
                        "make it.",
                        unmade[0].name,
                    )
                )
            self._check_officers()
        return result

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def _xinfang_worklist_notify(self, change):
        """Move the officers' activity-menu counter (late and today) at once,
        as a done or new activity does: one ``mail.activity/updated`` message
        per due callback and officer (``change``: ``activity_created`` or
        ``activity_deleted``). The menu counts again when opened."""
        today = fields.Date.context_today(self)
        for callback in self.filtered(lambda c: c.planned_date <= today):
            callback.officer_ids._bus_send("mail.activity/updated", {change: True})

    def _check_planned(self):
        for callback in self:
            if callback.state != "planned":
                raise UserError(
                    self.env._("Callback %s is not planned any more.", callback.name)
                )

    def action_done(self):
        """Record the callback as made; a dissatisfied rating asks the office
        to verify within 24 hours (F6)."""
        self._check_planned()
        # A callback keeps the day it was made, when given; else today.
        callbacks = self._xinfang_steps()
        undated = callbacks.filtered(lambda callback: not callback.done_date)
        (callbacks - undated).write({"state": "done"})
        undated.write({"state": "done", "done_date": fields.Date.context_today(self)})
        self.filtered(lambda c: c.rating == "dissatisfied")._ask_verification()
        # The step closes a Callback activity scheduled on it by hand.
        self.sudo().activity_feedback(["xinfang_module.mail_activity_type_callback"])
        self._xinfang_worklist_notify("activity_deleted")
        return True

    def action_unreachable(self):
        self._check_planned()
        self._xinfang_steps().write(
            {"state": "unreachable", "done_date": fields.Date.context_today(self)}
        )
        # The step closes a Callback activity scheduled on it by hand.
        self.sudo().activity_feedback(["xinfang_module.mail_activity_type_callback"])
        self._xinfang_worklist_notify("activity_deleted")
        return True

    def action_cancel(self):
        self._check_planned()
        if any(c.selection_rule != "manual" for c in self):
            # A selected item is called back: dropping it is the manager's.
            self.env["xinfang.petition"]._check_group(MANAGER)
        # A planned callback is the office's: a department head named on it
        # does not drop, say, the undercover re-check of his own department.
        self.env["xinfang.petition"]._check_group(OFFICER)
        self._xinfang_steps().write({"state": "cancelled"})
        self.sudo().activity_unlink(["xinfang_module.mail_activity_type_callback"])
        self._xinfang_worklist_notify("activity_deleted")
        return True

    def action_retry(self):
        """A new callback of the same item, e.g. after an unreachable one."""
        self.ensure_one()
        if self.state not in ("unreachable", "done"):
            raise UserError(self.env._("Only a made callback can be repeated."))
        self.check_access("write")
        retry = self._xinfang_steps().copy(
            {
                "planned_date": fields.Date.context_today(self),
                "selection_rule": "manual",
                # An online rating is called back by phone.
                "method": "undercover"
                if self.rating == "dissatisfied"
                else "phone"
                if self.method == "online"
                else self.method,
            }
        )
        retry._xinfang_worklist_notify("activity_created")
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": retry.id,
            "view_mode": "form",
        }

    def _ask_verification(self):
        """F6: 不满意 → a verification activity for the office, due in 24 hours."""
        for callback in self:
            company = callback.company_id
            hours = company.xinfang_verification_hours
            deadline = company._xinfang_today() + timedelta(days=1)
            if hours:
                due = fields.Datetime.now() + timedelta(hours=hours)
                callback.sudo().verification_deadline = due
                deadline = company._xinfang_local_date(due)
            for user in callback.company_id._xinfang_users(MANAGER):
                callback.sudo().activity_schedule(
                    "xinfang_module.mail_activity_type_callback_verify",
                    user_id=user.id,
                    date_deadline=deadline,
                )
            callback.sudo().message_post(
                body=self.env._(
                    "Dissatisfied: the office verifies within %s hours, then "
                    "reopens the item or issues a rectification notice.",
                    hours or 24,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _check_dissatisfied(self):
        self.env["xinfang.petition"]._check_group(OFFICER)
        for callback in self:
            if callback.state != "done" or callback.rating != "dissatisfied":
                raise UserError(
                    self.env._(
                        "Only a callback rated dissatisfied leads to re-handling "
                        "or a rectification notice."
                    )
                )

    def action_reopen_petition(self):
        """F6: back to handling, with this callback as the reason."""
        self._check_dissatisfied()
        for callback in self:
            petition = callback.petition_id
            if callback.reopened:
                raise UserError(
                    self.env._("%s was already reopened.", petition.display_name)
                )
            petition._check_state(CLOSED_STATES, self.env._("reopened"))
            petition._xinfang_steps().write(
                {
                    "state": "handling",
                    "close_date": False,
                    "rehandling_date": callback.company_id._xinfang_today(),
                }
            )
            petition._log(
                self.env._(
                    "Reopened for re-handling: the petitioner was dissatisfied "
                    "at callback %s.",
                    callback.name,
                )
            )
            callback.sudo().write(
                {
                    "reopened": True,
                    "follow_up": callback._follow_up_line(
                        self.env._("Reopened for re-handling.")
                    ),
                }
            )
        self.sudo().activity_feedback(
            ["xinfang_module.mail_activity_type_callback_verify"]
        )
        return True

    def action_rectification(self):
        """F6: a rectification notice (整改通知) to the handling department, as
        a supervision record with its own deadline."""
        self._check_dissatisfied()
        Supervision = self.env["xinfang.supervision"]
        for callback in self:
            if callback.rectification_id:
                raise UserError(
                    self.env._(
                        "A rectification notice was already issued: %s.",
                        callback.rectification_id.name,
                    )
                )
            petition = callback.petition_id
            company = callback.company_id
            today = company._xinfang_today()
            department = petition.department_id
            users = department.sudo().manager_id.user_id
            notice = Supervision._xinfang_steps().create(
                {
                    "petition_id": petition.id,
                    "department_id": department.id,
                    "kind": "rectification",
                    "deadline": today
                    + timedelta(days=company.xinfang_rectification_days),
                    "date": today,
                    "callback_id": callback.id,
                    "note": callback.suggestions
                    or self.env._("Dissatisfied at callback %s.", callback.name),
                    "user_ids": [Command.set(users.ids)],
                }
            )
            for user in users:
                petition.sudo().activity_schedule(
                    "xinfang_module.mail_activity_type_supervision",
                    user_id=user.id,
                    date_deadline=notice.deadline,
                    summary=self.env._("Rectification notice %s", notice.name),
                )
            petition._log(
                self.env._(
                    "Rectification notice %(notice)s to %(department)s after "
                    "callback %(callback)s.",
                    notice=notice.name,
                    department=department.name or company.name,
                    callback=callback.name,
                )
            )
            callback.sudo().write(
                {
                    "rectification_id": notice.id,
                    "follow_up": callback._follow_up_line(
                        self.env._("Rectification notice %s issued.", notice.name)
                    ),
                }
            )
        self.sudo().activity_feedback(
            ["xinfang_module.mail_activity_type_callback_verify"]
        )
        return True

    def _follow_up_line(self, line):
        today = fields.Date.to_string(fields.Date.context_today(self))
        return "\n".join(filter(None, [self.follow_up, f"{today} {line}"]))

    # ------------------------------------------------------------------
    # Planning (scheduled action)
    # ------------------------------------------------------------------

    @api.model
    def _cron_plan_callbacks(self, batch_size=5000):
        """Select this month's and last month's items to call back (F1-F3).

        The rate applies to the items in scope closed in a month so far:
        every run tops the month's selection up to ``ceil(rate × items)``, in
        the order of a published hash, after the key cases and the 'always'
        categories. What is selected stays selected, so a second run finds
        nothing, and a run stopped after a batch resumes where it was.
        """
        done = remaining = 0
        for company, today in self.env["res.company"]._xinfang_cron_days(
            "_cron_plan_callbacks"
        ):
            this_month = today.replace(day=1)
            for month in (this_month - relativedelta(months=1), this_month):
                batch, total = self._select_month(
                    company, month, limit=max(batch_size - done, 0)
                )
                if batch:
                    # Activities in the office's language, not the cron's.
                    self.with_context(lang=company._xinfang_lang())._plan(
                        company, month, today, batch
                    )
                done += len(batch)
                remaining += total - len(batch)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _scope_query(self, company, month, unselected=False):
        """The items in scope closed in ``month``: id, rule (key_case,
        category or sampled), whether selected already (in any month) and the
        order key, the first 16 hex digits of SHA-256 of
        ``company id:YYYY-MM:petition id``. ``unselected``: only those not
        selected yet."""
        always = SQL("FALSE")
        if company.xinfang_callback_scope_key:
            always = SQL("p.owner_leader_id IS NOT NULL")
        if unselected:
            # Picking, an anti-join: filtering a join's NULLs was estimated at
            # one row, and the plan built on that read the categories once
            # per item (0.5 s per batch at 100,000 items).
            selected = SQL("FALSE")
            callbacks = SQL("")
            unselected_only = SQL(
                """AND NOT EXISTS (SELECT FROM xinfang_callback cb
                                    WHERE cb.petition_id = p.id
                                      AND cb.selection_month IS NOT NULL)"""
            )
        else:
            # Counting, a join: a hash join over the month, where an EXISTS
            # per row in the select list made PostgreSQL JIT-compile the
            # query (0.7 s of its 1 s at 100,000 items).
            selected = SQL("cb.id IS NOT NULL")
            callbacks = SQL(
                """LEFT JOIN xinfang_callback cb ON cb.petition_id = p.id
                                              AND cb.selection_month IS NOT NULL"""
            )
            unselected_only = SQL("")
        return SQL(
            """SELECT p.id,
                      CASE WHEN %(always)s THEN 'key_case'
                           WHEN c.callback_rule = 'always' THEN 'category'
                           ELSE 'sampled' END AS rule,
                      %(selected)s AS selected,
                      substr(encode(sha256(convert_to(
                          %(prefix)s || p.id::text, 'UTF8')), 'hex'), 1, 16) AS key
                 FROM xinfang_petition p
            LEFT JOIN xinfang_category c ON c.id = p.category_id
                      %(callbacks)s
                WHERE p.company_id = %(company)s AND p.active %(unselected_only)s
                  AND p.state IN %(states)s
                  AND p.close_date >= %(start)s AND p.close_date < %(stop)s
                  AND COALESCE(c.callback_rule, 'default') != 'never'
                  AND (p.anonymous IS NOT TRUE OR p.petitioner_id IS NOT NULL)
                  -- Anonymous items out of scope: whatever their category.
                  AND (p.anonymous IS NOT TRUE OR %(anonymous)s)
                  AND (%(always)s OR c.callback_rule = 'always'
                       OR (p.anonymous IS NOT TRUE AND %(signed)s)
                       OR (p.anonymous AND p.high_impact AND %(anonymous)s))""",
            always=always,
            selected=selected,
            callbacks=callbacks,
            unselected_only=unselected_only,
            prefix=f"{company.id}:{month:%Y-%m}:",
            company=company.id,
            states=CLOSED_STATES,
            start=month,
            stop=month + relativedelta(months=1),
            signed=company.xinfang_callback_scope_signed,
            anonymous=company.xinfang_callback_scope_anonymous,
        )

    @api.model
    def _select_month(self, company, month, limit=None):
        """What to add to ``month``'s selection now, in order, at most
        ``limit``: ([(petition id, rule, role, order key, items in scope)],
        how many in all). The database counts and orders; only the picks
        come back."""
        self.env.flush_all()
        scope = self._scope_query(company, month)
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT count(*), count(*) FILTER (WHERE selected),
                          count(*) FILTER (WHERE NOT selected AND rule != 'sampled')
                     FROM (%s) scope""",
                scope,
            )
        )
        population, selected, mandatory = cr.fetchone()
        if not population:
            return [], 0
        target = math.ceil(company.xinfang_callback_rate * population / 100)
        role_targets = {}
        if company.xinfang_callback_quotas:
            role_targets = {
                role: math.ceil(
                    company[f"xinfang_callback_quota_{role}"] * population / 100
                )
                for role in ("manager", "leader", "department")
            }
            target = max(target, sum(role_targets.values()))
        room = max(min(target, population) - selected - mandatory, 0)
        total = mandatory + room
        limit = total if limit is None else min(limit, total)
        # The mandatory ones first, then the sample in the order of its key:
        # each part only when it has rows to give (each reads the month).
        unselected = self._scope_query(company, month, unselected=True)
        parts = []
        if mandatory and limit:
            parts.append(
                SQL(
                    """(SELECT id, rule, key FROM (%s) scope WHERE rule != 'sampled'
                      ORDER BY id LIMIT %s)""",
                    unselected,
                    limit,
                )
            )
        if room and limit > mandatory:
            parts.append(
                SQL(
                    """(SELECT id, rule, key FROM (%s) scope WHERE rule = 'sampled'
                      ORDER BY key, id LIMIT %s)""",
                    unselected,
                    min(room, limit),
                )
            )
        if not parts:
            return [], total
        cr.execute(SQL(" UNION ALL ").join(parts))
        rows = cr.fetchall()[:limit]
        role_counts = Counter()
        if role_targets and selected:
            role_counts.update(
                dict(
                    self._read_group(
                        [
                            ("company_id", "=", company.id),
                            ("selection_month", "=", month),
                        ],
                        ["role"],
                        ["__count"],
                    )
                )
            )
        picks = []
        for petition_id, rule, key in rows:
            role = "office"
            deficits = {
                r: role_targets[r] - role_counts[r]
                for r in role_targets
                if role_targets[r] > role_counts[r]
            }
            if deficits:
                role = max(deficits, key=lambda r: (deficits[r], r))
                role_counts[role] += 1
            picks.append((petition_id, rule, role, key, population))
        return picks, total

    @api.model
    def _plan(self, company, month, today, picks):
        """Create the planned callbacks of ``picks`` (F2, F4). A planned
        callback is its officers' to-do in the activity menu
        (``res.users._xinfang_callback_worklist``): no activity is created
        for it, nor are its officers subscribed (issue 18: the activities
        and followers were two thirds of the planning's time, and an office
        with thousands of planned callbacks went past the 1,000 activities
        the menu counts)."""
        petitions = self.env["xinfang.petition"].browse([p[0] for p in picks])
        petitions.fetch(
            [
                "close_date",
                "reply_date",
                "priority",
                "owner_leader_id",
                "leader_id",
                "collective",
                "confidential",
                "category_id",
                "department_id",
                "petitioner_id",
                "accused_department_id",
                "accused_employee_id",
            ]
        )
        pools = self._officer_pools(company)
        vals_list = []
        for (petition_id, rule, role, key, population), petition in zip(
            picks, petitions, strict=True
        ):
            planned, deadline = self._plan_dates(company, petition, today)
            method, notice = self._plan_method(petition)
            officers = self._plan_officers(petition, role, key, method, pools)
            vals_list.append(
                {
                    "petition_id": petition_id,
                    "planned_date": planned,
                    "deadline": deadline,
                    "method": method,
                    "advance_notice": notice,
                    "role": role,
                    "officer_ids": [Command.set(officers.ids)],
                    "selection_rule": rule,
                    "selection_month": month,
                    "selection_rate": company.xinfang_callback_rate,
                    "selection_population": population,
                    "selection_key": key,
                }
            )
        # No chatter work at creation: nothing is tracked on a new callback
        # (its creation is not logged either), and mail.thread's creation
        # work flushed the environment once per callback (tracking
        # templates).
        callbacks = self.with_context(tracking_disable=True).create(vals_list)
        return callbacks.with_env(self.env)

    @api.model
    def _officer_pools(self, company):
        """Users who call back, per role, in a stable order."""
        return {
            "office": company._xinfang_users(OFFICER),
            "manager": company._xinfang_users(MANAGER),
            "leader": company._xinfang_users(LEADER),
        }

    @api.model
    def _plan_dates(self, company, petition, today):
        base = petition.close_date
        if company.xinfang_callback_base == "reply" and petition.reply_date:
            base = petition.reply_date
        major = petition.priority == "1" or petition.owner_leader_id
        delay = petition.category_id.callback_days or (
            company.xinfang_callback_major_days
            if major
            else company.xinfang_callback_days
        )
        deadline = petition.close_date + timedelta(
            days=company.xinfang_callback_limit_days
        )
        return max(base + timedelta(days=delay), today), deadline

    @api.model
    def _plan_method(self, petition):
        """F4: collective and leader-owned items in person, announced; the
        others by phone, else by letter, else through the work unit."""
        if petition.collective or petition.owner_leader_id:
            return "in_person", True
        petitioner = petition.petitioner_id.sudo()
        if petitioner.phone or not (petitioner.address or petitioner.work_unit):
            return "phone", False
        if petitioner.address:
            return "letter", False
        return "work_unit", False

    @api.model
    def _plan_officers(self, petition, role, key, method, pools):
        """The officers of a callback: the role's person (the owning or
        instructing leader, the head of the handling department), else the
        role's pool taken in turn by the order key; confidential items only
        by office managers, items that conceal the petitioner by the office.
        In person: completed to the minimum number."""
        turn = int(key, 16)
        # Never the person the item accuses, whatever the pool.
        accused = petition._xinfang_accused_users()

        def take(pool, count=1, exclude=None):
            pool = pool - accused - (exclude or pool.browse())
            if not pool:
                return pool
            return pool.browse(
                [pool[(turn + i) % len(pool)].id for i in range(min(count, len(pool)))]
            )

        office = pools["manager"] if petition.confidential else pools["office"]
        officers = self.env["res.users"]
        if role == "manager":
            officers = take(pools["manager"])
        elif petition.confidential or petition.conceal_identity:
            # Leaders and the handling department's head do not read who
            # the petitioner is (nor, if confidential, the item): the office.
            pass
        elif role == "leader":
            officers = (
                petition.owner_leader_id or petition.leader_id or take(pools["leader"])
            )
        elif role == "department":
            officers = petition.department_id.sudo().manager_id.user_id
        officers -= accused
        if not officers:
            officers = take(office)
        minimum = petition.company_id.xinfang_callback_min_officers
        if method == "in_person" and len(officers) < minimum:
            officers |= take(office, minimum - len(officers), exclude=officers)
        return officers

    # ------------------------------------------------------------------
    # Overdue callbacks (scheduled action)
    # ------------------------------------------------------------------

    @api.model
    def _cron_callback_overdue(self, batch_size=500):
        """Mark planned callbacks past their day overdue and remind their
        officers, once: a marked callback is not selected again."""
        done = remaining = 0
        for company, _today in self.env["res.company"]._xinfang_cron_days(
            "_cron_callback_overdue"
        ):
            domain = [
                ("company_id", "=", company.id),
                ("state", "=", "planned"),
                ("overdue", "=", False),
                ("planned_date", "<", company._xinfang_today()),
            ]
            room = max(batch_size - done, 0)
            callbacks = self.search(domain, limit=room + 1, order="planned_date, id")
            batch, rest = callbacks[:room], callbacks[room:]
            if rest:
                remaining += self.search_count(domain) - len(batch)
            batch.write({"overdue": True})
            for callback in batch:
                callback.message_post(
                    body=self.env._(
                        "Callback planned on %s not made yet: please call back "
                        "the petitioner.",
                        callback.planned_date,
                    ),
                    partner_ids=callback.officer_ids.partner_id.ids,
                    subtype_xmlid="mail.mt_note",
                )
            done += len(batch)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done
