"""The period workbook (统计报表, .xlsx): the figures of xinfang.statistics
written with xlsxwriter, one sheet per part of G1, print-ready (A4 landscape,
the title rows repeated on every page, frozen panes).

xlsxwriter is written to directly rather than through OCA ``report_xlsx``:
the same bytes are attached by the month-end cron to its report record and
downloaded from the wizard, and the addon keeps no dependency beyond Odoo's
own requirements (xlsxwriter ships with Odoo 18). The workbook is written in
``constant_memory`` mode, row after row: its memory does not grow with the
detail sheet.
"""

import io

import pytz
import xlsxwriter

from odoo import api, fields, models

from .tools import list_separator
from .xinfang_statistics import DETAIL_LIMIT, change

# The KPI shown as percentages (the others are counts and days).
RATE_CODES = {
    "timely_acceptance",
    "on_time_completion",
    "callback",
    "satisfaction",
    "repeat",
}


class XinfangWorkbook(models.AbstractModel):
    _name = "xinfang.workbook"
    _description = "Petition Statistics Workbook"

    # ------------------------------------------------------------------
    # Names of periods and days, in the company's language
    # ------------------------------------------------------------------
    @api.model
    def _day(self, day):
        return self.env._(
            "%(year)s-%(month)s-%(day)s", year=day.year, month=day.month, day=day.day
        )

    @api.model
    def _period_name(self, date_from, date_to):
        """ "2026年第三季度", "2026年11月", "2026年" or the two days."""
        end = fields.Date.add(date_to, days=1)
        months = (end.year - date_from.year) * 12 + end.month - date_from.month
        year = date_from.year
        if date_from.day == 1 and end.day == 1:
            if months == 1:
                return self.env._(
                    "%(year)s, month %(month)s", year=year, month=date_from.month
                )
            if months == 3 and date_from.month % 3 == 1:
                return self.env._(
                    "%(year)s, quarter %(quarter)s",
                    year=year,
                    quarter=date_from.month // 3 + 1,
                )
            if months == 6 and date_from.month in (1, 7):
                if date_from.month == 1:
                    return self.env._("%(year)s, first half", year=year)
                return self.env._("%(year)s, second half", year=year)
            if months == 12 and date_from.month == 1:
                return self.env._("Year %(year)s", year=year)
        return self.env._(
            "%(start)s to %(end)s", start=self._day(date_from), end=self._day(date_to)
        )

    # ------------------------------------------------------------------
    # The workbook
    # ------------------------------------------------------------------
    @api.model
    def _render(self, data):
        """The .xlsx bytes of the figures ``data`` (xinfang.statistics._collect)."""
        self = self.with_context(lang=data["lang"])
        output = io.BytesIO()
        book = xlsxwriter.Workbook(
            output, {"constant_memory": True, "default_date_format": "yyyy-mm-dd"}
        )
        writer = _Writer(self, book, data)
        writer.overview()
        writer.categories()
        writer.departments()
        writer.supervision()
        writer.visits()
        writer.callbacks()
        writer.details()
        book.close()
        return output.getvalue()

    @api.model
    def _filename(self, data):
        current = data["periods"]["current"]
        self = self.with_context(lang=data["lang"])
        title = self.env._("Petition statistics")
        period = self._period_name(current.date_from, current.date_to)
        return f"{title} - {data['company'].name} - {period}.xlsx"


class _Writer:
    """Writes the sheets, row after row (constant_memory)."""

    def __init__(self, model, book, data):
        self.model = model
        self.env = model.env
        self.book = book
        self.data = data
        self.sheet = None
        self.row = 0
        add = book.add_format
        base = {"font_name": "Noto Sans CJK SC", "font_size": 10, "border": 1}
        self.formats = {
            "title": add(
                {"font_name": base["font_name"], "bold": True, "font_size": 14}
            ),
            "subtitle": add({"font_name": base["font_name"], "font_size": 10}),
            "table": add(
                {"font_name": base["font_name"], "bold": True, "font_size": 11}
            ),
            "head": add(
                base
                | {
                    "bold": True,
                    "bg_color": "#DDEBF7",
                    "text_wrap": True,
                    "align": "center",
                    "valign": "vcenter",
                }
            ),
            "text": add(base),
            "text_bold": add(base | {"bold": True}),
            "indent": add(base | {"indent": 2}),
            "wrap": add(base | {"text_wrap": True, "valign": "top"}),
            "int": add(base | {"num_format": "#,##0"}),
            "int_bold": add(base | {"num_format": "#,##0", "bold": True}),
            "dec": add(base | {"num_format": "0.0"}),
            "pct": add(base | {"num_format": "0.00%"}),
            "pct_bold": add(base | {"num_format": "0.00%", "bold": True}),
            "date": add(base | {"num_format": "yyyy-mm-dd"}),
            "none": add(base | {"align": "right"}),
            "note": add(
                {"font_name": base["font_name"], "italic": True, "font_size": 9}
            ),
        }
        current = data["periods"]["current"]
        last_year = data["periods"]["last_year"]
        self.period = model._period_name(current.date_from, current.date_to)
        self.last_year = model._period_name(last_year.date_from, last_year.date_to)
        previous = data["periods"]["previous"]
        self.previous = model._period_name(previous.date_from, previous.date_to)

    # -- helpers ---------------------------------------------------------
    def new_sheet(self, name, title, widths, detail=False):
        sheet = self.book.add_worksheet(name)
        self.sheet, self.row = sheet, 0
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        sheet.center_horizontally()
        sheet.set_footer(self.env._("&CPage &P of &N"))
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        company = self.data["company"].name
        department = self.data["department"]
        sheet.write(0, 0, f"{company} · {title} · {self.period}", self.formats["title"])
        current = self.data["periods"]["current"]
        subtitle = self.env._(
            "Period %(start)s to %(end)s; compared with %(last_year)s "
            "(same period last year) and %(previous)s (previous period).",
            start=self.model._day(current.date_from),
            end=self.model._day(current.date_to),
            last_year=self.last_year,
            previous=self.previous,
        )
        sheet.write(1, 0, subtitle, self.formats["subtitle"])
        scope = []
        if department:
            scope.append(
                self.env._(
                    "Department: %(department)s and its sub-departments.",
                    department=department.name,
                )
            )
        if self.data["own_departments"]:
            scope.append(
                self.env._(
                    "Counted: the items of your departments (%(departments)s).",
                    departments=list_separator(self.env).join(
                        self.data["own_departments"]
                    ),
                )
            )
        if self.data["confidential_left_out"]:
            scope.append(
                self.env._(
                    "Confidential items are not counted for a department or a "
                    "period that is not whole months."
                )
            )
        if scope:
            sheet.write(2, 0, " ".join(scope), self.formats["note"])
        self.row = 3
        if detail:
            sheet.repeat_rows(0, 3)
            sheet.freeze_panes(4, 1)
        else:
            sheet.repeat_rows(0, 1)
            sheet.freeze_panes(3, 0)
        return sheet

    def table(self, title, headers):
        """A table title and its header row; returns the first data row."""
        self.sheet.write(self.row, 0, title, self.formats["table"])
        self.row += 1
        for column, header in enumerate(headers):
            self.sheet.write(self.row, column, header, self.formats["head"])
        self.row += 1
        return self.row

    def line(self, values, bold=False, indent=False):
        """One row: ints, floats (rates, shares: ('pct', value)), dates, text;
        None is "—"."""
        fmt = self.formats
        for column, value in enumerate(values):
            kind = None
            if isinstance(value, tuple):
                kind, value = value
            if value is None:
                self.sheet.write_string(self.row, column, "—", fmt["none"])
            elif kind == "pct":
                # Stored as a fraction: Excel computes with it as a percentage.
                value /= 100.0
                self.sheet.write_number(
                    self.row, column, value, fmt["pct_bold" if bold else "pct"]
                )
            elif kind == "dec":
                self.sheet.write_number(self.row, column, value, fmt["dec"])
            elif isinstance(value, bool):
                self.sheet.write_string(
                    self.row,
                    column,
                    self.env._("Yes") if value else self.env._("No"),
                    fmt["text"],
                )
            elif isinstance(value, int | float):
                self.sheet.write_number(
                    self.row, column, value, fmt["int_bold" if bold else "int"]
                )
            elif hasattr(value, "isoformat"):
                self.sheet.write_datetime(self.row, column, value, fmt["date"])
            else:
                style = (
                    "text_bold"
                    if bold
                    else ("indent" if indent and column == 0 else "text")
                )
                self.sheet.write_string(self.row, column, str(value), fmt[style])
        self.row += 1

    def gap(self):
        self.row += 1

    def note(self, text):
        """One line of explanation under a table (口径)."""
        self.sheet.write(self.row, 0, text, self.formats["note"])
        self.row += 1

    def compare(self, now, previous, last_year):
        return [
            now,
            previous,
            ("pct", change(now, previous)),
            last_year,
            now - last_year,
            ("pct", change(now, last_year)),
        ]

    # -- sheets ----------------------------------------------------------
    def overview(self):
        data = self.data
        self.new_sheet(
            self.env._("Overview"),
            self.env._("Petition statistics"),
            [30, 12, 12, 12, 12, 12, 12, 12],
        )
        headers = [
            "",
            self.env._("This period"),
            self.env._("Previous period"),
            self.env._("Change on previous period (环比)"),
            self.env._("Same period last year"),
            self.env._("Change"),
            self.env._("Year on year (同比)"),
        ]
        first_rows = {}
        for key, title in (
            ("channel", self.env._("Items received by channel (件)")),
            ("nature", self.env._("Items received by nature of the request (件)")),
        ):
            rows = data[key]
            first_rows[key] = self.table(title, headers)
            for label, now, previous, last_year in rows:
                self.line([label, *self.compare(now, previous, last_year)])
            totals = data["totals"]
            self.line(
                [
                    self.env._("Total"),
                    *self.compare(
                        totals["current"], totals["previous"], totals["last_year"]
                    ),
                ],
                bold=True,
            )
            self.gap()
        people = data["people"]
        self.table(self.env._("People (人次)"), headers)
        self.line(
            [
                self.env._("People counted on the items"),
                *self.compare(
                    people["current"], people["previous"], people["last_year"]
                ),
            ]
        )
        self.gap()
        short = [
            "",
            self.env._("This period"),
            self.env._("Same period last year"),
            self.env._("Year on year (同比)"),
        ]
        self.table(self.env._("Initial and repeat petitions"), short)
        for label, now, last_year in data["validity"]:
            self.line([label, now, last_year, ("pct", change(now, last_year))])
        self.gap()
        self.table(self.env._("Acceptance decisions on the items received"), short)
        for label, now, last_year in data["decision"]:
            self.line([label, now, last_year, ("pct", change(now, last_year))])
        self.gap()
        self.table(
            self.env._("Rates (items received in the period)"),
            [
                "",
                self.env._("This period"),
                self.env._("Numerator"),
                self.env._("Denominator"),
                self.env._("Same period last year"),
            ],
        )
        for label, code, now, last_year in data["kpi"]:
            if code in RATE_CODES:
                self.line(
                    [label, ("pct", now[0]), now[1], now[2], ("pct", last_year[0])]
                )
            elif code == "average_handling_days":
                self.line(
                    [label, ("dec", now[0]), now[1], now[2], ("dec", last_year[0])]
                )
            else:
                self.line([label, now[0], now[1], now[2], last_year[0]])
        self.gap()
        self.note(
            self.env._(
                "The rates above are over the items received in the period; "
                "those of the items closed in the period follow."
            )
        )
        self.gap()
        closed = data["closed"]
        closed_kpi = data["closed_kpi"]
        self.table(
            self.env._("Items closed in the period, whenever received (本期办结)"),
            [
                "",
                self.env._("This period"),
                self.env._("Numerator"),
                self.env._("Denominator"),
                self.env._("Same period last year"),
            ],
        )
        self.line(
            [
                self.env._("Items closed"),
                closed["current"],
                None,
                None,
                closed["last_year"],
            ],
            bold=True,
        )
        labels = dict(self.env["xinfang.kpi"]._labels())
        for code in ("on_time_completion", "callback", "satisfaction"):
            now, before = closed_kpi["current"][code], closed_kpi["last_year"][code]
            self.line(
                [labels[code], ("pct", now[0]), now[1], now[2], ("pct", before[0])]
            )
        now = closed_kpi["current"]["average_handling_days"]
        before = closed_kpi["last_year"]["average_handling_days"]
        self.line(
            [
                labels["average_handling_days"],
                ("dec", now[0]),
                now[1],
                now[2],
                ("dec", before[0]),
            ]
        )
        self.gap()
        # Volume by month, with last year: the data of the first chart.
        months_first = self.table(
            self.env._("Items received by month"),
            [
                self.env._("Month"),
                self.env._("This period"),
                self.env._("Same period last year"),
            ],
        )
        for month, now, last_year in data["months"]:
            self.line([month.strftime("%Y-%m"), now, last_year])
        months_last = self.row - 1
        chart = self.book.add_chart({"type": "column"})
        sheet_name = self.sheet.name
        for column, name in (
            (1, self.env._("This period")),
            (2, self.env._("Same period last year")),
        ):
            chart.add_series(
                {
                    "name": name,
                    "categories": [sheet_name, months_first, 0, months_last, 0],
                    "values": [sheet_name, months_first, column, months_last, column],
                }
            )
        chart.set_title({"name": self.env._("Items received by month")})
        chart.set_size({"width": 620, "height": 300})
        self.sheet.insert_chart(3, 8, chart)
        # Nature of the request: a pie of this period.
        nature_first = first_rows["nature"]
        pie = self.book.add_chart({"type": "pie"})
        pie.add_series(
            {
                "name": self.env._("Nature of the request"),
                "categories": [
                    sheet_name,
                    nature_first,
                    0,
                    nature_first + len(data["nature"]) - 1,
                    0,
                ],
                "values": [
                    sheet_name,
                    nature_first,
                    1,
                    nature_first + len(data["nature"]) - 1,
                    1,
                ],
                "data_labels": {"percentage": True},
            }
        )
        pie.set_title({"name": self.env._("Nature of the request")})
        pie.set_size({"width": 620, "height": 300})
        self.sheet.insert_chart(19, 8, pie)

    def categories(self):
        data = self.data
        self.new_sheet(
            self.env._("Categories and prominent issues"),
            self.env._("Categories and prominent issues"),
            [34, 12, 12, 12, 12, 12],
        )
        headers = [
            self.env._("Category"),
            self.env._("This period"),
            self.env._("Share"),
            self.env._("Same period last year"),
            self.env._("Year on year (同比)"),
        ]
        self.table(
            self.env._("Items received by category (parents with their subtotal)"),
            headers,
        )
        for row in data["categories"]:
            self.line(
                [
                    row["name"],
                    row["count"],
                    ("pct", row["share"]),
                    row["last_year"],
                    ("pct", row["yoy"]),
                ],
                bold=row["level"] == 0,
                indent=row["level"] == 1,
            )
        self.line(
            [
                self.env._("Total"),
                data["totals"]["current"],
                ("pct", 100.0 if data["totals"]["current"] else None),
                data["totals"]["last_year"],
                ("pct", change(data["totals"]["current"], data["totals"]["last_year"])),
            ],
            bold=True,
        )
        self.gap()
        top_first = self.table(self.env._("The ten largest categories"), headers)
        for row in data["top"]:
            self.line(
                [
                    row["name"],
                    row["count"],
                    ("pct", row["share"]),
                    row["last_year"],
                    ("pct", row["yoy"]),
                ]
            )
        top_last = self.row - 1
        self.gap()
        self.table(
            self.env._("The ten fastest-rising categories"),
            [
                self.env._("Category"),
                self.env._("This period"),
                self.env._("Same period last year"),
                self.env._("Increase"),
                self.env._("Year on year (同比)"),
            ],
        )
        for row in data["rising"]:
            self.line(
                [
                    row["name"],
                    row["count"],
                    row["last_year"],
                    row["count"] - row["last_year"],
                    ("pct", row["yoy"]),
                ]
            )
        if data["top"]:
            chart = self.book.add_chart({"type": "bar"})
            chart.add_series(
                {
                    "name": self.env._("This period"),
                    "categories": [self.sheet.name, top_first, 0, top_last, 0],
                    "values": [self.sheet.name, top_first, 1, top_last, 1],
                }
            )
            chart.set_title({"name": self.env._("The ten largest categories")})
            chart.set_y_axis({"reverse": True})
            chart.set_legend({"none": True})
            chart.set_size({"width": 560, "height": 320})
            self.sheet.insert_chart(3, 6, chart)

    def departments(self):
        self.new_sheet(
            self.env._("Departments"),
            self.env._("Figures by department"),
            [22] + [10] * 11,
        )
        self.table(
            self.env._("Items received in the period, by department"),
            [
                self.env._("Department"),
                self.env._("Items received"),
                self.env._("Accepted"),
                self.env._("In hand"),
                self.env._("Closed"),
                self.env._("On-time completion rate"),
                self.env._("Overdue"),
                self.env._("Supervision notices"),
                self.env._("Escalations"),
                self.env._("Returns (退办)"),
                self.env._("Callbacks"),
                self.env._("Satisfaction rate"),
            ],
        )
        for row in self.data["departments"]:
            self.line(
                [
                    row["name"],
                    row["received"],
                    row["accepted"],
                    row["open"],
                    row["closed"],
                    ("pct", row["on_time"]),
                    row["overdue"],
                    row["notices"],
                    row["escalated"],
                    row["returns"],
                    row["callbacks"],
                    ("pct", row["satisfaction"]),
                ],
                bold=row.get("total", False),
            )
        if not self.data["departments"]:
            self.line([self.env._("No item in the period.")])

    def supervision(self):
        data = self.data
        self.new_sheet(
            self.env._("Supervision and transfers"),
            self.env._("Supervision and transfers"),
            [30, 12, 12, 12, 12, 12],
        )
        self.table(
            self.env._("Supervision records of the period, by kind and outcome"),
            [self.env._("Kind"), *data["supervision_states"], self.env._("Total")],
        )
        for kind, counts in data["supervision"]:
            self.line([kind, *counts, sum(counts)])
        self.gap()
        self.table(
            self.env._("Items transferred from upper-level bodies (上级转办)"),
            ["", self.env._("This period")],
        )
        for label, value in data["upper"]:
            self.line([label, value])
        self.line([self.env._("Items escalated (升级督办)"), data["escalated"]])
        self.gap()
        self.table(
            self.env._("Key cases by owning leader (领导包案)"),
            [self.env._("Leader"), self.env._("Items"), self.env._("Closed")],
        )
        for name, total, closed in data["owned"]:
            self.line([name, total, closed])
        if not data["owned"]:
            self.line([self.env._("No key case in the period.")])

    def visits(self):
        visits = self.data["visits"]
        self.new_sheet(
            self.env._("Visits and reception days"),
            self.env._("Visits and reception days"),
            [30, 12, 12, 12, 12],
        )
        headers = [
            "",
            self.env._("Batches (批)"),
            self.env._("People (人次)"),
            self.env._("Batches last year"),
            self.env._("People last year"),
        ]
        self.table(self.env._("Visits received, by type"), headers)
        for row in visits["types"]:
            self.line(list(row))
        self.line(
            [
                self.env._("Total"),
                *[sum(row[i] for row in visits["types"]) for i in range(1, 5)],
            ],
            bold=True,
        )
        self.note(
            self.env._(
                "Visits of the visit register (来访登记), in batches and people; "
                "the overview counts the petitions registered from visits (件)."
            )
        )
        self.gap()
        self.table(self.env._("Collective, cross-level and abnormal visits"), headers)
        for row in visits["special"]:
            self.line(list(row))
        self.gap()
        self.table(
            self.env._("Leaders' reception"),
            [
                self.env._("Leader"),
                self.env._("Reception days held"),
                self.env._("Visits received (批)"),
                self.env._("People received (人次)"),
            ],
        )
        for row in visits["leaders"]:
            self.line(list(row))
        if not visits["leaders"]:
            self.line([self.env._("No reception day in the period.")])

    def callbacks(self):
        callbacks = self.data["callbacks"]
        self.new_sheet(
            self.env._("Callbacks"),
            self.env._("Callbacks and satisfaction"),
            [24, 12, 14, 40, 12],
        )
        self.table(
            self.env._("Callbacks planned in the period, by outcome"),
            ["", self.env._("Number of callbacks")],
        )
        for label, value in callbacks["states"]:
            self.line([label, value])
        self.gap()
        self.table(
            self.env._("Ratings of the callbacks made"),
            ["", self.env._("Number of callbacks"), self.env._("Share")],
        )
        for label, value, share in callbacks["ratings"]:
            self.line([label, value, ("pct", share)])
        self.note(
            self.env._(
                "Callbacks are counted by their planned day; the callback and "
                "satisfaction rates of the overview are over the items."
            )
        )
        self.gap()
        self.table(
            self.env._("Dissatisfied callbacks and their follow-up"),
            [
                self.env._("Item"),
                self.env._("Called back on"),
                self.env._("Department"),
                self.env._("Follow-up taken"),
                self.env._("Handled again"),
            ],
        )
        for row in callbacks["dissatisfied"]:
            self.line(list(row))
        if callbacks["dissatisfied_hidden"]:
            self.line(
                [
                    self.env._("Confidential (保密件，不分列)"),
                    None,
                    None,
                    self.env._(
                        "%(count)s callback(s), not described.",
                        count=callbacks["dissatisfied_hidden"],
                    ),
                ]
            )

    def details(self):
        env = self.env
        Petition = env["xinfang.petition"]
        columns = [
            ("name", self.env._("Number"), 18),
            ("registration_date", self.env._("Received on"), 11),
            ("channel", self.env._("Channel"), 10),
            ("request_nature", self.env._("Nature"), 10),
            ("category_id", self.env._("Category"), 18),
            ("department_id", self.env._("Department"), 14),
            ("subject", self.env._("Subject"), 36),
            ("state", self.env._("Status"), 10),
            ("acceptance_deadline", self.env._("Acceptance deadline"), 11),
            ("handling_deadline", self.env._("Handling deadline"), 11),
            ("close_date", self.env._("Closed on"), 11),
            ("closed_on_time", self.env._("Closed on time"), 8),
            ("callback_rating", self.env._("Rating"), 10),
            ("repeat_of_id", self.env._("Repeat of"), 18),
        ]
        self.new_sheet(
            self.env._("Details"),
            self.env._("Items received in the period"),
            [w for _f, _l, w in columns],
            detail=True,
        )
        for column, (_fname, label, _width) in enumerate(columns):
            self.sheet.write(self.row, column, label, self.formats["head"])
        self.row += 1
        # One writer per column, chosen once: the rows are written cell by
        # cell, up to DETAIL_LIMIT of them.
        zone = pytz.timezone(self.data["company"]._xinfang_tz())
        sheet, fmt = self.sheet, self.formats
        text, date_format = fmt["text"], fmt["date"]

        def selection(fname):
            names = dict(Petition._fields[fname]._description_selection(env))
            return lambda row, col, value: sheet.write_string(
                row, col, names.get(value, ""), text
            )

        def day(row, col, value):
            if value:
                sheet.write_datetime(row, col, value, date_format)
            else:
                sheet.write_blank(row, col, None, text)

        writers = {
            "registration_date": lambda row, col, value: sheet.write_datetime(
                row, col, pytz.utc.localize(value).astimezone(zone).date(), date_format
            ),
            # 是/否 for the closed items, empty for the open ones.
            "closed_on_time": lambda row, col, value: sheet.write_string(
                row, col, value, text
            ),
        }
        for fname in ("channel", "request_nature", "state", "callback_rating"):
            writers[fname] = selection(fname)
        for fname in ("acceptance_deadline", "handling_deadline", "close_date"):
            writers[fname] = day
        plain = lambda row, col, value: sheet.write_string(  # noqa: E731
            row, col, value or "", text
        )
        columns_writers = [
            (column, fname, writers.get(fname, plain))
            for column, (fname, _label, _width) in enumerate(columns)
        ]
        rows = self.data["details"]
        for record in rows:
            row = self.row
            for column, fname, write in columns_writers:
                write(row, column, record[fname])
            self.row += 1
        notes = []
        if len(rows) >= DETAIL_LIMIT:
            notes.append(
                self.env._(
                    "Only the first %(limit)s items are listed: export the others "
                    "from the list of petitions.",
                    limit=DETAIL_LIMIT,
                )
            )
        if self.data["details_hidden"]:
            notes.append(
                self.env._(
                    "%(count)s confidential item(s) are counted in the figures and "
                    "not described here.",
                    count=self.data["details_hidden"],
                )
            )
        for note in notes:
            self.sheet.write(self.row, 0, note, self.formats["note"])
            self.row += 1
        if rows:
            self.sheet.autofilter(3, 0, 3 + len(rows), len(columns) - 1)
