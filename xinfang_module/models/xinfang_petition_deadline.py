"""Deadlines (B1, C1, D1): the acceptance and handling deadlines on the
working calendar, the next deadline and its status, refreshed daily."""

from odoo import api, fields, models

from .xinfang_petition import (
    DEADLINE_STATUSES,
)


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

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
        for company, today in self.env["res.company"]._xinfang_cron_days(
            "_cron_refresh_deadline_status"
        ):
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
