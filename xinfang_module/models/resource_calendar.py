import csv
from datetime import datetime, time, timedelta

import pytz

from odoo import fields, models
from odoo.tools.misc import file_open

# Sources of data/prc_public_holidays.csv:
# - 2026: 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号),
#   holidays and make-up workdays (调休上班) as published;
# - 2027: the statutory days of 《全国年节及纪念日放假办法》 (2024 revision) on the
#   2027 lunar calendar only. The State Council publishes the 2027 bridging
#   days and make-up workdays in late 2026: add them to the company calendar
#   (global leaves and dated attendances) when they are out.
HOLIDAYS_FILE = "xinfang_module/data/prc_public_holidays.csv"


class ResourceCalendar(models.Model):
    """The working calendar as the petition office counts on it: its public
    holidays (global leaves) are days off, its dated attendances (调休
    make-up workdays, e.g. a Saturday) are working days."""

    _inherit = "resource.calendar"

    def _xinfang_tz(self):
        self.ensure_one()
        return pytz.timezone(self.tz or "Asia/Shanghai")

    def _xinfang_add_working_days(self, start, days):
        """The last of ``days`` working days counted from the day after
        ``start`` (a date)."""
        self.ensure_one()
        tz = self._xinfang_tz()
        first = tz.localize(datetime.combine(start + timedelta(days=1), time.min))
        end = self.plan_days(days, first, compute_leaves=True)
        return end.astimezone(tz).date() if end else start + timedelta(days=days)

    def _xinfang_holidays(self, start, stop):
        """The days of the public holidays between ``start`` and ``stop``, in
        the calendar's time zone."""
        if not self:
            return set()
        self.ensure_one()
        tz = self._xinfang_tz()
        leaves = self.env["resource.calendar.leaves"].search(
            [
                ("calendar_id", "=", self.id),
                ("resource_id", "=", False),
                ("date_from", "<=", datetime.combine(stop, time.max)),
                (
                    "date_to",
                    ">=",
                    datetime.combine(start, time.min) - timedelta(days=1),
                ),
            ]
        )
        days = set()
        for leave in leaves:
            first = pytz.utc.localize(leave.date_from).astimezone(tz).date()
            last = pytz.utc.localize(leave.date_to).astimezone(tz).date()
            days.update(
                first + timedelta(days=n) for n in range((last - first).days + 1)
            )
        return days

    def _xinfang_load_prc_holidays(self, company):
        """Add the PRC public holidays (global leaves of ``company``) and
        make-up workdays (dated attendances); loading twice adds nothing
        twice. Called by the company's button, which checks who may."""
        self.ensure_one()
        Leave = self.env["resource.calendar.leaves"].sudo()
        with file_open(HOLIDAYS_FILE, "rb") as csv_file:
            rows = list(csv.DictReader(csv_file.read().decode("utf-8").splitlines()))
        tz = self._xinfang_tz()
        existing_leaves = {
            (leave.name, leave.date_from)
            for leave in Leave.search([("calendar_id", "=", self.id)])
        }
        existing_days = set(
            self.attendance_ids.filtered("date_from").mapped("date_from")
        )
        leaves, attendances = [], []
        for row in rows:
            day_from = fields.Date.to_date(row["date_from"])
            day_to = fields.Date.to_date(row["date_to"])
            if row["kind"] == "holiday":
                start = tz.localize(datetime.combine(day_from, time.min))
                stop = tz.localize(datetime.combine(day_to, time.max))
                start = start.astimezone(pytz.utc).replace(tzinfo=None)
                if (row["name"], start) in existing_leaves:
                    continue
                leaves.append(
                    {
                        "name": row["name"],
                        "calendar_id": self.id,
                        "company_id": company.id,
                        "date_from": start,
                        "date_to": stop.astimezone(pytz.utc).replace(
                            tzinfo=None, microsecond=0
                        ),
                        "time_type": "leave",
                    }
                )
            elif day_from not in existing_days:
                attendances += self._xinfang_make_up_day(day_from, row["name"])
        Leave.create(leaves)
        self.env["resource.calendar.attendance"].sudo().create(attendances)

    def _xinfang_make_up_day(self, day, name):
        """Attendances that make ``day`` (a weekend day) a full working day,
        with the hours of the calendar's Monday."""
        monday = self.attendance_ids.filtered(
            lambda a: a.dayofweek == "0" and not a.date_from and not a.resource_id
        )
        return [
            {
                "name": name,
                "calendar_id": self.id,
                "dayofweek": str(day.weekday()),
                "hour_from": attendance.hour_from,
                "hour_to": attendance.hour_to,
                "day_period": attendance.day_period,
                "week_type": attendance.week_type,
                "date_from": day,
                "date_to": day,
            }
            for attendance in monday
        ]
