from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.xinfang_reception_day import WEEKDAYS


class XinfangReceptionGenerator(models.TransientModel):
    """Publishes a recurring reception schedule (E2): given weekdays, a day of
    the month, or a weekly rota of leaders on given weekdays. Days already
    scheduled for the leader are not created twice; public holidays of the
    company calendar are skipped when asked."""

    _name = "xinfang.reception.generator"
    _description = "Reception Day Generator"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    mode = fields.Selection(
        [
            ("weekdays", "Every Week on Given Days"),
            ("month_day", "A Day of Each Month"),
            ("rota", "Weekly Rota of Leaders"),
        ],
        required=True,
        default="weekdays",
    )
    date_from = fields.Date(required=True, default=fields.Date.context_today)
    date_to = fields.Date(required=True)
    mon = fields.Boolean(string="Monday")
    tue = fields.Boolean(string="Tuesday")
    wed = fields.Boolean(string="Wednesday")
    thu = fields.Boolean(string="Thursday")
    fri = fields.Boolean(string="Friday")
    sat = fields.Boolean(string="Saturday")
    sun = fields.Boolean(string="Sunday")
    month_day = fields.Integer(string="Day of the Month", default=16)
    leader_id = fields.Many2one("res.users")
    rota_ids = fields.One2many("xinfang.reception.generator.rota", "generator_id")
    start_time = fields.Float(required=True, default=8.5)
    end_time = fields.Float(required=True, default=11.5)
    place = fields.Char()
    officer_ids = fields.Many2many("res.users", string="Attending Officers")
    capacity = fields.Integer(string="Appointment Slots", default=10)
    skip_holidays = fields.Boolean(
        string="Skip Public Holidays",
        default=True,
        help="Skip the public holidays of the company's working calendar.",
    )

    def _dates(self):
        """[(date, leader)] of the schedule, holidays skipped if asked."""
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The schedule ends before it starts."))
        if (self.date_to - self.date_from).days > 731:
            raise UserError(self.env._("Publish at most two years at a time."))
        weekdays = {i for i, name in enumerate(WEEKDAYS) if self[name]}
        if self.mode in ("weekdays", "rota") and not weekdays:
            raise UserError(self.env._("Tick at least one weekday."))
        if self.mode == "month_day" and not 1 <= self.month_day <= 31:
            raise UserError(self.env._("The day of the month is between 1 and 31."))
        leaders = self.rota_ids.sorted("sequence").user_id
        if self.mode == "rota" and not leaders:
            raise UserError(self.env._("Put at least one leader on the rota."))
        if self.mode != "rota" and not self.leader_id:
            raise UserError(self.env._("Choose the leader who receives."))
        skipped = set()
        if self.skip_holidays:
            skipped = self.company_id.resource_calendar_id._xinfang_holidays(
                self.date_from, self.date_to
            )
        # The rota turns every week, from the week of the first reception day.
        first_monday = None
        result = []
        day = self.date_from
        while day <= self.date_to:
            if day not in skipped:
                if self.mode == "month_day" and day.day == self.month_day:
                    result.append((day, self.leader_id))
                elif self.mode == "weekdays" and day.weekday() in weekdays:
                    result.append((day, self.leader_id))
                elif self.mode == "rota" and day.weekday() in weekdays:
                    first_monday = first_monday or day - timedelta(days=day.weekday())
                    week = (day - first_monday).days // 7
                    result.append((day, leaders[week % len(leaders)]))
            day += timedelta(days=1)
        return result

    def action_generate(self):
        self.ensure_one()
        planned = self._dates()
        Day = self.env["xinfang.reception.day"]
        existing = set()
        if planned:
            existing = {
                (day.date, day.leader_id)
                for day in Day.with_context(active_test=False).search(
                    [
                        (
                            "leader_id",
                            "in",
                            list({leader.id for _d, leader in planned}),
                        ),
                        ("date", ">=", self.date_from),
                        ("date", "<=", self.date_to),
                    ]
                )
            }
        days = Day.create(
            [
                {
                    "company_id": self.company_id.id,
                    "leader_id": leader.id,
                    "date": date,
                    "start_time": self.start_time,
                    "end_time": self.end_time,
                    "place": self.place,
                    "officer_ids": [Command.set(self.officer_ids.ids)],
                    "capacity": self.capacity,
                }
                for date, leader in planned
                if (date, leader) not in existing
            ]
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_reception_day_action"
        )
        action["domain"] = [("id", "in", days.ids)]
        action["views"] = [(False, "list"), (False, "form")]
        action["view_mode"] = "list,form"
        return action

    @api.onchange("mode")
    def _onchange_mode(self):
        if self.mode == "weekdays" and not any(self[name] for name in WEEKDAYS):
            self.mon = self.fri = True


class XinfangReceptionGeneratorRota(models.TransientModel):
    _name = "xinfang.reception.generator.rota"
    _description = "Reception Rota Line"
    _order = "sequence, id"

    generator_id = fields.Many2one(
        "xinfang.reception.generator", required=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one("res.users", string="Leader", required=True)
