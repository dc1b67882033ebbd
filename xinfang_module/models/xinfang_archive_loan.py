"""Borrowing archives (借阅, G2; 篇8 §九7: not without a leader's leave;
issue 17, item 5).

A loan is registered by the office from the borrower's letter: the items or
volumes, the purpose, the return date. The office manager approves it; a
loan of a confidential item is also approved by discipline (another
person). While it is lent, and until its return date, the borrower reads the
lent items (a record rule follows the loan): never after, never an identity
the borrower's own groups hide (the petitioner rules still apply), and never
an item that accuses the borrower.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .xinfang_petition import DISCIPLINE, MANAGER, OFFICER

LOAN_STATES = [
    ("draft", "Draft"),
    ("requested", "Awaiting Approval"),
    ("approved", "Approved"),
    ("lent", "Lent"),
    ("returned", "Returned to the Archive"),
    ("refused", "Refused"),
    ("cancelled", "Cancelled"),
]
# Loans that hold their items (no destruction while one is open).
OPEN_LOAN_STATES = ("requested", "approved", "lent")
PETITION_GROUPS = (
    "xinfang_module.group_xinfang_registrar",
    "xinfang_module.group_xinfang_handler",
    "xinfang_module.group_xinfang_leader",
)


class XinfangArchiveLoan(models.Model):
    _name = "xinfang.archive.loan"
    _description = "Archive Loan"
    _inherit = [
        "xinfang.guard.mixin",
        "xinfang.numbered.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _xinfang_sequence_code = "xinfang.archive.loan"
    _order = "request_date desc, id desc"
    _check_company_auto = True
    _xinfang_step_fields = frozenset(
        {
            "name",
            "state",
            "manager_approver_id",
            "manager_approval_date",
            "discipline_approver_id",
            "discipline_approval_date",
            "lent_date",
            "returned_date",
            "refusal_reason",
            "reminded_date",
            "overdue_notice_date",
        }
    )

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    requester_id = fields.Many2one(
        "res.users",
        string="Borrower",
        required=True,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
    )
    letter_ref = fields.Char(
        string="Request Letter",
        required=True,
        tracking=True,
        help="The borrower's letter (借阅函): its number or date.",
    )
    purpose = fields.Text(required=True)
    request_date = fields.Date(
        required=True, default=fields.Date.context_today, index=True
    )
    due_date = fields.Date(string="Return By", required=True, index=True, tracking=True)
    volume_ids = fields.Many2many(
        "xinfang.archive.volume",
        "xinfang_archive_loan_volume_rel",
        "loan_id",
        "volume_id",
        string="Volumes",
        check_company=True,
    )
    petition_ids = fields.Many2many(
        "xinfang.petition",
        "xinfang_archive_loan_petition_rel",
        "loan_id",
        "petition_id",
        string="Lent Items",
        check_company=True,
        context={"active_test": False},
    )
    volume_names = fields.Char(
        string="Lent Volumes",
        compute="_compute_volume_names",
        compute_sudo=True,
        help="The lent volumes' numbers, for the borrower, who does not read "
        "volumes.",
    )
    needs_discipline = fields.Boolean(
        string="Confidential Material",
        compute="_compute_needs_discipline",
        store=True,
        help="A confidential item is lent: discipline approves too.",
    )
    state = fields.Selection(
        LOAN_STATES, default="draft", required=True, index=True, tracking=True
    )
    manager_approver_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True
    )
    manager_approval_date = fields.Date(string="Approved On", readonly=True)
    discipline_approver_id = fields.Many2one(
        "res.users", string="Approved by Discipline", readonly=True
    )
    discipline_approval_date = fields.Date(
        string="Discipline Approval On", readonly=True
    )
    lent_date = fields.Date(string="Lent On", readonly=True, tracking=True)
    returned_date = fields.Date(string="Returned On", readonly=True, tracking=True)
    refusal_reason = fields.Text(readonly=True)
    reminded_date = fields.Date(readonly=True)
    overdue_notice_date = fields.Date(readonly=True)

    _sql_constraints = [
        (
            "due_after_request",
            "CHECK(due_date >= request_date)",
            "A loan is returned after it is requested.",
        )
    ]

    @api.depends("petition_ids.confidential", "volume_ids")
    def _compute_needs_discipline(self):
        Petition = self.env["xinfang.petition"].sudo().with_context(active_test=False)
        for loan in self:
            # Also what the writer may not read.
            named = loan.sudo()
            loan.needs_discipline = bool(
                named.petition_ids.filtered("confidential")
            ) or bool(
                named.volume_ids
                and Petition.search_count(
                    [
                        ("archive_volume_id", "in", named.volume_ids.ids),
                        ("confidential", "=", True),
                    ],
                    limit=1,
                )
            )

    @api.depends("volume_ids")
    def _compute_volume_names(self):
        for loan in self:
            loan.volume_names = ", ".join(loan.volume_ids.mapped("name"))

    def action_view_items(self):
        """The lent items, as the reader may read them (the borrower: while
        the loan runs)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_petition_action"
        )
        items = self._xinfang_items()
        action.update(
            name=self.env._("Items of Loan %s", self.name),
            domain=[("id", "in", items.ids)],
            context={"active_test": False},
        )
        return action

    def _xinfang_items(self):
        """Every item the loan lends: its items and its volumes' items."""
        loans = self.sudo()
        Petition = loans.env["xinfang.petition"].with_context(active_test=False)
        return loans.petition_ids | Petition.search(
            [("archive_volume_id", "in", loans.volume_ids.ids)]
        )

    def _xinfang_create_defaults(self):
        return {"name": "/", "state": "draft"}

    @api.model_create_multi
    def create(self, vals_list):
        self._xinfang_check_create_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._xinfang_check_step_fields(vals)
        if not self._xinfang_trusted():
            self.env["xinfang.petition"]._check_group(OFFICER)
            if any(loan.state != "draft" for loan in self):
                raise UserError(
                    self.env._(
                        "A loan is changed while it is a draft: once requested, "
                        "it follows its steps."
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Loans are the archive's register: cancel one instead.")
        )

    @api.constrains("company_id", "volume_ids", "petition_ids")
    def _check_one_company(self):
        # (A many2many's company check passes when any one record matches.)
        for loan in self.sudo():
            if (loan.volume_ids.company_id | loan.petition_ids.company_id) - (
                loan.company_id
            ):
                raise ValidationError(
                    self.env._(
                        "A loan lends volumes and items of its own company only."
                    )
                )

    @api.constrains("requester_id")
    def _check_requester(self):
        for loan in self:
            if not any(loan.requester_id.has_group(g) for g in PETITION_GROUPS):
                raise ValidationError(
                    self.env._(
                        "%s has no petition role: give them one before they "
                        "borrow archives.",
                        loan.requester_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def action_submit(self):
        """The office hands the request to the approvers."""
        self.env["xinfang.petition"]._check_group(OFFICER)
        self.check_access("write")
        self._check_state(("draft",), self.env._("submitted"))
        today = fields.Date.context_today(self)
        for loan in self:
            if loan.due_date < today:
                raise UserError(self.env._("The return date has passed."))
        self._xinfang_check_lendable()
        self._xinfang_steps().write({"state": "requested"})
        self._xinfang_ask_approval()
        return True

    def _xinfang_check_lendable(self):
        """What a loan may lend, checked when it is submitted and again when
        the material is handed over."""
        # What the loan names, also what the office may not read (a
        # confidential item the office manager named).
        for loan in self.sudo():
            if not (loan.volume_ids or loan.petition_ids):
                raise UserError(self.env._("Name the items or volumes to lend."))
            if loan.petition_ids.filtered(lambda p: not p.archive_volume_id):
                raise UserError(
                    self.env._("Only filed items are lent from the archive.")
                )
            if loan.volume_ids.filtered(
                lambda v: v.state not in ("closed", "transferred")
            ):
                raise UserError(
                    self.env._(
                        "Only compiled volumes are lent: an open volume still "
                        "takes items, a destroyed one holds none."
                    )
                )
            items = loan._xinfang_items()
            if loan.requester_id in items._xinfang_accused_users().sudo():
                raise UserError(
                    self.env._(
                        "%s is accused by one of the items: they may not borrow it.",
                        loan.requester_id.name,
                    )
                )
            if (
                loan.state == "approved"
                and items.filtered("confidential")
                and not loan.discipline_approver_id
            ):
                raise UserError(
                    self.env._(
                        "Loan %s now lends a confidential item: discipline "
                        "approves it first (cancel and register it again).",
                        loan.name,
                    )
                )

    def _xinfang_ask_approval(self):
        today = fields.Date.context_today(self)
        todos = []
        for loan in self:
            users = loan.company_id._xinfang_users(MANAGER)
            if loan.needs_discipline:
                users |= loan.company_id._xinfang_users(DISCIPLINE)
            summary = self.env._("Approve loan %s", loan.name)
            todos += [(loan, user, today, summary) for user in users]
        self.sudo()._xinfang_schedule(todos, "mail.mail_activity_data_todo")

    def action_approve(self):
        """The office manager approves; for confidential material discipline
        approves too, and not as the same person."""
        user = self.env.user
        Petition = self.env["xinfang.petition"]
        Petition._check_group(MANAGER, DISCIPLINE)
        self.check_access("read")
        self._check_state(("requested",), self.env._("approved"))
        today = fields.Date.context_today(self)
        for loan in self:
            manager = user.has_group(MANAGER) and not loan.manager_approver_id
            # Discipline's own approval: not the office managers' (their
            # group implies discipline's).
            discipline = (
                user.has_group(DISCIPLINE)
                and not user.has_group(MANAGER)
                and loan.needs_discipline
                and not loan.discipline_approver_id
            )
            if not (manager or discipline):
                raise UserError(
                    self.env._(
                        "Loan %s waits for another approver (a confidential "
                        "item: a member of discipline inspection who is not an "
                        "office manager).",
                        loan.name,
                    )
                )
            values = (
                {"manager_approver_id": user.id, "manager_approval_date": today}
                if manager
                else {
                    "discipline_approver_id": user.id,
                    "discipline_approval_date": today,
                }
            )
            done = (values.get("manager_approver_id") or loan.manager_approver_id) and (
                not loan.needs_discipline
                or values.get("discipline_approver_id")
                or loan.discipline_approver_id
            )
            if done:
                values["state"] = "approved"
            loan._xinfang_steps().sudo().write(values)
            # Once approved, nobody is asked any more.
            loan.sudo().activity_unlink(
                ["mail.mail_activity_data_todo"],
                user_id=None if values.get("state") else user.id,
            )
            loan.sudo().message_post(
                body=self.env._("Approved by %s.", user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_refuse(self, reason=None):
        self.env["xinfang.petition"]._check_group(MANAGER, DISCIPLINE)
        self.check_access("read")
        self._check_state(("requested",), self.env._("refused"))
        self._xinfang_steps().sudo().write(
            {"state": "refused", "refusal_reason": reason or False}
        )
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_lend(self):
        """The office hands the material over."""
        self.env["xinfang.petition"]._check_group(OFFICER)
        self.check_access("write")
        self._check_state(("approved",), self.env._("lent"))
        self._xinfang_check_lendable()
        today = fields.Date.context_today(self)
        if any(loan.due_date < today for loan in self):
            raise UserError(
                self.env._("The return date has passed: register a new loan.")
            )
        self._xinfang_steps().write({"state": "lent", "lent_date": today})
        return True

    def action_return(self):
        self.env["xinfang.petition"]._check_group(OFFICER)
        self.check_access("write")
        self._check_state(("lent",), self.env._("returned"))
        self._xinfang_steps().write(
            {"state": "returned", "returned_date": fields.Date.context_today(self)}
        )
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_cancel(self):
        self.env["xinfang.petition"]._check_group(OFFICER)
        self.check_access("write")
        self._check_state(("draft", "requested", "approved"), self.env._("cancelled"))
        self._xinfang_steps().write({"state": "cancelled"})
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        return True

    # ------------------------------------------------------------------
    # Return reminders (scheduled action)
    # ------------------------------------------------------------------

    @api.model
    def _cron_loan_reminders(self, batch_size=200):
        """Remind the borrower before the return date and tell the borrower
        and the office after it (again every notice interval); a second run
        the same day finds nothing to do."""
        done = remaining = 0
        for company, today in self.env["res.company"]._xinfang_cron_days(
            "_cron_loan_reminders"
        ):
            watch = self.with_context(lang=company._xinfang_lang())
            soon = company._xinfang_add_days(today, "due_soon")
            since = today - timedelta(days=company.xinfang_notice_interval_days or 1)
            kinds = (
                (
                    "reminded_date",
                    [
                        ("due_date", ">=", today),
                        ("due_date", "<=", soon),
                        ("reminded_date", "=", False),
                    ],
                ),
                (
                    "overdue_notice_date",
                    [
                        ("due_date", "<", today),
                        "|",
                        ("overdue_notice_date", "=", False),
                        ("overdue_notice_date", "<=", since),
                    ],
                ),
            )
            office = company._xinfang_users(OFFICER)
            for field, domain in kinds:
                domain = [("company_id", "=", company.id), ("state", "=", "lent")] + (
                    domain
                )
                if done >= batch_size:
                    # (A search without room would have no limit at all.)
                    remaining += watch.sudo().search_count(domain)
                    continue
                loans = watch.sudo().search(domain, limit=batch_size - done)
                overdue = field == "overdue_notice_date"
                summaries = {
                    loan: (
                        watch.env._("Loan %(loan)s overdue since %(date)s")
                        if overdue
                        else watch.env._("Return loan %(loan)s by %(date)s")
                    )
                    % {"loan": loan.name, "date": loan.due_date}
                    for loan in loans
                }
                # The borrower; after the date, the office too.
                watch.sudo()._xinfang_schedule(
                    [
                        (loan, user, max(loan.due_date, today), summaries[loan])
                        for loan in loans
                        for user in loan.requester_id
                        | (office if overdue else office.browse())
                    ],
                    "mail.mail_activity_data_todo",
                )
                loans._message_log_batch(
                    bodies={loan.id: summary for loan, summary in summaries.items()}
                )
                loans._xinfang_steps().write({field: today})
                done += len(loans)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done


class XinfangArchiveVolume(models.Model):
    _inherit = "xinfang.archive.volume"

    loan_ids = fields.Many2many(
        "xinfang.archive.loan",
        "xinfang_archive_loan_volume_rel",
        "volume_id",
        "loan_id",
        string="Loans",
    )


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    archive_loan_ids = fields.Many2many(
        "xinfang.archive.loan",
        "xinfang_archive_loan_petition_rel",
        "petition_id",
        "loan_id",
        string="Loans",
        copy=False,
        groups="xinfang_module.group_xinfang_officer,"
        "xinfang_module.group_xinfang_leader,"
        "xinfang_module.group_xinfang_discipline",
    )


class ReportArchiveLoans(models.AbstractModel):
    """The register of loans (借阅登记簿): the selected loans, each with what
    it lent; an item the reader may not open is named by its number only."""

    _name = "report.xinfang_module.report_archive_loans"
    _description = "Loan Register"

    @api.model
    def _get_report_values(self, docids, data=None):
        loans = self.env["xinfang.archive.loan"].browse(docids)
        loans.check_access("read")
        lines = {}
        for loan in loans:
            items = loan.petition_ids.sudo()
            readable = items.with_env(self.env)._filtered_access("read")
            names = [
                f"{item.name} {item.subject}" if item in readable else item.name
                for item in items
            ]
            # With the volume the item is kept in.
            names = [
                f"{name} ({item.archive_volume_id.name})"
                if item.archive_volume_id
                else name
                for name, item in zip(names, items, strict=True)
            ]
            lines[loan] = loan.volume_ids.sudo().mapped("name") + names
        return {
            "doc_ids": loans.ids,
            "doc_model": "xinfang.archive.loan",
            "docs": loans.sorted(lambda loan: (loan.request_date, loan.id)),
            "lines": lines,
        }
