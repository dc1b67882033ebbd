"""Repeats (重复信访, A5): linking an item to the one it repeats, merging
calls of one matter, and the candidates offered at registration."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from .xinfang_petition import (
    DONE_STATES,
    STATES,
    subject_similarity,
)


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    repeat_of_id = fields.Many2one(
        "xinfang.petition",
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="重复信访: the original item this one repeats.",
    )

    repeat_ids = fields.One2many("xinfang.petition", "repeat_of_id", string="Repeats")

    repeat_count = fields.Integer(compute="_compute_repeat_count")

    merged_into_id = fields.Many2one(
        "xinfang.petition",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )

    repeat_candidate_count = fields.Integer(
        string="Possible Repeats", compute="_compute_repeat_candidate_count"
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

    @api.constrains("repeat_of_id")
    def _check_repeat_of_id(self):
        if self._has_cycle("repeat_of_id"):
            raise ValidationError(
                self.env._("A petition cannot be a repeat of itself or of its repeats.")
            )

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
