from collections import Counter
from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


def float_to_time(hours):
    minutes = round(hours * 60)
    return time(min(minutes // 60, 23), minutes % 60)


class XinfangReceptionDay(models.Model):
    """A leader's published reception day (领导接待日, E2): when, where, the
    officers who must attend, and the visits received."""

    _name = "xinfang.reception.day"
    _description = "Leader Reception Day"
    _inherit = ["mail.thread"]
    _order = "date desc, start_time, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    leader_id = fields.Many2one("res.users", required=True, index=True, tracking=True)
    date = fields.Date(required=True, index=True, tracking=True)
    start_time = fields.Float(required=True, default=8.5)
    end_time = fields.Float(required=True, default=11.5)
    start = fields.Datetime(compute="_compute_start_stop", store=True)
    stop = fields.Datetime(compute="_compute_start_stop", store=True)
    place = fields.Char(tracking=True)
    officer_ids = fields.Many2many(
        "res.users",
        "xinfang_reception_day_officer_rel",
        "day_id",
        "user_id",
        string="Attending Officers",
        domain=[("share", "=", False)],
    )
    capacity = fields.Integer(
        string="Appointment Slots",
        default=10,
        help="E3: appointments this reception day can take.",
    )
    visit_ids = fields.One2many("xinfang.visit", "reception_day_id", string="Visits")
    appointment_count = fields.Integer(compute="_compute_counts")
    visit_count = fields.Integer(compute="_compute_counts")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "leader_date_unique",
            "UNIQUE(leader_id, date, start_time)",
            "This leader already has a reception day at that time.",
        )
    ]

    @api.depends("date", "start_time", "end_time", "company_id")
    def _compute_start_stop(self):
        for day in self:
            if not day.date:
                day.start = day.stop = False
                continue
            tz = pytz.timezone(
                day.company_id.resource_calendar_id.tz or "Asia/Shanghai"
            )

            def utc(hours, day=day, tz=tz):
                local = tz.localize(datetime.combine(day.date, float_to_time(hours)))
                return local.astimezone(pytz.utc).replace(tzinfo=None)

            day.start = utc(day.start_time)
            day.stop = utc(max(day.end_time, day.start_time))

    @api.depends("visit_ids.state", "visit_ids.visit_type")
    def _compute_counts(self):
        # Slots are taken by every booking, also those of visits the user
        # may not read: count them as superuser (numbers name nobody).
        groups = (
            self.env["xinfang.visit"]
            .sudo()
            ._read_group(
                [("reception_day_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["reception_day_id", "visit_type", "state"],
                ["__count"],
            )
        )
        appointments, received = Counter(), Counter()
        for day, visit_type, state, count in groups:
            if visit_type == "appointment":
                appointments[day.id] += count
            if state == "received":
                received[day.id] += count
        for day in self:
            day.appointment_count = appointments[day.id]
            day.visit_count = received[day.id]

    @api.depends("leader_id", "date")
    def _compute_display_name(self):
        for day in self:
            day.display_name = f"{day.date or ''} {day.leader_id.name or ''}".strip()

    @api.constrains("start_time", "end_time")
    def _check_times(self):
        for day in self:
            if not 0 <= day.start_time < day.end_time <= 24:
                raise ValidationError(
                    self.env._("A reception day starts before it ends.")
                )

    def action_book_appointment(self):
        """约访: a booked visit in one of this day's slots."""
        self.ensure_one()
        if self.date < fields.Date.context_today(self):
            raise UserError(self.env._("This reception day is over."))
        if self.appointment_count >= self.capacity:
            raise UserError(
                self.env._(
                    "All %s appointment slots of this day are taken.", self.capacity
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "xinfang.visit",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_visit_type": "appointment",
                "default_state": "booked",
                "default_reception_day_id": self.id,
                "default_leader_id": self.leader_id.id,
                "default_place": self.place,
                "default_date": fields.Datetime.to_string(self.start),
                "default_officer_ids": self.officer_ids.ids,
            },
        }

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_visit_action"
        )
        action["domain"] = [("reception_day_id", "=", self.id)]
        action["context"] = {"default_reception_day_id": self.id}
        return action


# The generator's weekdays: Monday is 0, as in date.weekday().
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
