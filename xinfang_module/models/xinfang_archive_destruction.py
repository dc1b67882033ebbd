"""Retention and destruction (销毁, A5 and G2; issue 17, item 6).

A volume is kept for its retention period, counted in full years after its
year; a repeat letter (重复信访件) for the years the settings say (A5: 3).
The retention watch puts what is due on the company's draft destruction list
and asks the office manager. A list is approved by the office manager and,
when the settings ask, by a leader; approving fixes the items it may
destroy. Destroying empties the content of the items' files and keeps their
metadata, the items and the list (who, when, approval). It never touches an
item under a legal hold — an open 复查/复核 of it, an open loan, or discipline's
hold — and never an item not on the approved list; it works in batches and a
run stopped half-way resumes where it was.
"""

from datetime import date

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .xinfang_archive import RETENTION_YEARS
from .xinfang_archive_loan import OPEN_LOAN_STATES
from .xinfang_petition import DISCIPLINE, LEADER, MANAGER, OFFICER

DESTRUCTION_STATES = [
    ("draft", "Draft"),
    ("submitted", "Awaiting Approval"),
    ("approved", "Approved"),
    ("done", "Destroyed"),
    ("refused", "Refused"),
]


class XinfangArchiveDestruction(models.Model):
    _name = "xinfang.archive.destruction"
    _description = "Archive Destruction List"
    _inherit = [
        "xinfang.guard.mixin",
        "xinfang.numbered.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _xinfang_sequence_code = "xinfang.archive.destruction"
    _order = "id desc"
    _check_company_auto = True
    _xinfang_step_fields = frozenset(
        {
            "name",
            "state",
            "leader_needed",
            "manager_approver_id",
            "manager_approval_date",
            "leader_approver_id",
            "leader_approval_date",
            "approved_item_ids",
            "destroyed_item_ids",
            "held_item_ids",
            "executed_by",
            "done_date",
        }
    )

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    reason = fields.Text(
        default=lambda self: self.env._("Retention period ended."), required=True
    )
    volume_ids = fields.Many2many(
        "xinfang.archive.volume",
        "xinfang_archive_destruction_volume_rel",
        "destruction_id",
        "volume_id",
        string="Volumes",
        check_company=True,
    )
    petition_ids = fields.Many2many(
        "xinfang.petition",
        "xinfang_archive_destruction_petition_rel",
        "destruction_id",
        "petition_id",
        string="Listed Items",
        check_company=True,
        context={"active_test": False},
        help="Items destroyed on their own (repeat letters kept 3 years).",
    )
    state = fields.Selection(
        DESTRUCTION_STATES, default="draft", required=True, index=True, tracking=True
    )
    leader_needed = fields.Boolean(readonly=True)
    manager_approver_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True
    )
    manager_approval_date = fields.Date(string="Approved On", readonly=True)
    leader_approver_id = fields.Many2one(
        "res.users", string="Approved by Leader", readonly=True
    )
    leader_approval_date = fields.Date(string="Leader Approval On", readonly=True)
    approved_item_ids = fields.Many2many(
        "xinfang.petition",
        "xinfang_archive_destruction_approved_rel",
        "destruction_id",
        "petition_id",
        string="Approved Items",
        readonly=True,
        context={"active_test": False},
    )
    destroyed_item_ids = fields.Many2many(
        "xinfang.petition",
        "xinfang_archive_destruction_done_rel",
        "destruction_id",
        "petition_id",
        string="Destroyed Items",
        readonly=True,
        context={"active_test": False},
    )
    held_item_ids = fields.Many2many(
        "xinfang.petition",
        "xinfang_archive_destruction_held_rel",
        "destruction_id",
        "petition_id",
        string="Held Items",
        readonly=True,
        context={"active_test": False},
        help="Items under a legal hold when the list was carried out: kept.",
    )
    executed_by = fields.Many2one("res.users", readonly=True)
    done_date = fields.Date(string="Destroyed On", readonly=True)

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
            if any(record.state != "draft" for record in self):
                raise UserError(
                    self.env._(
                        "A destruction list is changed while it is a draft: once "
                        "submitted, it is approved as it is."
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Destruction lists are the proof of what was destroyed: they "
                "are never deleted."
            )
        )

    @api.constrains("company_id", "volume_ids", "petition_ids")
    def _check_one_company(self):
        # (A many2many's company check passes when any one record matches.)
        for record in self.sudo():
            others = record.volume_ids.company_id | record.petition_ids.company_id
            if others - record.company_id:
                raise ValidationError(
                    self.env._(
                        "A destruction list names volumes and items of its own "
                        "company only."
                    )
                )

    def _xinfang_not_due(self):
        """Volumes and items of the list still within their retention."""
        today = self.company_id._xinfang_today()
        volumes = self.volume_ids.filtered(
            lambda v: not v.retention_end or v.retention_end >= today
        )
        return volumes or self.petition_ids.sudo().filtered(
            lambda p: not p.archive_retention_end or p.archive_retention_end >= today
        )

    def _xinfang_listed_items(self):
        """The items a list names: its items and its volumes' items."""
        Petition = self.env["xinfang.petition"].sudo().with_context(active_test=False)
        items = self.sudo().petition_ids | Petition.search(
            [("archive_volume_id", "in", self.sudo().volume_ids.ids)]
        )
        return items.filtered(lambda item: item.company_id == self.company_id)

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def action_submit(self):
        self.env["xinfang.petition"]._check_group(OFFICER)
        self.check_access("write")
        self._check_state(("draft",), self.env._("submitted"))
        for record in self:
            if not (record.volume_ids or record.petition_ids):
                raise UserError(self.env._("The list names no volume and no item."))
            if record.volume_ids.filtered(
                lambda v: v.state not in ("closed", "transferred")
            ):
                raise UserError(
                    self.env._("Only compiled or transferred volumes are destroyed.")
                )
            early = record._xinfang_not_due()
            if early:
                raise UserError(
                    self.env._(
                        "%s is still within its retention period.",
                        early[0].display_name,
                    )
                )
            record._xinfang_steps().write(
                {
                    "state": "submitted",
                    "leader_needed": record.company_id.xinfang_destruction_leader,
                }
            )
        self._xinfang_ask(MANAGER)
        return True

    def _xinfang_ask(self, group, summary=None, but=None):
        """A to-do on each list for the users of ``group`` (but ``but``), in
        one insert."""
        today = fields.Date.context_today(self)
        summary = summary or self.env._("Approve destruction list %s")
        self.sudo()._xinfang_schedule(
            [
                (record, user, today, summary % record.name)
                for record in self
                for user in record.company_id._xinfang_users(group)
                - (but or self.env["res.users"])
            ],
            "mail.mail_activity_data_todo",
        )

    def action_approve(self):
        """The office manager approves, then (if the settings ask) a leader,
        as another person. The last approval fixes the items: nothing else
        is ever destroyed by the list."""
        user = self.env.user
        self.env["xinfang.petition"]._check_group(MANAGER, LEADER)
        self.check_access("read")
        self._check_state(("submitted",), self.env._("approved"))
        today = fields.Date.context_today(self)
        for record in self:
            if not record.manager_approver_id:
                if not user.has_group(MANAGER):
                    raise UserError(
                        self.env._("The office manager approves the list first.")
                    )
                values = {
                    "manager_approver_id": user.id,
                    "manager_approval_date": today,
                }
                final = not record.leader_needed
            else:
                if record.manager_approver_id == user or not user.has_group(LEADER):
                    raise UserError(
                        self.env._(
                            "Destruction list %s waits for a leader's approval, "
                            "by another person than the office manager.",
                            record.name,
                        )
                    )
                values = {"leader_approver_id": user.id, "leader_approval_date": today}
                final = True
            if final and record._xinfang_not_due():
                raise UserError(
                    self.env._(
                        "%s is within its retention period again: the list is "
                        "not approved.",
                        record._xinfang_not_due()[0].display_name,
                    )
                )
            if final:
                values.update(
                    state="approved",
                    approved_item_ids=[Command.set(record._xinfang_listed_items().ids)],
                )
            record._xinfang_steps().sudo().write(values)
            record.sudo().activity_unlink(
                ["mail.mail_activity_data_todo"], user_id=None if final else user.id
            )
            if not final:
                record._xinfang_ask(LEADER, but=user)
            record.sudo().message_post(
                body=self.env._("Approved by %s.", user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_refuse(self):
        self.env["xinfang.petition"]._check_group(MANAGER, LEADER)
        self.check_access("read")
        self._check_state(("submitted",), self.env._("refused"))
        self._xinfang_steps().sudo().write({"state": "refused"})
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_destroy(self):
        """Carry out an approved list (the office), in batches."""
        self.env["xinfang.petition"]._check_group(OFFICER)
        self.check_access("write")
        self._check_state(("approved",), self.env._("carried out"))
        for record in self:
            while record.state == "approved":
                record.sudo()._xinfang_destroy_batch(executor=self.env.user)
        return True

    # ------------------------------------------------------------------
    # Destroying
    # ------------------------------------------------------------------

    def _xinfang_held(self, items):
        """The items among ``items`` under a legal hold."""
        items = items.sudo().with_context(active_test=False)
        Petition = items.browse()
        held = items.filtered("archive_legal_hold")
        # An open 复查/复核 of the item (its chain goes on).
        reviews = Petition.search(
            [
                ("parent_id", "in", items.ids),
                ("state", "in", Petition._open_states()),
            ]
        )
        held |= reviews.parent_id
        # An open loan of the item or of its volume.
        loans = (
            self.env["xinfang.archive.loan"]
            .sudo()
            .search(
                [
                    ("state", "in", OPEN_LOAN_STATES),
                    "|",
                    ("petition_ids", "in", items.ids),
                    ("volume_ids", "in", items.archive_volume_id.ids),
                ]
            )
        )
        held |= items & (
            loans.petition_ids
            | items.filtered(lambda p: p.archive_volume_id in loans.volume_ids)
        )
        return held

    def _xinfang_destroy_batch(self, batch_size=100, executor=None):
        """Destroy the next ``batch_size`` approved items: empty their files'
        content, keep the metadata. Only items on the approved list, never a
        held one; what is done is recorded with it, so a run stopped after a
        batch resumes with the next."""
        self.ensure_one()
        early = self._xinfang_not_due()
        if early:
            # A retention lengthened after approval: nothing is destroyed.
            raise UserError(
                self.env._(
                    "%s is within its retention period: the list is not carried "
                    "out.",
                    early[0].display_name,
                )
            )
        todo = (
            self.approved_item_ids - self.destroyed_item_ids - self.held_item_ids
        ).sorted(lambda item: (item.archive_volume_id.id, item.archive_number, item.id))
        batch = todo[:batch_size]
        held = self._xinfang_held(batch)
        batch -= held
        today = self.company_id._xinfang_today()
        files = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", "xinfang.petition"), ("res_id", "in", batch.ids)]
            )
        )
        label = self.env._(
            "Destroyed by list %(list)s on %(date)s.", list=self.name, date=today
        )
        files.write({"raw": b"", "description": label})
        batch.with_context(mail_notrack=True)._xinfang_steps().write(
            {"archive_destroyed_date": today, "archive_destruction_id": self.id}
        )
        batch._message_log_batch(bodies=dict.fromkeys(batch.ids, label))
        values = {
            "destroyed_item_ids": [Command.link(item.id) for item in batch],
            "held_item_ids": [Command.link(item.id) for item in held],
        }
        if len(todo) <= batch_size:
            values.update(
                state="done",
                done_date=today,
                executed_by=(executor or self.env.user).id,
            )
        self._xinfang_steps().write(values)
        if len(todo) <= batch_size:
            self._xinfang_finish()
        return len(batch)

    def _xinfang_finish(self):
        """Volumes whose every item is destroyed are destroyed; a note names
        what was held."""
        for volume in self.volume_ids:
            left = (
                volume.sudo()
                .item_ids.with_context(active_test=False)
                .filtered(lambda p: not p.archive_destroyed_date)
            )
            if not left:
                volume._xinfang_steps().sudo().write({"state": "destroyed"})
        body = self.env._(
            "Destruction carried out: %(done)s item(s) destroyed, %(held)s held.",
            done=len(self.destroyed_item_ids),
            held=len(self.held_item_ids),
        )
        if self.held_item_ids:
            body += " " + self.env._(
                "Held (legal hold, open review or loan): %s",
                ", ".join(self.held_item_ids.mapped("name")),
            )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    @api.model
    def _cron_destroy(self, batch_size=100):
        """Carry on approved lists a batch at a time (a list carried out from
        the form does it at once)."""
        if not self.env["res.company"]._xinfang_cron_alone("_cron_destroy"):
            return 0
        lists = (
            self.sudo()
            .search([("state", "=", "approved")])
            .filtered(lambda record: not record._xinfang_not_due())[:1]
        )
        done = lists._xinfang_destroy_batch(batch_size) if lists else 0
        remaining = self.sudo().search_count([("state", "=", "approved")])
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    # ------------------------------------------------------------------
    # Retention watch (scheduled action)
    # ------------------------------------------------------------------

    @api.model
    def _cron_retention_watch(self, batch_size=500):
        """Put the volumes and repeat letters whose retention ended on the
        company's draft list (made when there is none) and ask the office
        manager. What is on any list not refused is not listed again."""
        done = 0
        Volume = self.env["xinfang.archive.volume"].sudo()
        Petition = self.env["xinfang.petition"].sudo().with_context(active_test=False)
        for company, today in self.env["res.company"]._xinfang_cron_days(
            "_cron_retention_watch"
        ):
            listed = self.sudo().search(
                [("company_id", "=", company.id), ("state", "!=", "refused")]
            )
            volumes = Volume.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("closed", "transferred")),
                    ("retention_end", "<", today),
                    ("id", "not in", listed.volume_ids.ids),
                ],
                limit=batch_size,
            )
            items = Petition.search(
                [
                    ("company_id", "=", company.id),
                    ("archive_retention_end", "<", today),
                    ("archive_destroyed_date", "=", False),
                    ("id", "not in", listed.petition_ids.ids),
                ],
                limit=batch_size,
            )
            if not (volumes or items):
                continue
            draft = listed.filtered(lambda record: record.state == "draft")[:1]
            if not draft:
                draft = (
                    self.sudo()
                    .with_context(lang=company._xinfang_lang())
                    .create({"company_id": company.id})
                )
                draft._xinfang_ask(
                    MANAGER,
                    summary=draft.env._("Retention ended: review destruction list %s"),
                )
            draft._xinfang_steps().write(
                {
                    "volume_ids": [Command.link(v.id) for v in volumes],
                    "petition_ids": [Command.link(p.id) for p in items],
                }
            )
            done += len(volumes) + len(items)
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        return done


class XinfangArchiveVolume(models.Model):
    _inherit = "xinfang.archive.volume"

    retention_end = fields.Date(
        compute="_compute_retention_end",
        store=True,
        index=True,
        help="The last day the volume is kept: its retention period in full "
        "years after its year. Permanent volumes: none.",
    )

    @api.depends("year", "retention")
    def _compute_retention_end(self):
        for volume in self:
            years = RETENTION_YEARS.get(volume.retention)
            volume.retention_end = (
                date(volume.year + years, 12, 31) if years and volume.year else False
            )


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    archive_legal_hold = fields.Boolean(
        string="Legal Hold",
        readonly=True,
        copy=False,
        tracking=True,
        help="Discipline keeps the item from destruction.",
    )
    archive_retention_end = fields.Date(
        string="Kept Until",
        compute="_compute_archive_retention_end",
        store=True,
        index=True,
        help="A filed repeat letter is kept for the years the settings say "
        "(A5: 3), counted from its closure; other items follow their volume.",
    )
    archive_destroyed_date = fields.Date(
        string="Destroyed On", readonly=True, copy=False
    )
    archive_destruction_id = fields.Many2one(
        "xinfang.archive.destruction",
        string="Destruction List",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    @api.depends(
        "repeat_of_id", "close_date", "state", "company_id.xinfang_repeat_keep_years"
    )
    def _compute_archive_retention_end(self):
        for petition in self:
            years = petition.company_id.xinfang_repeat_keep_years
            petition.archive_retention_end = (
                date(petition.close_date.year + years, 12, 31)
                if petition.repeat_of_id
                and petition.state == "filed"
                and petition.close_date
                and years
                else False
            )

    def action_legal_hold(self):
        """Discipline keeps the items from destruction (and lifts it)."""
        self._check_group(DISCIPLINE)
        self.check_access("read")
        # One decision for the selection: hold them all unless all are held.
        hold = not all(self.mapped("archive_legal_hold"))
        self._xinfang_steps().sudo().write({"archive_legal_hold": hold})
        self.sudo()._log(
            self.env._("Legal hold set by discipline.")
            if hold
            else self.env._("Legal hold lifted by discipline.")
        )
        return True
