import base64
import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import XinfangCase

Q2_2025 = (date(2025, 4, 1), date(2025, 6, 30))


def at(day, hour=2):
    """A registration moment: ``day`` at 10:00 Beijing time (02:00 UTC)."""
    return datetime(day.year, day.month, day.day, hour, 0)


@tagged("post_install", "-at_install", "xinfang_security")
class TestStatistics(XinfangCase):
    """The period workbook against a small world counted by hand: 2025 Q2
    (24 items), 2025 Q1 (5, the previous period) and 2024 Q2 (8, the same
    period last year), three departments, a sub-category, natures, callbacks,
    supervision, visits and two confidential items."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.lang = "en_US"
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        Category = cls.env["xinfang.category"]
        cls.cat_waiting = Category.create(
            {"name": "Waiting (test)", "parent_id": cls.cat_quality.id}
        )
        cls.world = cls.env["xinfang.petition"]
        make = cls._world_item
        # 2025 Q2 ------------------------------------------------------------
        # A: ten letters about quality at 医务科 (two of them "waiting").
        cls.a_items = make(
            [
                dict(
                    day=date(2025, 4, 3),
                    category=cls.cat_waiting,
                    state="closed",
                    close=date(2025, 5, 10),
                    on_time=True,
                    days=30,
                    rating="satisfied",
                ),
                dict(
                    day=date(2025, 4, 8),
                    category=cls.cat_waiting,
                    state="closed",
                    close=date(2025, 5, 20),
                    on_time=True,
                    days=35,
                    rating="satisfied",
                ),
                dict(
                    day=date(2025, 4, 9),
                    state="closed",
                    close=date(2025, 6, 1),
                    on_time=True,
                    days=40,
                    rating="basic",
                ),
                dict(
                    day=date(2025, 4, 15),
                    state="closed",
                    close=date(2025, 6, 5),
                    on_time=True,
                    days=45,
                    rating="dissatisfied",
                ),
                dict(
                    day=date(2025, 4, 20),
                    state="closed",
                    close=date(2025, 6, 20),
                    on_time=True,
                    days=50,
                ),
                dict(
                    day=date(2025, 5, 2),
                    state="closed",
                    close=date(2025, 6, 28),
                    on_time=False,
                    days=70,
                    decided_late=True,
                ),
                dict(day=date(2025, 5, 12), state="handling", returns=2),
                dict(day=date(2025, 5, 20), state="handling", overdue=True),
                dict(day=date(2025, 6, 2), state="rejected"),
                dict(day=date(2025, 6, 25), state="pending", decided=False),
            ],
            channel="letter",
            nature="complaint",
            category=cls.cat_quality,
            department=cls.dept_medical,
        )
        # B: six calls for help at 护理部.
        cls.b_items = make(
            [
                dict(
                    day=date(2025, 4, 10),
                    state="closed",
                    close=date(2025, 5, 5),
                    on_time=True,
                    days=20,
                    rating="satisfied",
                ),
                dict(
                    day=date(2025, 4, 11),
                    state="closed",
                    close=date(2025, 5, 6),
                    on_time=True,
                    days=20,
                ),
                dict(
                    day=date(2025, 5, 11),
                    state="closed",
                    close=date(2025, 6, 6),
                    on_time=True,
                    days=20,
                ),
                dict(day=date(2025, 5, 12), state="accepted"),
                dict(day=date(2025, 6, 12), state="accepted", escalated=True),
                dict(day=date(2025, 6, 13), state="redirected"),
            ],
            channel="phone",
            nature="help",
            category=cls.cat_nursing,
            department=cls.dept_nursing,
        )
        # C: three visits, three people each, consultations.
        cls.c_items = make(
            [dict(day=date(2025, 4, 21), state="accepted", people=3)] * 3,
            channel="visit",
            nature="consultation",
            category=cls.cat_quality,
            department=cls.dept_medical,
        )
        # D: two confidential accusations.
        cls.d_items = make(
            [dict(day=date(2025, 5, 5), state="handling")] * 2,
            channel="letter",
            nature="report",
            category=cls.cat_accusation,
            department=cls.dept_discipline,
        )
        # E: one transfer from the city bureau, a key case of the leader.
        cls.e_items = make(
            [
                dict(
                    day=date(2025, 4, 1),
                    state="closed",
                    close=date(2025, 5, 1),
                    on_time=True,
                    days=25,
                    owner=cls.leader,
                )
            ],
            channel="upper_transfer",
            nature="complaint",
            category=cls.cat_quality,
            department=cls.dept_medical,
        )
        # F: two repeats of the first A item.
        cls.f_items = make(
            [
                dict(
                    day=date(2025, 6, 10),
                    state="pending",
                    decided=False,
                    repeat_of=cls.a_items[0],
                )
            ]
            * 2,
            channel="letter",
            nature="complaint",
            category=cls.cat_quality,
            department=cls.dept_medical,
        )
        # 2025 Q1: five letters (the previous period).
        make(
            [dict(day=date(2025, 2, 1), state="accepted")] * 5,
            channel="letter",
            nature="complaint",
            category=cls.cat_quality,
            department=cls.dept_medical,
        )
        # 2024 Q2: four letters, four calls (the same period last year).
        make(
            [
                dict(
                    day=date(2024, 4, 10),
                    state="closed",
                    close=date(2024, 6, 1),
                    on_time=False,
                    days=70,
                )
            ]
            * 2
            + [dict(day=date(2024, 5, 10), state="accepted")] * 2,
            channel="letter",
            nature="complaint",
            category=cls.cat_quality,
            department=cls.dept_medical,
        )
        make(
            [dict(day=date(2024, 6, 10), state="accepted")] * 4,
            channel="phone",
            nature="help",
            category=cls.cat_nursing,
            department=cls.dept_nursing,
        )
        # Supervision in Q2 2025: two notices to 医务科 (one answered), one
        # escalation to 护理部, one notice on a confidential item.
        Supervision = cls.env["xinfang.supervision"].sudo()
        for petition, kind, state in (
            (cls.a_items[6], "notice", "answered"),
            (cls.a_items[7], "notice", "sent"),
            (cls.b_items[4], "escalation", "sent"),
            (cls.d_items[0], "notice", "sent"),
        ):
            Supervision.create(
                {
                    "petition_id": petition.id,
                    "department_id": petition.department_id.id,
                    "kind": kind,
                    "deadline": date(2025, 6, 1),
                    "date": date(2025, 6, 3),
                    "state": state,
                }
            )
        # Visits in Q2 2025: two walk-ins (1 and 3 people), one collective
        # visit of 6 at the leader's reception day; 2024 Q2: one walk-in.
        Visit = cls.env["xinfang.visit"].sudo()
        cls.reception = (
            cls.env["xinfang.reception.day"]
            .sudo()
            .create({"leader_id": cls.leader.id, "date": date(2025, 5, 15)})
        )
        for moment, kind, people, leader in (
            (datetime(2025, 4, 21, 2), "walk_in", 1, None),
            (datetime(2025, 4, 22, 2), "walk_in", 3, None),
            (datetime(2025, 5, 15, 2), "reception_day", 6, cls.leader),
            (datetime(2024, 5, 15, 2), "walk_in", 2, None),
        ):
            Visit.create(
                {
                    "date": moment,
                    "visit_type": kind,
                    "subject": "来访",
                    "people_count": people,
                    "leader_id": leader.id if leader else False,
                    "reception_day_id": cls.reception.id if leader else False,
                    "state": "received",
                }
            )
        cls.callbacks_unreachable = (
            cls.env["xinfang.callback"]
            .sudo()
            .create(
                {
                    "petition_id": cls.b_items[1].id,
                    "planned_date": date(2025, 5, 20),
                    "state": "unreachable",
                }
            )
        )

    @classmethod
    def _world_item(cls, specs, channel, nature, category, department, keep=True):
        """Items with their facts written as the steps would have."""
        Petition = cls.env["xinfang.petition"].sudo()._xinfang_steps()
        Callback = cls.env["xinfang.callback"].sudo()
        items = Petition.browse()
        for spec in specs:
            spec_category = spec.get("category", category)
            decided = spec.get("decided", True)
            vals = {
                "channel": channel,
                "request_nature": nature,
                "category_id": spec_category.id,
                "department_id": department.id,
                "subject": f"{channel} {spec['day']}",
                "content": "内容",
                "registrar_id": cls.officer.id,
                "registration_date": at(spec["day"]),
                "people_count": spec.get("people", 1),
                "state": spec["state"],
                "petitioner_id": cls.zhang.id,
                "repeat_of_id": spec["repeat_of"].id
                if spec.get("repeat_of")
                else False,
                "escalated": spec.get("escalated", False),
                "owner_leader_id": spec["owner"].id if spec.get("owner") else False,
                "reply_return_count": spec.get("returns", 0),
            }
            if decided:
                vals |= {
                    "decision_date": spec["day"],
                    "decided_on_time": not spec.get("decided_late"),
                }
            if spec.get("close"):
                vals |= {
                    "close_date": spec["close"],
                    "closed_on_time": spec["on_time"],
                    "handling_days_at_close": spec["days"],
                }
            petition = Petition.create(vals)
            # As the status refresh left it on the last day of the period.
            petition.deadline_status = "overdue" if spec.get("overdue") else "on_time"
            if spec.get("rating"):
                Callback.create(
                    {
                        "petition_id": petition.id,
                        "planned_date": spec["close"],
                        "done_date": spec["close"],
                        "state": "done",
                        "rating": spec["rating"],
                        "follow_up": "已复查"
                        if spec["rating"] == "dissatisfied"
                        else False,
                    }
                )
            items |= petition
        if keep:  # part of the class's world (not a record of one test)
            cls.world |= items
        return items

    # -- helpers -------------------------------------------------------------
    def _workbook(self, user, period=Q2_2025, **kwargs):
        data = (
            self.env["xinfang.statistics"]
            .with_user(user)
            ._collect(self.company, *period, **kwargs)
        )
        content = self.env["xinfang.workbook"].with_user(user)._render(data)
        return data, openpyxl.load_workbook(io.BytesIO(content))

    def _table(self, sheet, title):
        """{first cell: [other cells]} of the table titled ``title``;
        percentages (stored as fractions, shown with a % format) in percent."""

        def value(cell):
            if isinstance(cell.value, int | float) and "%" in cell.number_format:
                return cell.value * 100
            return cell.value

        rows = [[value(cell) for cell in row] for row in sheet.iter_rows()]
        titles = [row[0] for row in rows]
        if title not in titles:
            self.fail(f"no table {title!r} in {sheet.title}")
        index = titles.index(title)
        table = {}
        for row in rows[index + 2 :]:
            if row[0] is None:
                break
            table[row[0]] = list(row[1:])
        return table

    def _trim(self, values, width):
        return [round(v, 2) if isinstance(v, float) else v for v in values[:width]]

    # -- the sheets ------------------------------------------------------------
    def test_overview(self):
        data, book = self._workbook(self.manager)
        self.assertEqual(
            book.sheetnames,
            [
                "Overview",
                "Categories and prominent issues",
                "Departments",
                "Supervision and transfers",
                "Visits and reception days",
                "Callbacks",
                "Details",
            ],
        )
        sheet = book["Overview"]
        self.assertIn("2025, quarter 2", sheet["A1"].value)
        channels = self._table(sheet, "Items received by channel (件)")
        # this period, previous, 环比 %, last year, change, 同比 %
        self.assertEqual(
            self._trim(channels["Letter"], 6), [14, 5, 180.0, 4, 10, 250.0]
        )
        self.assertEqual(
            self._trim(channels["Phone / Hotline"], 6), [6, 0, "—", 4, 2, 50.0]
        )
        self.assertEqual(self._trim(channels["Visit"], 6), [3, 0, "—", 0, 3, "—"])
        self.assertEqual(self._trim(channels["Total"], 6), [24, 5, 380.0, 8, 16, 200.0])
        natures = self._table(sheet, "Items received by nature of the request (件)")
        self.assertEqual(natures["Complaint (投诉)"][:2], [13, 5])
        self.assertEqual(natures["Request for Help (求助)"][0], 6)
        self.assertEqual(natures["Report or Accusation (举报/检举控告)"][0], 2)
        self.assertEqual(natures["Consultation (咨询)"][0], 3)
        self.assertEqual(natures["Total"][0], 24)
        people = self._table(sheet, "People (人次)")
        self.assertEqual(people["People counted on the items"][:4:3], [30, 8])
        validity = self._table(sheet, "Initial and repeat petitions")
        self.assertEqual(validity["Initial petitions (初信初访)"][:2], [22, 8])
        self.assertEqual(validity["Repeat petitions (重复信访)"][:3], [2, 0, "—"])
        decisions = self._table(sheet, "Acceptance decisions on the items received")
        self.assertEqual(decisions["Accepted (受理)"][:2], [19, 8])
        self.assertEqual(decisions["Not accepted (不予受理/不再受理)"][0], 1)
        self.assertEqual(decisions["Redirected (告知转送)"][0], 1)
        self.assertEqual(decisions["Awaiting a decision (待受理)"][0], 3)
        closed = self._table(
            sheet, "Items closed in the period, whenever received (本期办结)"
        )
        self.assertEqual(closed["Items closed"][:4:3], [10, 2])
        # Closed in Q2: 9 of 10 on time; 5 rated, 4 satisfied; 355 days.
        self.assertEqual(
            self._trim(closed["On-time completion rate (按期办结率)"], 4),
            [90.0, 9, 10, 0.0],
        )
        self.assertEqual(
            self._trim(closed["Satisfaction rate (满意率)"], 3), [80.0, 4, 5]
        )
        self.assertEqual(
            self._trim(closed["Average handling days (平均办理天数)"], 3),
            [35.5, 355, 10],
        )
        rates = self._table(sheet, "Rates (items received in the period)")
        # 21 decided, 20 on time; 10 closed, 9 on time; 5 rated of which 4
        # satisfied or basically; 2 repeats of 24; overdue: 1 late + 1 open.
        self.assertEqual(
            self._trim(rates["Timely acceptance rate (及时受理率)"], 4),
            [95.24, 20, 21, 100.0],
        )
        self.assertEqual(
            self._trim(rates["On-time completion rate (按期办结率)"], 4),
            [90.0, 9, 10, 0.0],
        )
        self.assertEqual(self._trim(rates["Callback rate (回访率)"], 3), [50.0, 5, 10])
        self.assertEqual(
            self._trim(rates["Satisfaction rate (满意率)"], 3), [80.0, 4, 5]
        )
        self.assertEqual(
            self._trim(rates["Repeat rate (重复信访率)"], 3), [8.33, 2, 24]
        )
        self.assertEqual(rates["Overdue items (超期件数)"][0], 2)
        # (30 + 35 + 40 + 45 + 50 + 70 + 20 * 3 + 25) / 10
        self.assertEqual(
            self._trim(rates["Average handling days (平均办理天数)"], 3),
            [35.5, 355, 10],
        )
        months = self._table(sheet, "Items received by month")
        self.assertEqual(
            {month: values[:2] for month, values in months.items()},
            {"2025-04": [11, 2], "2025-05": [7, 2], "2025-06": [6, 4]},
        )
        self.assertEqual(len(sheet._charts), 2)

    def test_categories(self):
        _data, book = self._workbook(self.officer)
        sheet = book["Categories and prominent issues"]
        rows = self._table(
            sheet, "Items received by category (parents with their subtotal)"
        )
        # Quality: 10 A + 3 C + 1 E + 2 F = 16, two of them in its child.
        self.assertEqual(self._trim(rows["Quality (test)"], 4), [16, 66.67, 4, 300.0])
        self.assertEqual(rows["Quality (test) / other"][0], 14)
        self.assertEqual(self._trim(rows["Waiting (test)"], 4), [2, 8.33, 0, "—"])
        self.assertEqual(self._trim(rows["Nursing (test)"], 4), [6, 25.0, 4, 50.0])
        # The officer is not discipline: the accusations are one line.
        self.assertNotIn("Accusation (test)", rows)
        self.assertEqual(
            self._trim(rows["Confidential (保密件，不分列)"], 2), [2, 8.33]
        )
        self.assertEqual(rows["Total"][0], 24)
        top = self._table(sheet, "The ten largest categories")
        self.assertEqual(
            list(top),
            [
                "Quality (test) / other",
                "Nursing (test)",
                "Quality (test) / Waiting (test)",
            ],
        )
        self.assertEqual(top["Quality (test) / other"][0], 14)
        rising = self._table(sheet, "The ten fastest-rising categories")
        self.assertEqual(rising["Quality (test) / other"][:3], [14, 4, 10])
        self.assertEqual(list(rising)[0], "Quality (test) / other")
        self.assertEqual(len(sheet._charts), 1)

    def test_departments(self):
        _data, book = self._workbook(self.officer)
        rows = self._table(
            book["Departments"], "Items received in the period, by department"
        )
        # received, accepted, in hand, closed, on time %, overdue, notices,
        # escalations, returns, callbacks, satisfaction %
        self.assertEqual(
            self._trim(rows["医务科 (test)"], 11),
            [16, 12, 8, 7, 85.71, 2, 2, 0, 2, 4, 75.0],
        )
        self.assertEqual(
            self._trim(rows["护理部 (test)"], 11),
            [6, 5, 2, 3, 100.0, 0, 0, 1, 0, 1, 100.0],
        )
        self.assertNotIn("纪检监察室 (test)", rows)
        self.assertEqual(rows["Confidential (保密件，不分列)"][0], 2)
        self.assertEqual(rows["Confidential (保密件，不分列)"][1], "—")
        # 合计: the sums and the rates of the sums.
        self.assertEqual(
            self._trim(rows["Total"], 11),
            [24, 17, 10, 10, 90.0, 2, 2, 1, 2, 5, 80.0],
        )

    def test_supervision_visits_callbacks(self):
        _data, book = self._workbook(self.manager)
        supervision = self._table(
            book["Supervision and transfers"],
            "Supervision records of the period, by kind and outcome",
        )
        # Sent, No Recipient, Answered, Cancelled, Total
        self.assertEqual(supervision["Supervision Notice (督办通知)"], [2, 0, 1, 0, 3])
        self.assertEqual(supervision["Escalation"], [1, 0, 0, 0, 1])
        upper = self._table(
            book["Supervision and transfers"],
            "Items transferred from upper-level bodies (上级转办)",
        )
        self.assertEqual(
            {key: value[0] for key, value in upper.items()},
            {
                "Received (收到上级转办)": 1,
                "Accepted (受理)": 1,
                "Closed (办结)": 1,
                "Closed on time (按期办结)": 1,
                "Items escalated (升级督办)": 1,
            },
        )
        owned = self._table(
            book["Supervision and transfers"], "Key cases by owning leader (领导包案)"
        )
        self.assertEqual(owned["xf_t_leader"][:2], [1, 1])
        visits = self._table(
            book["Visits and reception days"], "Visits received, by type"
        )
        self.assertEqual(visits["Walk-in Visit"], [2, 4, 1, 2])
        self.assertEqual(visits["Leader Reception Day"], [1, 6, 0, 0])
        self.assertEqual(visits["Total"], [3, 10, 1, 2])
        special = self._table(
            book["Visits and reception days"],
            "Collective, cross-level and abnormal visits",
        )
        self.assertEqual(special["Collective visits (集体访)"], [1, 6, 0, 0])
        leaders = self._table(book["Visits and reception days"], "Leaders' reception")
        self.assertEqual(leaders["xf_t_leader"][:3], [1, 1, 6])
        states = self._table(
            book["Callbacks"], "Callbacks planned in the period, by outcome"
        )
        self.assertEqual(states["Done"][0], 5)
        self.assertEqual(states["Unreachable"][0], 1)
        ratings = self._table(book["Callbacks"], "Ratings of the callbacks made")
        self.assertEqual(self._trim(ratings["Satisfied"], 2), [3, 60.0])
        self.assertEqual(self._trim(ratings["Dissatisfied"], 2), [1, 20.0])
        dissatisfied = self._table(
            book["Callbacks"], "Dissatisfied callbacks and their follow-up"
        )
        self.assertEqual(list(dissatisfied), [self.a_items[3].name])
        self.assertEqual(dissatisfied[self.a_items[3].name][2], "已复查")

    def test_details_and_confidentiality(self):
        _data, book = self._workbook(self.leader)
        sheet = book["Details"]
        numbers = [row[0] for row in sheet.iter_rows(min_row=5, values_only=True)]
        described = set(self.world.mapped("name")) & set(numbers)
        self.assertEqual(len(described), 22)
        for confidential in self.d_items:
            self.assertNotIn(confidential.name, numbers)
        self.assertIn("2 confidential item(s)", numbers[-1])
        # The leader counts them all the same.
        channels = self._table(book["Overview"], "Items received by channel (件)")
        self.assertEqual(channels["Total"][0], 24)
        # Nowhere in the leader's workbook is a confidential item described.
        text = " ".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
        for confidential in self.d_items:
            self.assertNotIn(confidential.name, text)
        self.assertNotIn("Accusation (test)", text)
        self.assertNotIn("纪检监察室", text)
        # Discipline: described.
        _data, book = self._workbook(self.discipline)
        rows = self._table(
            book["Categories and prominent issues"],
            "Items received by category (parents with their subtotal)",
        )
        self.assertEqual(rows["Accusation (test)"][0], 2)
        numbers = [
            row[0] for row in book["Details"].iter_rows(min_row=5, values_only=True)
        ]
        self.assertTrue(set(self.d_items.mapped("name")) <= set(numbers))

    def test_confidential_not_told_by_links_departments_or_days(self):
        """Insider review: a repeat's link, a department filter or a few days
        would tell a confidential item's number, subject, department or date
        to who may only count it."""
        repeat = self._world_item(
            [
                dict(
                    day=date(2025, 6, 20),
                    state="pending",
                    decided=False,
                    repeat_of=self.d_items[0],
                )
            ],
            channel="letter",
            nature="report",
            category=self.cat_quality,
            department=self.dept_medical,
            keep=False,
        )
        _data, book = self._workbook(self.leader)
        details = {
            row[0]: row
            for row in book["Details"].iter_rows(min_row=5, values_only=True)
        }
        self.assertEqual(details[repeat.name][13], "Confidential (保密件，不分列)")
        # The link itself shows the number only, to anyone.
        self.assertEqual(
            repeat.with_user(self.leader).read(["repeat_of_id"])[0]["repeat_of_id"][1],
            self.d_items[0].name,
        )
        # A department: its confidential items are not counted at all.
        data = (
            self.env["xinfang.statistics"]
            .with_user(self.leader)
            ._collect(self.company, *Q2_2025, department=self.dept_discipline)
        )
        self.assertEqual(data["totals"]["current"], 0)
        # A few days: neither.
        data = (
            self.env["xinfang.statistics"]
            .with_user(self.leader)
            ._collect(self.company, date(2025, 5, 5), date(2025, 5, 5))
        )
        self.assertEqual(data["totals"]["current"], 0)
        # Whole months: counted, in a line of their own.
        data = (
            self.env["xinfang.statistics"]
            .with_user(self.leader)
            ._collect(self.company, date(2025, 5, 1), date(2025, 5, 31))
        )
        self.assertEqual(
            data["channel"][-1], ("Confidential (保密件，不分列)", 2, 0, 0)
        )
        self.assertNotIn(
            2, [row[1] for row in data["channel"][:-1] if row[0] == "Letter"]
        )
        # Discipline sees them in their department, any day.
        data = (
            self.env["xinfang.statistics"]
            .with_user(self.discipline)
            ._collect(self.company, date(2025, 5, 5), date(2025, 5, 5))
        )
        self.assertEqual(data["totals"]["current"], 2)
        # A department of another company is refused.
        other = self.env["res.company"].create({"name": "Other hospital"})
        elsewhere = self.env["hr.department"].create(
            {"name": "Elsewhere", "company_id": other.id}
        )
        with self.assertRaises(ValidationError):
            self.env["xinfang.statistics"].with_user(self.manager)._collect(
                self.company, *Q2_2025, department=elsewhere
            )

    def test_dashboard(self):
        Statistics = self.env["xinfang.statistics"]
        with freeze_time("2025-07-15 04:00:00"):
            data = Statistics.with_user(self.leader).get_dashboard_data(
                "last_quarter", -1
            )
            tiles = {tile["code"]: tile for tile in data["tiles"]}
            self.assertEqual(tiles["received"]["value"], "24")
            self.assertEqual(tiles["on_time_completion"]["value"], "90.00 %")
            self.assertEqual(tiles["on_time_completion"]["detail"], "9 / 10")
            self.assertEqual(data["months"]["labels"][-1], "2025-06")
            self.assertEqual(data["months"]["received"][-3:], [11, 7, 6])
            # An unknown period is this year; a department of the handler's.
            data = Statistics.with_user(self.leader).get_dashboard_data(
                ["x"], self.dept_nursing.id
            )
            self.assertEqual(data["period"], "this_year")
        for user in (self.handler, self.registrar, self.outsider):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Statistics.with_user(user).get_dashboard_data()

    def test_handler_sees_own_departments(self):
        _data, book = self._workbook(self.handler)
        channels = self._table(book["Overview"], "Items received by channel (件)")
        # 医务科: A 10 + C 3 + E 1 + F 2.
        self.assertEqual(channels["Total"][0], 16)
        departments = self._table(
            book["Departments"], "Items received in the period, by department"
        )
        self.assertEqual(list(departments), ["医务科 (test)", "Total"])
        # Another department is refused, not answered with zeros.
        with self.assertRaises(ValidationError):
            self._workbook(self.handler, department=self.dept_nursing)
        numbers = {
            row[0] for row in book["Details"].iter_rows(min_row=5, values_only=True)
        }
        self.assertFalse(numbers & set(self.b_items.mapped("name")))
        self.assertFalse(numbers & set(self.d_items.mapped("name")))

    def test_empty_period_and_bad_periods(self):
        # A company without a working calendar counts in its partner's zone.
        self.company.resource_calendar_id = False
        data, book = self._workbook(
            self.manager, period=(date(2019, 1, 1), date(2019, 3, 31))
        )
        rates = self._table(book["Overview"], "Rates (items received in the period)")
        self.assertEqual(rates["On-time completion rate (按期办结率)"][0], "—")
        self.assertEqual(rates["Satisfaction rate (满意率)"][0], "—")
        departments = self._table(
            book["Departments"], "Items received in the period, by department"
        )
        self.assertEqual(list(departments), ["No item in the period."])
        Statistics = self.env["xinfang.statistics"].with_user(self.manager)
        with self.assertRaises(ValidationError):
            Statistics._collect(self.company, date(2019, 1, 1), date(2024, 1, 1))
        with self.assertRaises(ValidationError):
            Statistics._collect(self.company, date(2019, 2, 1), date(2019, 1, 1))
        other = self.env["res.company"].create({"name": "Other hospital"})
        with self.assertRaises(AccessError):
            Statistics._collect(other, *Q2_2025)

    def test_query_count_does_not_grow(self):
        Statistics = self.env["xinfang.statistics"].with_user(self.manager)
        Workbook = self.env["xinfang.workbook"].with_user(self.manager)

        def run():
            Workbook._render(Statistics._collect(self.company, *Q2_2025))

        run()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        run()
        queries = self.cr.sql_log_count - before
        # Ten more items of every kind: the same number of queries.
        for _spec in range(3):
            self._world_item(
                [
                    dict(
                        day=date(2025, 4, 30),
                        state="closed",
                        close=date(2025, 5, 30),
                        on_time=True,
                        days=30,
                        rating="satisfied",
                    )
                ]
                * 10,
                channel="email",
                nature="suggestion",
                category=self.cat_nursing,
                department=self.dept_nursing,
                keep=False,
            )
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        run()
        self.assertLessEqual(self.cr.sql_log_count - before, queries)

    def test_department_figures_of_a_period(self):
        """D2: 各科室信访情况 with the period of the search."""
        departments = (self.dept_medical | self.dept_nursing).with_user(self.officer)
        with freeze_time("2025-07-15 04:00:00"):
            last_quarter = departments.with_context(xinfang_period="last_quarter")
            medical, nursing = last_quarter
            self.assertEqual(medical.xinfang_received_count, 16)
            self.assertEqual(medical.xinfang_on_time_rate, "85.71 %")
            self.assertEqual(medical.xinfang_satisfaction_rate, "75.00 %")
            self.assertEqual(medical.xinfang_notice_count, 2)
            self.assertEqual(nursing.xinfang_escalation_count, 1)
            this_month = departments.with_context(xinfang_period="this_month")
            self.assertEqual(this_month[0].xinfang_received_count, 0)
            self.assertEqual(this_month[0].xinfang_on_time_rate, "—")
        # Without a period: every item (Q1 2025, 2024 and the two of common.py).
        self.assertEqual(departments[0].xinfang_received_count, 16 + 5 + 4 + 2)

    def test_periods(self):
        """环比 and 同比 periods: whole months stay whole months."""
        from ..models.xinfang_statistics import Period, period_dates, previous, shifted

        half = Period(*period_dates("half", 2026, 1))
        self.assertEqual(half, Period(date(2026, 1, 1), date(2026, 6, 30)))
        self.assertEqual(previous(half), Period(date(2025, 7, 1), date(2025, 12, 31)))
        february = Period(*period_dates("month", 2025, 2))
        self.assertEqual(
            shifted(february, years=-1), Period(date(2024, 2, 1), date(2024, 2, 29))
        )
        self.assertEqual(
            previous(february), Period(date(2025, 1, 1), date(2025, 1, 31))
        )
        custom = Period(date(2025, 3, 10), date(2025, 3, 19))
        self.assertEqual(previous(custom), Period(date(2025, 2, 28), date(2025, 3, 9)))
        self.assertEqual(
            Period(*period_dates("quarter", 2025, 4)),
            Period(date(2025, 10, 1), date(2025, 12, 31)),
        )

    def test_wizard_download(self):
        wizard = (
            self.env["xinfang.statistics.wizard"]
            .with_user(self.officer)
            .create({"period_type": "quarter", "year": "2025", "quarter": "2"})
        )
        self.assertEqual((wizard.date_from, wizard.date_to), Q2_2025)
        action = wizard.action_download()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(wizard.workbook_name.endswith(".xlsx"))
        # Nobody opens another user's workbook (it holds what they may count).
        with self.assertRaises(AccessError):
            wizard.with_user(self.handler).read(["workbook"])
        wizard.write({"period_type": "half", "half": "2"})
        self.assertEqual(
            (wizard.date_from, wizard.date_to), (date(2025, 7, 1), date(2025, 12, 31))
        )
        wizard.write(
            {
                "period_type": "custom",
                "date_from": date(2019, 1, 1),
                "date_to": date(2025, 1, 1),
            }
        )
        with self.assertRaises(ValidationError):
            wizard.action_download()


@tagged("post_install", "-at_install", "xinfang_security")
class TestMonthlyReport(XinfangCase):
    """月报: made by the real cron on the 1st, zero report when nothing came
    in, submitted and approved by the office, never rewritten by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.lang = "en_US"
        cls.cron = cls.env.ref("xinfang_module.ir_cron_month_end_report")
        cls.Report = cls.env["xinfang.report"]

    def _run_cron(self):
        self.cron.method_direct_trigger()
        return self.Report.search([("company_id", "=", self.company.id)])

    def test_cron_makes_reports_once_and_zero_reports(self):
        with freeze_time("2026-12-01 03:00:00"):
            reports = self._run_cron()
            november = reports.filtered(lambda r: r.month == date(2026, 11, 1))
            self.assertEqual(len(november), 1)
            self.assertEqual(self._run_cron(), reports)
        with freeze_time("2030-02-01 03:00:00"):
            january = self._run_cron().filtered(lambda r: r.month == date(2030, 1, 1))
        self.assertTrue(january.zero_report)
        self.assertEqual(january.item_count, 0)
        self.assertEqual(january.on_time_rate, "—")
        self.assertIn("Zero report", january.summary)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(january.workbook)))
        self.assertEqual(len(book.sheetnames), 7)

    def test_steps_and_doors(self):
        with freeze_time("2026-12-01 03:00:00"):
            report = self._run_cron().filtered(lambda r: r.month == date(2026, 11, 1))
        officer_report = report.with_user(self.officer)
        officer_report.summary = "本月信访总体平稳。"
        for vals in (
            {"state": "approved"},
            {"item_count": 999},
            {"month": date(2026, 10, 1)},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                officer_report.write(vals)
        with self.assertRaises(UserError):
            officer_report.action_approve()
        officer_report.action_submit()
        self.assertEqual(report.state, "submitted")
        self.assertTrue(report.activity_ids)
        self.assertFalse(report.activity_ids.user_id._is_system())
        with self.assertRaises(UserError):
            officer_report.summary = "改写"
        # The leader reads, never writes; the handler does not see it.
        self.assertEqual(report.with_user(self.leader).summary, "本月信访总体平稳。")
        with self.assertRaises(AccessError):
            report.with_user(self.leader).write({"summary": "x"})
        with self.assertRaises(AccessError):
            report.with_user(self.handler).read(["summary"])
        report.with_user(self.manager).action_approve()
        self.assertEqual(report.state, "approved")
        self.assertEqual(report.approved_uid, self.manager)
        # The approved report's file and its chatter are evidence.
        workbook = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "xinfang.report"),
                    ("res_id", "=", report.id),
                    ("res_field", "=", "workbook"),
                ]
            )
        )
        self.assertTrue(workbook)
        with self.assertRaises(UserError):
            workbook.with_user(self.officer).write({"datas": base64.b64encode(b"x")})
        with self.assertRaises(UserError):
            report.message_ids[:1].with_user(self.officer).unlink()
        # The approval is asked of the office manager, not an administrator.
        self.assertFalse(report.activity_ids)
        with self.assertRaises(AccessError):
            report.with_user(self.manager).unlink()

    def test_made_by_hand(self):
        """A month the cron did not make (before the addon was installed):
        the office makes it from the form, which sends the defaults."""
        Report = self.Report.with_user(self.officer)
        with freeze_time("2026-12-15 03:00:00"):
            defaults = Report.default_get(["month", "state", "company_id"])
            self.assertEqual(defaults["month"], date(2026, 11, 1))
            report = Report.create(defaults | {"month": date(2026, 10, 1)})
            report.action_generate()
        self.assertTrue(report.workbook)
        self.assertIn("2026", report.name)
        with self.assertRaises(UserError):
            Report.create({"month": date(2026, 9, 15)})

    def test_regenerate_keeps_the_office_summary(self):
        with freeze_time("2026-12-01 03:00:00"):
            report = self._run_cron().filtered(lambda r: r.month == date(2026, 11, 1))
        proposed = report.summary
        report.with_user(self.officer).action_generate()
        self.assertEqual(report.summary, proposed)
        report.with_user(self.officer).summary = "办公室自己的分析。"
        report.with_user(self.officer).action_generate()
        self.assertEqual(report.summary, "办公室自己的分析。")
