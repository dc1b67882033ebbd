from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import clean_context

from .tools import count_by, list_separator
from .xinfang_petition import LEADER, MANAGER

VISIT_TYPES = [
    ("walk_in", "Walk-in Visit"),
    ("reception_day", "Leader Reception Day"),
    ("appointment", "Appointment (约访)"),
    ("onsite", "On-site Visit with a Case (带案下访)"),
    ("door_to_door", "Door-to-door Visit (上门回访)"),
]
OUTCOMES = [
    ("answered", "Answered on the Spot"),
    ("registered", "Registered as a Petition"),
    ("redirected", "Redirected"),
]
RISK_LEVELS = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("city", "May Go to the City"),
    ("province", "May Go to the Province"),
    ("beijing", "May Go to Beijing"),
]


# Naming a person as visitor is no way to read them: each must be readable.
VISITOR_FIELDS = ("petitioner_ids", "representative_ids")
# What happened at the visit: once its petition is registered, the petition
# is the record the office corrects.
RECORD_FIELDS = frozenset(
    {
        "visit_type",
        "date",
        "place",
        "subject",
        "petitioner_ids",
        "representative_ids",
        "people_count",
        "officer_ids",
        "leader_id",
        "said",
        "promise",
        "outcome",
        "competent_body",
    }
)


class XinfangVisit(models.Model):
    """来访 / 接访: one visit and what was said and promised (E1, E3, E4)."""

    _name = "xinfang.visit"
    _description = "Petition Visit"
    _inherit = [
        "xinfang.guard.mixin",
        "xinfang.numbered.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _xinfang_sequence_code = "xinfang.visit"
    _xinfang_number_date = "date"
    # Receiving, cancelling and the early warning set these.
    _xinfang_step_fields = frozenset({"name", "state", "registrar_id", "alert_sent"})
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    visit_type = fields.Selection(
        VISIT_TYPES, string="Type", required=True, default="walk_in", tracking=True
    )
    state = fields.Selection(
        [
            ("booked", "Booked"),
            ("received", "Received"),
            ("cancelled", "Cancelled"),
        ],
        default="received",
        required=True,
        index=True,
        tracking=True,
    )
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, tracking=True
    )
    place = fields.Char()
    subject = fields.Char(required=True, tracking=True)
    registrar_id = fields.Many2one(
        "res.users",
        string="Registered By",
        default=lambda self: self.env.user,
        index=True,
        readonly=True,
    )
    # Who came.
    petitioner_ids = fields.Many2many(
        "xinfang.petitioner",
        "xinfang_visit_petitioner_rel",
        "visit_id",
        "petitioner_id",
        string="Visitors",
        check_company=True,
    )
    visitor_names = fields.Char(
        compute="_compute_visitor_names",
        help="The visitors as this user may see them: a name it may not read "
        "shows as concealed.",
    )
    people_count = fields.Integer(string="Number of People", default=1, tracking=True)
    representative_ids = fields.Many2many(
        "xinfang.petitioner",
        "xinfang_visit_representative_rel",
        "visit_id",
        "petitioner_id",
        string="Representatives",
        check_company=True,
        help="E4: a collective visit chooses, among the visitors, at most the "
        "settings' number of representatives (default 5).",
    )
    # Who received them.
    officer_ids = fields.Many2many(
        "res.users",
        string="Receiving Officers",
        domain=[("share", "=", False)],
        default=lambda self: self.env.user,
    )
    leader_id = fields.Many2one("res.users", string="Receiving Leader", tracking=True)
    reception_day_id = fields.Many2one(
        "xinfang.reception.day",
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    notice_method = fields.Selection(
        [
            ("phone", "Phone"),
            ("sms", "SMS"),
            ("letter", "Letter"),
            ("oral", "In Person"),
        ],
        string="Appointment Notice",
        help="E3: how the petitioner was told the appointment.",
    )
    notice_date = fields.Date(string="Notified On")
    # What happened.
    said = fields.Text(string="What Was Said", prefetch=False)
    promise = fields.Text(string="What Was Promised", prefetch=False)
    promise_date = fields.Date(string="Promised By")
    outcome = fields.Selection(OUTCOMES, tracking=True)
    competent_body = fields.Char(
        help="When redirected: the competent body the visitors were sent to."
    )
    petition_ids = fields.One2many("xinfang.petition", "visit_id", string="Petitions")
    petition_count = fields.Integer(compute="_compute_petition_count")
    confidential = fields.Boolean(
        compute="_compute_confidential",
        store=True,
        help="A linked petition is confidential: only discipline and the office "
        "manager see the visit.",
    )
    # E4: collective, cross-level and abnormal visits.
    collective = fields.Boolean(compute="_compute_collective", store=True, index=True)
    cross_level = fields.Boolean(string="Cross-level (越级访)", tracking=True)
    abnormal = fields.Boolean(string="Abnormal (非正常访)", tracking=True)
    risk_level = fields.Selection(RISK_LEVELS, tracking=True)
    alert_sent = fields.Boolean(readonly=True, copy=False)
    checklist_ids = fields.One2many(
        "xinfang.visit.checklist", "visit_id", string="Contingency Plan Steps"
    )

    @api.depends("people_count", "company_id.xinfang_collective_threshold")
    def _compute_collective(self):
        for visit in self:
            visit.collective = (
                visit.people_count >= visit.company_id.xinfang_collective_threshold
            )

    @api.depends("petitioner_ids")
    @api.depends_context("uid")
    def _compute_visitor_names(self):
        # Handlers and leaders see the visit, not always every visitor: the
        # petitioner's own display name masks who they may not read.
        for visit in self:
            visit.visitor_names = ", ".join(
                visit.sudo().petitioner_ids.mapped("display_name")
            )

    @api.depends("petition_ids.confidential")
    def _compute_confidential(self):
        for visit in self:
            visit.confidential = any(visit.sudo().petition_ids.mapped("confidential"))

    def _compute_petition_count(self):
        counts = count_by(self, "xinfang.petition", "visit_id")
        for visit in self:
            visit.petition_count = counts.get(visit, 0)

    @api.constrains("people_count", "petitioner_ids", "representative_ids")
    def _check_people(self):
        for visit in self:
            if visit.people_count < 1:
                raise ValidationError(self.env._("A visit has at least one person."))
            if visit.people_count < len(visit.petitioner_ids):
                raise ValidationError(
                    self.env._(
                        "%s: more visitors are named than the number of people.",
                        visit.display_name,
                    )
                )
            if visit.representative_ids - visit.petitioner_ids:
                raise ValidationError(
                    self.env._("Representatives are chosen among the visitors.")
                )
            limit = visit.company_id.xinfang_visit_max_representatives
            if len(visit.representative_ids) > limit:
                raise ValidationError(
                    self.env._(
                        "A collective visit chooses at most %s representatives.",
                        limit,
                    )
                )

    @api.constrains("outcome", "competent_body")
    def _check_outcome(self):
        for visit in self:
            if visit.outcome == "redirected" and not visit.competent_body:
                raise ValidationError(
                    self.env._("Name the competent body the visitors were sent to.")
                )

    @api.depends("name", "subject")
    def _compute_display_name(self):
        for visit in self:
            visit.display_name = " ".join(filter(None, [visit.name, visit.subject]))

    @api.model_create_multi
    def create(self, vals_list):
        self._xinfang_check_targets(vals_list, VISITOR_FIELDS)
        if not self._xinfang_trusted():
            default_state = self.env.context.get("default_state")
            for vals in vals_list:
                # A visit is registered by who records it, walked in or
                # booked; its number and the early warning are the server's.
                state = vals.get("state", default_state) or "received"
                if state not in ("received", "booked"):
                    self._xinfang_refuse({"state"})
                vals.update(
                    state=state,
                    registrar_id=self.env.uid,
                    alert_sent=False,
                    name="/",
                )
        visits = super().create(vals_list)
        visits._raise_alerts()
        return visits

    def write(self, vals):
        self._xinfang_check_step_fields(vals)
        self._xinfang_check_targets([vals], VISITOR_FIELDS)
        if (
            RECORD_FIELDS & set(vals)
            and not self._xinfang_trusted()
            # Also the petitions the writer may not read.
            and any(visit.sudo().petition_ids for visit in self)
            and not self.env.user.has_group(MANAGER)
        ):
            # Who may not write the visit at all hears so first.
            self.check_access("write")
            raise UserError(
                self.env._(
                    "A visit registered as a petition is evidence: the office "
                    "corrects the petition (Correct Registration), not the visit."
                )
            )
        result = super().write(vals)
        if {"people_count", "cross_level", "abnormal"} & set(vals):
            self._raise_alerts()
        return result

    # ------------------------------------------------------------------
    # E4: early warning
    # ------------------------------------------------------------------

    def _raise_alerts(self):
        """Collective, cross-level or abnormal: tell the office managers and
        the leaders at once, and open the contingency plan's checklist. Once
        per visit."""
        alarming = self.filtered(
            lambda v: (v.collective or v.cross_level or v.abnormal) and not v.alert_sent
        )
        if not alarming:
            return
        Step = self.env["xinfang.contingency.step"].sudo()
        kinds_of = {}
        for visit in alarming.sudo():
            company = visit.company_id
            readers = company._xinfang_users(MANAGER, LEADER)
            kinds = [
                label
                for flag, label in (
                    (visit.collective, self.env._("collective")),
                    (visit.cross_level, self.env._("cross-level")),
                    (visit.abnormal, self.env._("abnormal")),
                )
                if flag
            ]
            kinds_of[visit] = list_separator(self.env).join(kinds)
            steps = Step.search([("company_id", "in", (company.id, False))])
            visit.write(
                {
                    "alert_sent": True,
                    "risk_level": visit.risk_level or "medium",
                    "checklist_ids": [
                        Command.create({"step_id": step.id, "name": step.name})
                        for step in steps
                    ],
                }
            )
            visit.message_post(
                body=self.env._(
                    "Early warning: %(kinds)s visit of %(count)s people, %(subject)s. "
                    "Follow the contingency plan.",
                    kinds=", ".join(kinds),
                    count=visit.people_count,
                    subject=visit.subject,
                ),
                partner_ids=readers.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        # G3: the immediate report (一事一报) is drafted for the office.
        reports = self.env["xinfang.info.report"]._propose_for_visits(
            alarming.sudo(), kinds_of
        )
        for report in reports:
            report.visit_id.message_post(
                body=self.env._(
                    "Immediate report %s drafted: report by phone at once, then "
                    "complete and submit it within two hours.",
                    report.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    @api.constrains("reception_day_id", "state", "visit_type")
    def _check_slot(self):
        for visit in self.filtered(
            lambda v: v.reception_day_id and v.visit_type == "appointment"
        ):
            day = visit.reception_day_id
            if day.appointment_count > day.capacity:
                raise ValidationError(
                    self.env._(
                        "All %s appointment slots of this day are taken.", day.capacity
                    )
                )

    @api.onchange("reception_day_id")
    def _onchange_reception_day_id(self):
        day = self.reception_day_id
        if day:
            self.leader_id = day.leader_id
            self.place = self.place or day.place
            if self.visit_type == "walk_in":
                self.visit_type = "reception_day"

    def action_record_notice(self):
        """The appointment notice to the petitioner (E3), in the chatter."""
        for visit in self:
            if not visit.notice_method:
                raise UserError(self.env._("Choose how the petitioner was told."))
            visit.notice_date = fields.Date.context_today(self)
            visit.message_post(
                body=self.env._(
                    "Appointment notice given (%(method)s): %(when)s, %(place)s.",
                    method=dict(
                        self._fields["notice_method"]._description_selection(self.env)
                    )[visit.notice_method],
                    when=fields.Datetime.context_timestamp(visit, visit.date).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    place=visit.place or "",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_receive(self):
        for visit in self:
            if visit.state != "booked":
                raise UserError(
                    self.env._("%s is not a booked appointment.", visit.display_name)
                )
        # The visit is when the visitors came, not when they were booked.
        self.check_access("write")
        self._xinfang_steps().write(
            {"state": "received", "date": fields.Datetime.now()}
        )
        return True

    def action_cancel(self):
        if any(visit.sudo().petition_ids for visit in self):
            raise UserError(
                self.env._("A visit registered as a petition cannot be cancelled.")
            )
        self.check_access("write")
        self._xinfang_steps().write({"state": "cancelled"})
        return True

    def action_create_petition(self):
        """One click: the visit's petition, with the visitors, the number of
        people and what was said, on the visit channel."""
        self.ensure_one()
        if self.state != "received":
            raise UserError(self.env._("Receive the visitors first."))
        if not self.said:
            raise UserError(
                self.env._("Write what was said before registering the petition.")
            )
        # The visit's form may carry default_* keys (e.g. booked from a
        # reception day): they are not the petition's.
        # (A dict replaces the context, which is the point: pylint-odoo's
        # advice to pass keywords would merge the default_* keys back.)
        # pylint: disable=context-overridden
        Petition = self.env["xinfang.petition"].with_context(
            clean_context(self.env.context)
        )
        # pylint: enable=context-overridden
        petition = Petition._xinfang_steps().create(self._petition_vals())
        self._xinfang_steps().write({"outcome": "registered"})
        self.message_post(
            body=self.env._("Registered as petition %s.", petition.name),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "xinfang.petition",
            "res_id": petition.id,
            "view_mode": "form",
        }

    def _petition_vals(self):
        petitioner = (self.representative_ids or self.petitioner_ids)[:1]
        joint = len(self.petitioner_ids) > 1
        return {
            "company_id": self.company_id.id,
            "channel": "visit",
            "visit_id": self.id,
            "registration_date": min(self.date, fields.Datetime.now()),
            "subject": self.subject,
            "content": self.said,
            "requests": self.promise and self.env._("Promised: %s", self.promise),
            "petitioner_id": petitioner.id,
            "anonymous": not self.petitioner_ids,
            "people_count": self.people_count,
            "joint": joint,
            # The other visitors sign with the petitioner; the visit's
            # representatives are the ones the item is answered through.
            "cosigner_ids": [Command.set((self.petitioner_ids - petitioner).ids)],
            "representative_ids": [
                Command.set(self.representative_ids.ids if joint else [])
            ],
            "place": self.place,
        }

    def action_view_petitions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_petition_action"
        )
        action["domain"] = [("visit_id", "=", self.id)]
        action["context"] = {"create": False}
        return action


class XinfangContingencyStep(models.Model):
    """A step of the organisation's contingency plan for abnormal visits
    (篇4 §5), copied as a checklist into every alarming visit."""

    _name = "xinfang.contingency.step"
    _description = "Contingency Plan Step"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", index=True)
    active = fields.Boolean(default=True)


class XinfangVisitChecklist(models.Model):
    _name = "xinfang.visit.checklist"
    _description = "Visit Contingency Checklist"
    _order = "visit_id, id"

    visit_id = fields.Many2one(
        "xinfang.visit", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="visit_id.company_id", store=True)
    step_id = fields.Many2one(
        "xinfang.contingency.step", string="Plan Step", ondelete="set null"
    )
    name = fields.Char(string="Step", required=True)
    done = fields.Boolean()
    done_by_id = fields.Many2one("res.users", readonly=True)
    done_time = fields.Datetime(readonly=True)
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                vals.pop("done_by_id", None)
                vals.pop("done_time", None)
                if vals.get("done"):
                    vals.update(
                        done_by_id=self.env.uid, done_time=fields.Datetime.now()
                    )
        return super().create(vals_list)

    def write(self, vals):
        # The steps come from the plan with the alert; who ticked one, and
        # when, is recorded, never written.
        if not self.env.su:
            moved = {"visit_id", "step_id", "name"} & set(vals)
            if moved:
                raise UserError(
                    self.env._(
                        "A contingency step stays what the plan made it: only "
                        "tick it and write a note."
                    )
                )
            vals = {
                key: value
                for key, value in vals.items()
                if key not in ("done_by_id", "done_time")
            }
        if vals.get("done"):
            vals = dict(vals, done_by_id=self.env.uid, done_time=fields.Datetime.now())
        elif "done" in vals:
            vals = dict(vals, done_by_id=False, done_time=False)
        return super().write(vals)
