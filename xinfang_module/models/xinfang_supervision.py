from datetime import timedelta
from functools import partial

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date

from .xinfang_petition import MANAGER, OFFICER

KINDS = [
    ("reminder", "Reminder (催办预告)"),
    ("notice", "Supervision Notice (督办通知)"),
    ("escalation", "Escalation"),
    ("rectification", "Rectification Notice (整改通知)"),
    ("dispatch", "Dispatch Overdue (派遣超时)"),
    ("verification", "Verification Overdue (核实超时)"),
    ("report_back_reminder", "Report Back Due Soon (报结预告)"),
    ("report_back_notice", "Report Back Overdue (逾期未报结)"),
    ("filing_reminder", "Filing Due Soon (归档预告)"),
    ("filing_notice", "Filing Overdue (逾期未归档)"),
]


class XinfangSupervision(models.Model):
    """One reminder, supervision notice or escalation about a deadline (D1).

    The deadline watch creates at most one record per (item, assignment,
    kind, deadline, day): a unique index makes a second run on the same day,
    or a run resumed after an interruption, unable to create it twice.
    """

    _name = "xinfang.supervision"
    _description = "Petition Supervision"
    _inherit = ["xinfang.guard.mixin", "xinfang.numbered.mixin", "mail.thread"]
    _xinfang_sequence_code = "xinfang.supervision"
    _order = "date desc, id desc"
    _check_company_auto = True
    # Made by the deadline watch and the steps; departments answer.
    _xinfang_step_fields = frozenset(
        {
            "name",
            "petition_id",
            "assignment_id",
            "department_id",
            "callback_id",
            "kind",
            "deadline",
            "deadline_at",
            "date",
            "user_ids",
            "state",
            "response_date",
        }
    )

    petition_id = fields.Many2one(
        "xinfang.petition", required=True, index=True, ondelete="cascade"
    )
    assignment_id = fields.Many2one(
        "xinfang.assignment", index="btree_not_null", ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="petition_id.company_id", store=True, index=True
    )
    confidential = fields.Boolean(related="petition_id.confidential", store=True)
    department_id = fields.Many2one("hr.department", index=True, check_company=True)
    callback_id = fields.Many2one(
        "xinfang.callback",
        index="btree_not_null",
        ondelete="set null",
        help="The dissatisfied callback a rectification notice follows.",
    )
    kind = fields.Selection(KINDS, required=True, index=True)
    deadline = fields.Date(required=True, help="The deadline this is about.")
    deadline_at = fields.Datetime(
        string="Limit",
        help="The limit in minutes or hours this is about (dispatch, "
        "verification), in the reader's time zone.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    user_ids = fields.Many2many("res.users", string="Sent To")
    note = fields.Text()
    response = fields.Text(tracking=True)
    response_date = fields.Date(tracking=True)
    state = fields.Selection(
        [
            ("sent", "Sent"),
            ("no_recipient", "No Recipient"),
            ("answered", "Answered"),
            ("cancelled", "Cancelled"),
        ],
        default="sent",
        required=True,
        tracking=True,
    )

    def init(self):
        # The idempotency key of the deadline watches (18.0.1.3.0: with the
        # callback, as two callbacks of an item may each need a notice).
        self.env.cr.execute(
            SQL(
                """DROP INDEX IF EXISTS xinfang_supervision_unique_idx;
                   CREATE UNIQUE INDEX IF NOT EXISTS xinfang_supervision_unique_key
                   ON xinfang_supervision
                   (petition_id, COALESCE(assignment_id, 0), COALESCE(callback_id, 0),
                    kind, deadline, date)"""
            )
        )

    def _xinfang_never_told(self):
        return self.petition_id._xinfang_accused_users()

    def action_answer(self):
        """The department answers: dated today, never backdated."""
        open_records = self.filtered(lambda s: s.state in ("sent", "no_recipient"))
        open_records.check_access("write")
        open_records._xinfang_steps().write(
            {"state": "answered", "response_date": fields.Date.context_today(self)}
        )
        return True

    @api.model_create_multi
    def create(self, vals_list):
        # Supervision records are made by the deadline watch and the steps.
        self._xinfang_check_create_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._xinfang_check_step_fields(vals)
        if not self._xinfang_trusted():
            office = self.env.user.has_group("xinfang_module.group_xinfang_officer")
            if set(vals) - ({"response", "note"} if office else {"response"}):
                raise AccessError(
                    self.env._("Only the petition office can change a supervision.")
                )
            if "response" in vals and any(
                record.state in ("answered", "cancelled") for record in self
            ):
                raise UserError(
                    self.env._(
                        "An answered or cancelled supervision is evidence: its "
                        "response no longer changes."
                    )
                )
        return super().write(vals)

    def action_cancel(self):
        self.env["xinfang.petition"]._check_group(
            "xinfang_module.group_xinfang_officer"
        )
        if any(record.state == "answered" for record in self):
            raise UserError(self.env._("An answered supervision cannot be cancelled."))
        self.check_access("write")
        self._xinfang_steps().write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Deadline watch (scheduled action)
    # ------------------------------------------------------------------

    @api.model
    def _cron_deadline_watch(self, batch_size=500):
        """Reminders before, notices after, and escalation of every deadline.

        Each kind of candidate is found by one indexed query that already
        excludes what was done (NOT EXISTS on the supervision records), and
        handled in bounded batches; the cron is told what remains, so a stopped
        run resumes where it was and a second run the same day finds nothing.
        """
        done = remaining = 0
        for company, today in self.env["res.company"]._xinfang_cron_days(
            "_cron_deadline_watch"
        ):
            # Notes and activities in the office's language, not the cron's.
            watch = self.with_context(lang=company._xinfang_lang())
            for source, kind, maker in (
                ("petition", "reminder", watch._make_reminders),
                ("assignment", "reminder", watch._make_reminders),
                ("petition", "notice", watch._make_notices),
                ("assignment", "notice", watch._make_notices),
                (
                    "report_back",
                    "report_back_reminder",
                    partial(watch._make_report_backs, kind="report_back_reminder"),
                ),
                (
                    "report_back",
                    "report_back_notice",
                    partial(watch._make_report_backs, kind="report_back_notice"),
                ),
                (
                    "filing",
                    "filing_reminder",
                    partial(watch._make_report_backs, kind="filing_reminder"),
                ),
                (
                    "filing",
                    "filing_notice",
                    partial(watch._make_report_backs, kind="filing_notice"),
                ),
            ):
                if done >= batch_size:
                    remaining += len(
                        self._find_candidates(source, kind, company, today, 1)
                    )
                    continue
                rows = self._find_candidates(
                    source, kind, company, today, batch_size - done + 1
                )
                batch, rest = rows[: batch_size - done], rows[batch_size - done :]
                if batch:
                    maker(company, today, batch)
                    done += len(batch)
                remaining += len(rest)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    # Limits in minutes and hours: (kind, candidates query). Each limit is
    # told once: a record of that kind for the item (and callback) ends it.
    _TIME_LIMITS = {
        "dispatch": (
            """SELECT p.id AS petition_id, NULL::integer AS callback_id,
                      p.department_id, p.dispatch_deadline AS deadline_at
                 FROM xinfang_petition p
                WHERE p.company_id = %(company)s AND p.active
                  AND p.dispatch_deadline < %(now)s AND p.dispatch_date IS NULL
                  AND p.state IN %(states)s"""
        ),
        "verification": (
            """SELECT c.petition_id, c.id AS callback_id,
                      p.department_id, c.verification_deadline AS deadline_at
                 FROM xinfang_callback c
                 JOIN xinfang_petition p ON p.id = c.petition_id
                WHERE c.company_id = %(company)s AND c.state = 'done'
                  AND c.rating = 'dissatisfied'
                  AND c.verification_deadline < %(now)s
                  AND c.reopened IS NOT TRUE AND c.rectification_id IS NULL"""
        ),
    }

    @api.model
    def _cron_time_limit_watch(self, batch_size=500):
        """Limits counted in minutes and hours (篇3: dispatch within 3 minutes;
        F6: verify a dissatisfaction within 24 hours), run every minute.

        One indexed query per limit and company finds what passed and was not
        told yet; a second run finds nothing; batches are bounded and the cron
        is told what remains."""
        now = fields.Datetime.now()
        done = remaining = 0
        states = tuple(self.env["xinfang.petition"]._open_states())
        for company, today in self.env["res.company"]._xinfang_cron_days(
            "_cron_time_limit_watch"
        ):
            # Notes and activities in the office's language, not the cron's.
            watch = self.with_context(lang=company._xinfang_lang())
            for kind, query in self._TIME_LIMITS.items():
                rows = watch._fetch(
                    SQL(
                        """SELECT t.petition_id, t.callback_id, t.department_id,
                                  t.deadline_at
                             FROM (%(source)s) t
                            WHERE NOT EXISTS (
                                  SELECT 1 FROM xinfang_supervision s
                                   WHERE s.petition_id = t.petition_id
                                     AND s.callback_id IS NOT DISTINCT FROM
                                         t.callback_id
                                     AND s.kind = %(kind)s)
                         ORDER BY t.deadline_at, t.petition_id LIMIT %(limit)s""",
                        source=SQL(query, company=company.id, now=now, states=states),
                        kind=kind,
                        limit=max(batch_size - done, 0) + 1,
                    )
                )
                batch = rows[: max(batch_size - done, 0)]
                remaining += len(rows) - len(batch)
                if batch:
                    watch._make_time_limit_notices(company, today, kind, batch)
                    done += len(batch)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _make_time_limit_notices(self, company, today, kind, rows):
        """The office is told at once: a record, an activity per officer, a
        note on the item."""
        office = company._xinfang_users(OFFICER, MANAGER)
        petitions = self.env["xinfang.petition"].sudo().browse({r[0] for r in rows})
        audience = self._audience(office, petitions)
        vals_list = []
        for petition_id, callback_id, department_id, deadline_at in rows:
            # The office, but only who may read the item (a confidential one:
            # its manager) and never the accused.
            users = audience(office, petition_id)
            vals_list.append(
                {
                    "petition_id": petition_id,
                    "callback_id": callback_id,
                    "department_id": department_id,
                    "kind": kind,
                    "deadline": company._xinfang_local_date(deadline_at),
                    "deadline_at": deadline_at,
                    "date": today,
                    "state": "sent" if users else "no_recipient",
                    "user_ids": [Command.set(users.ids)],
                }
            )
        records = self.create(vals_list)
        label = dict(self._fields["kind"]._description_selection(self.env))[kind]
        self._schedule_activities(
            records, lambda record: today, lambda record: f"{label} {record.name}"
        )
        tz = company._xinfang_tz()
        self._log_on_petitions(
            records,
            lambda record: self.env._(
                "%(kind)s %(number)s: the limit of %(limit)s passed.",
                kind=label,
                number=record.name,
                limit=fields.Datetime.context_timestamp(
                    record.with_context(tz=tz), record.deadline_at
                ).strftime("%Y-%m-%d %H:%M"),
            ),
        )
        return records

    def _due_window(self, company, today):
        return today, company._xinfang_add_days(today, "due_soon")

    # Where deadlines live: the petition's next deadline, and each open
    # assignment's own deadline.
    _SOURCES = {
        "petition": (
            """SELECT p.id AS petition_id, NULL::integer AS assignment_id,
                      p.department_id, p.next_deadline AS deadline
                 FROM xinfang_petition p
                WHERE p.company_id = %(company)s AND p.active
                  AND p.state IN %(states)s"""
        ),
        "assignment": (
            """SELECT a.petition_id, a.id AS assignment_id,
                      a.department_id, a.deadline
                 FROM xinfang_assignment a
                 JOIN xinfang_petition p ON p.id = a.petition_id
                WHERE a.company_id = %(company)s AND a.state = 'assigned'
                  AND p.active AND p.state IN %(states)s"""
        ),
        # The date an upper-level body expects the result (xinfang_upper.py),
        # owed whatever the item's state until the 报结 is sent.
        "report_back": (
            """SELECT p.id AS petition_id, NULL::integer AS assignment_id,
                      p.department_id, p.source_due_date AS deadline
                 FROM xinfang_petition p
                WHERE p.company_id = %(company)s AND p.active
                  AND p.source_kind = 'assigned'
                  AND p.report_back_status != 'done'
                  AND p.source_due_date IS NOT NULL"""
        ),
        # Closed items the office files within the filing limit (G2).
        "filing": (
            """SELECT p.id AS petition_id, NULL::integer AS assignment_id,
                      p.department_id, p.filing_deadline AS deadline
                 FROM xinfang_petition p
                WHERE p.company_id = %(company)s AND p.active
                  AND p.state = 'closed' AND p.filing_deadline IS NOT NULL"""
        ),
    }

    @api.model
    def _find_candidates(self, source, kind, company, today, limit):
        """(petition, assignment, department, deadline) rows that need a
        ``kind`` record today: due soon and not reminded of that deadline yet,
        or overdue without a notice in the last notice interval."""
        if kind.endswith("reminder"):
            start, stop = self._due_window(company, today)
            window = SQL("c.deadline BETWEEN %s AND %s", start, stop)
            recent = SQL("TRUE")
        else:
            window = SQL("c.deadline < %s", today)
            since = today - timedelta(days=company.xinfang_notice_interval_days or 1)
            recent = SQL("s.date > %s", since)
        sources = SQL(
            self._SOURCES[source],
            company=company.id,
            states=tuple(self.env["xinfang.petition"]._open_states()),
        )
        return self._fetch(
            SQL(
                """SELECT c.petition_id, c.assignment_id, c.department_id, c.deadline
                     FROM (%(sources)s) c
                    WHERE %(window)s
                      AND NOT EXISTS (
                          SELECT 1 FROM xinfang_supervision s
                           WHERE s.petition_id = c.petition_id
                             AND s.assignment_id IS NOT DISTINCT FROM c.assignment_id
                             AND s.kind = %(kind)s AND s.deadline = c.deadline
                             AND %(recent)s)
                 ORDER BY c.deadline, c.petition_id LIMIT %(limit)s""",
                sources=sources,
                window=window,
                kind=kind,
                recent=recent,
                limit=limit,
            )
        )

    @api.model
    def _fetch(self, query):
        # The candidates are read from the database as it is now.
        self.env.flush_all()
        self.env.cr.execute(query)
        return self.env.cr.fetchall()

    @api.model
    def _recipients(self, company, rows):
        """Who is told of each candidate row, and the state of its record.

        Acceptance is the office's decision, so an item still in registration
        or awaiting acceptance goes to the petition office (its officers and
        manager); a handling-stage deadline goes to the department's petition
        contacts (head and named users), never to every member and never to
        the people the item accuses. Nobody to tell: the office is told, and
        the record says so (state "No Recipient")."""
        office = company._xinfang_users(OFFICER, MANAGER)
        petitions = self.env["xinfang.petition"].sudo().browse({r[0] for r in rows})
        petitions.fetch(["state", "accused_department_id", "accused_employee_id"])
        states = {petition.id: petition.state for petition in petitions}
        departments = (
            self.env["hr.department"].sudo().browse({r[2] for r in rows if r[2]})
        )
        departments.fetch(["manager_id", "xinfang_user_ids"])
        contacts = {
            department.id: department._xinfang_contacts() for department in departments
        }
        no_user = self.env["res.users"]
        audience = self._audience(office | no_user.union(*contacts.values()), petitions)
        result = []
        for petition_id, _assignment_id, department_id, _deadline in rows:
            if states[petition_id] in ("draft", "pending"):
                users = office
            else:
                users = contacts.get(department_id, no_user)
            users = audience(users, petition_id)
            if users:
                result.append((users, "sent"))
            else:
                result.append((audience(office, petition_id), "no_recipient"))
        return result

    @api.model
    def _audience(self, candidates, petitions):
        """A function (users, petition id) → those of the users who may read
        the item and are not accused by it: an activity or a notice carries
        its number and subject. One query per candidate user for the batch,
        whatever the number of items."""
        readable = self._readable_by(candidates, petitions.ids)
        accused = {
            petition.id: petition._xinfang_accused_users()
            for petition in petitions
            if petition.accused_department_id or petition.accused_employee_id
        }
        no_user = self.env["res.users"]

        def audience(users, petition_id):
            return (users - accused.get(petition_id, no_user)).filtered(
                lambda user: petition_id in readable[user]
            )

        return audience

    @api.model
    def _readable_by(self, users, petition_ids):
        """{user: ids of ``petition_ids`` the user may read}: one query per
        user, whatever the number of items."""
        Petition = self.env["xinfang.petition"]
        return {
            user: set(
                Petition.with_user(user)
                .browse(petition_ids)
                ._filtered_access("read")
                .ids
            )
            for user in users
        }

    @api.model
    def _create_from_rows(self, company, rows, kind, today):
        """One ``kind`` record per candidate row, sent to its recipients."""
        recipients = self._recipients(company, rows)
        return self.create(
            [
                {
                    "petition_id": petition_id,
                    "assignment_id": assignment_id,
                    "department_id": department_id,
                    "kind": kind,
                    "deadline": deadline,
                    "date": today,
                    "state": state,
                    "user_ids": [Command.set(users.ids)],
                }
                for (petition_id, assignment_id, department_id, deadline), (
                    users,
                    state,
                ) in zip(rows, recipients, strict=True)
            ]
        )

    @api.model
    def _make_reminders(self, company, today, rows):
        """催办预告: a supervision record, an activity per handler and a note."""
        records = self._create_from_rows(company, rows, "reminder", today)
        self._schedule_activities(
            records,
            lambda record: record.deadline,
            lambda record: self.env._(
                "Due on %s", format_date(self.env, record.deadline)
            ),
        )
        self._log_on_petitions(
            records,
            lambda record: self.env._(
                "Reminder (催办预告) %(number)s: deadline %(deadline)s.",
                number=record.name,
                deadline=format_date(self.env, record.deadline),
            ),
        )
        return records

    @api.model
    def _schedule_activities(self, records, deadline, summary):
        """An activity per recipient of each record on its petition, in one
        insert. Quick update: no assignment e-mail per activity (it would carry
        the subject); the record and the note are the notice."""
        self._xinfang_schedule(
            [
                (record.petition_id, user, deadline(record), summary(record))
                for record in records
                for user in record.user_ids
            ],
            "xinfang_module.mail_activity_type_supervision",
        )

    @api.model
    def _log_on_petitions(self, records, body):
        """One chatter note per petition for the whole batch, in one insert."""
        bodies = {}
        for record in records:
            bodies.setdefault(record.petition_id.id, []).append(body(record))
        records.petition_id._message_log_batch(
            bodies={key: " ".join(lines) for key, lines in bodies.items()}
        )

    def _office_texts(self, kind):
        """(activity summary, chatter note) of a record the office answers:
        the report back to the source body, the filing of a closed item."""
        texts = {
            "report_back_reminder": (
                lambda record: self.env._(
                    "Report back to the source body by %s",
                    format_date(self.env, record.deadline),
                ),
                lambda record: self.env._(
                    "Report back (报结预告) %(number)s: the source body expects "
                    "the result by %(deadline)s.",
                    number=record.name,
                    deadline=format_date(self.env, record.deadline),
                ),
            ),
            "report_back_notice": (
                lambda record: self.env._(
                    "Report back overdue since %s",
                    format_date(self.env, record.deadline),
                ),
                lambda record: self.env._(
                    "Report back overdue (逾期未报结) %(number)s: the source body "
                    "expected the result by %(deadline)s.",
                    number=record.name,
                    deadline=format_date(self.env, record.deadline),
                ),
            ),
            "filing_reminder": (
                lambda record: self.env._(
                    "File by %s", format_date(self.env, record.deadline)
                ),
                lambda record: self.env._(
                    "Filing due soon (归档预告) %(number)s: the closed item is "
                    "filed by %(deadline)s.",
                    number=record.name,
                    deadline=format_date(self.env, record.deadline),
                ),
            ),
            "filing_notice": (
                lambda record: self.env._(
                    "Filing overdue since %s", format_date(self.env, record.deadline)
                ),
                lambda record: self.env._(
                    "Filing overdue (逾期未归档) %(number)s: the closed item was "
                    "to be filed by %(deadline)s.",
                    number=record.name,
                    deadline=format_date(self.env, record.deadline),
                ),
            ),
        }
        return texts[kind]

    @api.model
    def _make_report_backs(self, company, today, rows, kind):
        """报结 and 归档 reminders and notices: the office does it, so the
        office is told (those of its users who may read the item), with an
        activity and a note on the item."""
        office = company._xinfang_users(OFFICER, MANAGER)
        petitions = self.env["xinfang.petition"].sudo().browse({r[0] for r in rows})
        audience = self._audience(office, petitions)
        users = [audience(office, row[0]) for row in rows]
        records = self.create(
            [
                {
                    # The office's to answer, not the department's: no
                    # department, so no handler reads or answers it.
                    "petition_id": petition_id,
                    "kind": kind,
                    "deadline": deadline,
                    "date": today,
                    "state": "sent" if told else "no_recipient",
                    "user_ids": [Command.set(told.ids)],
                }
                for (petition_id, _assignment, _department, deadline), told in zip(
                    rows, users, strict=True
                )
            ]
        )
        summary, note = self._office_texts(kind)
        self._schedule_activities(
            records, lambda record: max(record.deadline, today), summary
        )
        self._log_on_petitions(records, note)
        return records

    @api.model
    def _make_notices(self, company, today, rows):
        """督办通知 to the department's managers; escalation from the second."""
        records = self._create_from_rows(company, rows, "notice", today)
        # One rendering for the whole batch, not one per notice.
        self.env.ref("xinfang_module.mail_template_supervision_notice").send_mail_batch(
            records.filtered("user_ids").ids,
            email_layout_xmlid="mail.mail_notification_light",
        )
        self._log_on_petitions(
            records,
            lambda record: self.env._(
                "Supervision notice (督办通知) %(number)s: deadline %(deadline)s "
                "passed.",
                number=record.name,
                deadline=format_date(self.env, record.deadline),
            ),
        )
        # Escalate the items that have now received enough notices.
        counts = dict(
            self._read_group(
                [
                    ("petition_id", "in", records.petition_id.ids),
                    ("kind", "=", "notice"),
                ],
                ["petition_id"],
                ["__count"],
            )
        )
        to_escalate = records.petition_id.filtered(
            lambda p: counts.get(p, 0) >= company.xinfang_escalation_notices
            and not p.escalated
        )
        to_escalate._escalate(
            self.env._(
                "%s supervision notices without result.",
                company.xinfang_escalation_notices,
            )
        )
        return records
