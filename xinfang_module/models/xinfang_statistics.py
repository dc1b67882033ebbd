"""The figures of a period (G1): what the period workbook prints, the
month-end report sums up and the dashboard shows.

Every figure is one grouped query (``_read_group``) over the period, for all
its rows at once: the number of queries does not depend on the number of
items. Only the detail sheet (明细) reads rows, at most ``DETAIL_LIMIT`` of
them, in one query.

Who counts what (readme/USAGE.md, "Statistics"):
- the office (officers, the office manager, leaders, discipline) counts every
  item of the company, confidential ones included, but a confidential item is
  described (department, category, subject) to discipline only: elsewhere it
  is one line, "保密件（不分列）";
- everybody else (handlers) counts what their record rules let them read, in
  their own departments.
"""

from collections import namedtuple
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .tools import grouped_measures
from .xinfang_category import REQUEST_NATURES
from .xinfang_petition import (
    CALLBACK_RATINGS,
    CHANNELS,
    DISCIPLINE,
    LEADER,
    OFFICER,
    TAKEN_IN_STATES,
)
from .xinfang_supervision import KINDS as SUPERVISION_KINDS
from .xinfang_visit import VISIT_TYPES

PERIOD_TYPES = [
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("half", "Half-year"),
    ("year", "Year"),
    ("custom", "Custom"),
]
MAX_YEARS = 5
# The detail sheet lists at most this many items (Excel prints them; the
# list view exports more).
DETAIL_LIMIT = 20000
KPI_CODES = [
    "timely_acceptance",
    "on_time_completion",
    "callback",
    "satisfaction",
    "repeat",
    "overdue",
    "average_handling_days",
]
TOP = 10

Period = namedtuple("Period", "date_from date_to")


def period_dates(period_type, year, number=1):
    """(first day, last day) of the month, quarter or half ``number`` of
    ``year``, or of the year."""
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[period_type]
    start = datetime(year, 1, 1).date() + relativedelta(
        months=months * (number - 1) if period_type != "year" else 0
    )
    return start, start + relativedelta(months=months, days=-1)


def whole_months(period):
    """The number of calendar months the period covers exactly, else 0."""
    end = period.date_to + timedelta(days=1)
    if period.date_from.day != 1 or end.day != 1:
        return 0
    return (end.year - period.date_from.year) * 12 + end.month - period.date_from.month


def shifted(period, **delta):
    """The period moved by a relativedelta (last year: years=-1); whole
    months stay whole months (February of a leap year ends on the 29th)."""
    start = period.date_from + relativedelta(**delta)
    months = whole_months(period)
    if months:
        return Period(start, start + relativedelta(months=months, days=-1))
    return Period(start, period.date_to + relativedelta(**delta))


def previous(period):
    """The period of the same length just before (环比): the same number of
    months for whole months, else the same number of days."""
    months = whole_months(period)
    if months:
        return Period(
            period.date_from - relativedelta(months=months),
            period.date_from - timedelta(days=1),
        )
    days = (period.date_to - period.date_from).days + 1
    return Period(
        period.date_from - timedelta(days=days),
        period.date_from - timedelta(days=1),
    )


def change(current, before):
    """Percentage change, None without a base (shown as "—")."""
    if not before:
        return None
    return 100.0 * (current - before) / before


class XinfangStatistics(models.AbstractModel):
    _name = "xinfang.statistics"
    _description = "Petition Statistics"

    # ------------------------------------------------------------------
    # Scope
    # ------------------------------------------------------------------
    @api.model
    def _check_period(self, date_from, date_to):
        if not date_from or not date_to:
            raise ValidationError(self.env._("Give the first and the last day."))
        if date_to < date_from:
            raise ValidationError(
                self.env._("The last day of the period is before its first day.")
            )
        if date_from.year < 1900 or date_to.year > 2999:
            raise ValidationError(
                self.env._("Give a period between the years 1900 and 2999.")
            )
        if date_to >= date_from + relativedelta(years=MAX_YEARS):
            raise ValidationError(
                self.env._(
                    "A period may last at most %(years)s years: split it.",
                    years=MAX_YEARS,
                )
            )

    @api.model
    def _scope(self, company, department=None, office=None, describe=None, period=None):
        """(environment the figures are counted in, base domain, describe).

        ``office`` and ``describe`` default to the current user's groups; the
        month-end cron passes office=True, describe=False. Where confidential
        items are counted without being described, they are counted over
        whole months of the whole company only: a department or a few days
        would tell whose and when (they are then left out)."""
        user = self.env.user
        if department and department.company_id not in (company, company.browse()):
            raise ValidationError(
                self.env._(
                    "%(department)s is not a department of %(company)s.",
                    department=department.name,
                    company=company.name,
                )
            )
        if not self.env.su and company not in user.company_ids:
            raise AccessError(
                self.env._("You do not work for %(company)s.", company=company.name)
            )
        if office is None:
            office = self.env.su or any(
                user.has_group(group) for group in (OFFICER, LEADER, DISCIPLINE)
            )
        if describe is None:
            describe = user.has_group(DISCIPLINE)
        domain = [("company_id", "=", company.id)]
        if department:
            domain.append(("department_id", "child_of", department.ids))
        env = self.env
        if office:
            env = self.env(su=True)
            if not describe and (department or (period and not whole_months(period))):
                domain.append(("confidential", "=", False))
        else:
            # A handler's own departments only, within their record rules.
            if department and not department.filtered("xinfang_mine"):
                raise ValidationError(
                    self.env._(
                        "You count the items of your own departments only: "
                        "leave the department empty or choose one of yours."
                    )
                )
            domain.append(("department_id.xinfang_mine", "=", True))
            describe = False
        return env, domain, describe

    @api.model
    def _measured(self, model, domain, groupby=None, measures=None):
        """tools.grouped_measures (by default one measure, "count"); nothing
        for who may not read the model."""
        if not model.has_access("read"):
            return {}
        return grouped_measures(
            model, domain, groupby, measures or {"count": ("__count", [])}
        )

    @api.model
    def _category_names(self, categories):
        """{category: name}; a parent's own items are "<parent> / other":
        its name alone would read as its subtotal."""
        parents = categories.parent_id & categories
        return {
            category: self.env._("%(parent)s / other", parent=category.display_name)
            if category in parents
            else category.display_name
            for category in categories
        }

    @api.model
    def _datetime_domain(self, field, period, tz):
        """``field`` (a Datetime) within the days of the period, in ``tz``."""
        zone = pytz.timezone(tz)

        def utc(day):
            local = zone.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return [
            (field, ">=", utc(period.date_from)),
            (field, "<", utc(period.date_to + timedelta(days=1))),
        ]

    @api.model
    def _date_domain(self, field, period):
        return [(field, ">=", period.date_from), (field, "<=", period.date_to)]

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------
    @api.model
    def _collect(
        self, company, date_from, date_to, department=None, office=None, describe=None
    ):
        """Every figure of the period, as plain Python values (see the sheet
        writers in xinfang_workbook.py and tests/test_statistics.py)."""
        self._check_period(date_from, date_to)
        env, base, describe = self._scope(
            company, department, office, describe, Period(date_from, date_to)
        )
        lang = company._xinfang_lang()
        tz = company._xinfang_tz()
        env = env(context=dict(env.context, lang=lang, tz=tz, active_test=True))
        current = Period(date_from, date_to)
        periods = {
            "current": current,
            "previous": previous(current),
            "last_year": shifted(current, years=-1),
        }
        Petition = env["xinfang.petition"]
        received = {
            key: base + self._datetime_domain("registration_date", period, tz)
            for key, period in periods.items()
        }
        # The breakdowns that would describe a confidential item.
        hidden = [] if describe else [("confidential", "=", False)]
        data = {
            "company": company,
            "department": department,
            "periods": periods,
            "describe": describe,
            "lang": lang,
            # What the figures cover, said on every sheet.
            "own_departments": []
            if env.su
            else self.env["hr.department"]
            .search([("xinfang_mine", "=", True)])
            .mapped("name"),
            "confidential_left_out": env.su
            and not describe
            and bool(department or not whole_months(current)),
        }

        def measured(domain, groupby=None, measures=None, model=Petition):
            return self._measured(model, domain, groupby, measures)

        def labels(model, field):
            return dict(model._fields[field]._description_selection(env))

        # 总体情况: one query per period for the totals, the decisions and
        # the KPI; one per breakdown.
        Kpi = env["xinfang.kpi"]
        total_measures = {
            "count": ("__count", []),
            "people": ("people_count:sum", []),
            "repeats": ("__count", [("repeat_of_id", "!=", False)]),
            "escalated": ("__count", [("escalated", "=", True)]),
            "confidential": ("__count", [("confidential", "=", True)]),
            **{
                f"state/{state}": ("__count", [("state", "=", state)])
                for state, _label in Petition._fields["state"].selection
            },
            **Kpi._measures(),
        }
        totals = {
            key: measured(domain, measures=total_measures).get(None)
            or dict.fromkeys(total_measures, 0)
            for key, domain in received.items()
        }
        data["totals"] = {key: values["count"] for key, values in totals.items()}
        data["people"] = {key: values["people"] for key, values in totals.items()}
        data["escalated"] = totals["current"]["escalated"]
        data["confidential"] = totals["current"]["confidential"]
        data["validity"] = [
            (
                env._("Initial petitions (初信初访)"),
                totals["current"]["count"] - totals["current"]["repeats"],
                totals["last_year"]["count"] - totals["last_year"]["repeats"],
            ),
            (
                env._("Repeat petitions (重复信访)"),
                totals["current"]["repeats"],
                totals["last_year"]["repeats"],
            ),
        ]

        def states(key, wanted):
            return sum(totals[key][f"state/{state}"] for state in wanted)

        data["decision"] = [
            (label, states("current", wanted), states("last_year", wanted))
            for label, wanted in (
                (env._("Accepted (受理)"), TAKEN_IN_STATES),
                (
                    env._("Not accepted (不予受理/不再受理)"),
                    ("rejected", "not_reaccepted"),
                ),
                (env._("Redirected (告知转送)"), ("redirected",)),
                (env._("Awaiting a decision (待受理)"), ("draft", "pending")),
            )
        ]
        kpi = {key: Kpi._from_measures(totals[key]) for key in totals}
        kpi_labels = dict(Kpi._labels())
        data["kpi"] = [
            (kpi_labels[code], code, kpi["current"][code], kpi["last_year"][code])
            for code in KPI_CODES
        ]
        # The items closed in the period, whenever received: their count and
        # the rates of their closure (按期办结率 of the month's closures).
        closed = {
            key: measured(
                base + self._date_domain("close_date", periods[key]),
                measures={"count": ("__count", []), **Kpi._measures()},
            ).get(None)
            for key in ("current", "last_year")
        }
        data["closed"] = {
            key: values["count"] if values else 0 for key, values in closed.items()
        }
        data["closed_kpi"] = {
            key: Kpi._from_measures(values)
            if values
            else Kpi._from_measures(dict.fromkeys(Kpi._measures(), 0))
            for key, values in closed.items()
        }

        # The breakdowns: one scan per period for all of them (GROUPING SETS).
        upper_measures = {
            "count": ("__count", []),
            "visible": ("__count", hidden),
            "accepted": ("__count", [("state", "in", TAKEN_IN_STATES)]),
            "closed": ("__count", [("state", "in", ("closed", "filed"))]),
            "on_time": ("__count", [("closed_on_time", "=", True)]),
        }
        breakdowns = {}
        for key, domain in received.items():
            specs = ["channel", "request_nature"]
            if key != "previous":
                specs += ["category_id", "registration_date:month"]
            breakdowns[key] = measured(domain, specs, upper_measures) or {}
        by_channel = {key: rows.get("channel", {}) for key, rows in breakdowns.items()}
        by_nature = {
            key: rows.get("request_nature", {}) for key, rows in breakdowns.items()
        }

        def breakdown(field, by_period, options):
            """Rows per value; the confidential items, when not described,
            are one row of their own."""
            names = labels(Petition, field) | {False: env._("Not given")}
            keys = [key for key, _label in options]
            # Items registered before the field existed have no value.
            if any(rows.get(False) for rows in by_period.values()):
                keys.append(False)
            periods_order = ("current", "previous", "last_year")
            rows = [
                (
                    names[key],
                    *(
                        by_period[period].get(key, {}).get("visible", 0)
                        for period in periods_order
                    ),
                )
                for key in keys
            ]
            hidden_counts = [
                sum(
                    values["count"] - values["visible"]
                    for values in by_period[period].values()
                )
                for period in periods_order
            ]
            if any(hidden_counts):
                rows.append((env._("Confidential (保密件，不分列)"), *hidden_counts))
            return rows

        data["channel"] = breakdown("channel", by_channel, CHANNELS)
        data["nature"] = breakdown("request_nature", by_nature, REQUEST_NATURES)
        data["months"] = self._months(
            {
                key: breakdowns[key].get("registration_date:month", {})
                for key in ("current", "last_year")
            },
            current,
        )

        # 分类与突出问题 ------------------------------------------------------
        data["categories"], data["top"], data["rising"] = self._categories(
            env,
            {
                key: {
                    category: values["visible"]
                    for category, values in breakdowns[key]
                    .get("category_id", {})
                    .items()
                    if values["visible"]
                }
                for key in ("current", "last_year")
            },
            hidden,
            data["totals"],
        )

        # 科室 ---------------------------------------------------------------
        data["departments"] = self._departments(
            env, measured, received["current"], hidden, data["confidential"]
        )

        # 督办与转办 ---------------------------------------------------------
        Supervision = env["xinfang.supervision"]
        supervision_states = labels(Supervision, "state")
        supervision = measured(
            [("petition_id", "any", base)] + self._date_domain("date", current),
            "kind",
            {
                state: ("__count", [("state", "=", state)])
                for state in supervision_states
            },
            model=Supervision,
        )
        kind_names = labels(Supervision, "kind")
        data["supervision_states"] = list(supervision_states.values())
        data["supervision"] = [
            (
                kind_names[kind],
                [
                    supervision.get(kind, {}).get(state, 0)
                    for state in supervision_states
                ],
            )
            for kind, _label in SUPERVISION_KINDS
        ]
        upper = by_channel["current"].get("upper_transfer") or dict.fromkeys(
            upper_measures, 0
        )
        data["upper"] = [
            (env._("Received (收到上级转办)"), upper["count"]),
            (env._("Accepted (受理)"), upper["accepted"]),
            (env._("Closed (办结)"), upper["closed"]),
            (env._("Closed on time (按期办结)"), upper["on_time"]),
        ]
        owned = measured(
            received["current"] + hidden + [("owner_leader_id", "!=", False)],
            "owner_leader_id",
            {
                "count": ("__count", []),
                "closed": ("__count", [("state", "in", ("closed", "filed"))]),
            },
        )
        data["owned"] = sorted(
            (
                (leader.sudo().name, values["count"], values["closed"])
                for leader, values in owned.items()
            ),
            key=lambda row: (-row[1], row[0]),
        )

        # 来访与接待 ----------------------------------------------------------
        data["visits"] = self._visits(env, company, department, periods, measured, tz)

        # 回访 ---------------------------------------------------------------
        data["callbacks"] = self._callbacks(env, base, current, measured, hidden)

        # 明细 ---------------------------------------------------------------
        data["details"] = self._details(env, received["current"] + hidden, describe)
        data["details_hidden"] = data["confidential"] if hidden else 0
        return data

    @api.model
    def _months(self, by_period, period):
        """[(first day of month, items, items a year before)] of the period's
        months (at most 24, for the chart), from the items received in the
        period and in the same period a year before, grouped by month."""
        first = period.date_from.replace(day=1)
        months = []
        while first <= period.date_to and len(months) < 24:
            months.append(first)
            first += relativedelta(months=1)
        counts = {
            key: {
                month.date() + relativedelta(years=shift): values["count"]
                for month, values in by_period[key].items()
            }
            for key, shift in (("current", 0), ("last_year", 1))
        }
        return [
            (
                month,
                counts["current"].get(month, 0),
                counts["last_year"].get(month, 0),
            )
            for month in months
        ]

    @api.model
    def _categories(self, env, by_period, hidden, totals):
        """Category rows (parents with their subtotal first), the ten largest
        and the ten fastest-rising leaves, from {period: {category: count}}
        (confidential items left out when they are not described)."""
        used = env["xinfang.category"].browse(
            {c.id for counts in by_period.values() for c in counts if c}
        )
        current, last_year = by_period["current"], by_period["last_year"]
        total = totals["current"]

        def row(level, name, now, before):
            return {
                "level": level,
                "name": name,
                "count": now,
                "share": 100.0 * now / total if total else None,
                "last_year": before,
                "yoy": change(now, before),
            }

        rows = []
        roots = used.mapped(lambda category: category.parent_id or category)
        for root in roots.sorted(lambda c: (c.sequence, c.name)):
            children = used.filtered(lambda c, root=root: c.parent_id == root)
            own_now, own_before = current.get(root, 0), last_year.get(root, 0)
            now = own_now + sum(current.get(c, 0) for c in children)
            before = own_before + sum(last_year.get(c, 0) for c in children)
            rows.append(row(0, root.name, now, before))
            if children:
                if root in used:
                    rows.append(
                        row(
                            1,
                            env._("%(parent)s / other", parent=root.name),
                            own_now,
                            own_before,
                        )
                    )
                for child in children.sorted(lambda c: (c.sequence, c.name)):
                    rows.append(
                        row(
                            1,
                            child.name,
                            current.get(child, 0),
                            last_year.get(child, 0),
                        )
                    )
        none = env["xinfang.category"]
        if current.get(none) or last_year.get(none):
            rows.append(
                row(
                    0,
                    env._("No category"),
                    current.get(none, 0),
                    last_year.get(none, 0),
                )
            )
        if hidden:
            now = totals["current"] - sum(current.values())
            before = totals["last_year"] - sum(last_year.values())
            if now or before:
                rows.append(row(0, env._("Confidential (保密件，不分列)"), now, before))
        names = self.with_env(env)._category_names(used)
        leaves = [
            row(
                0, names[category], current.get(category, 0), last_year.get(category, 0)
            )
            for category in used
        ]
        top = sorted(
            (leaf for leaf in leaves if leaf["count"]),
            key=lambda leaf: (-leaf["count"], leaf["name"]),
        )[:TOP]
        rising = sorted(
            (leaf for leaf in leaves if leaf["count"] > leaf["last_year"]),
            key=lambda leaf: (-(leaf["count"] - leaf["last_year"]), leaf["name"]),
        )[:TOP]
        return rows, top, rising

    @api.model
    def _departments(self, env, measured, received, hidden, confidential):
        """One row per department with items received in the period: one
        query for the counts and the KPI, one for the supervision notices."""
        Petition = env["xinfang.petition"]
        Kpi = env["xinfang.kpi"]
        domain = received + hidden
        rows_by_department = measured(
            domain,
            "department_id",
            {
                "received": ("__count", []),
                "accepted": ("__count", [("state", "in", TAKEN_IN_STATES)]),
                "open": ("__count", [("state", "in", Petition._open_states())]),
                "closed": ("__count", [("state", "in", ("closed", "filed"))]),
                "escalated": ("__count", [("escalated", "=", True)]),
                "returns": ("reply_return_count:sum", []),
                "rated": ("__count", [("callback_rating", "!=", False)]),
                **Kpi._measures(),
            },
        )
        notices = measured(
            [("petition_id", "any", domain), ("kind", "=", "notice")],
            "department_id",
            model=env["xinfang.supervision"],
        )
        rows = []
        for department, values in rows_by_department.items():
            rates = Kpi._from_measures(values)
            rows.append(
                {
                    "name": department.name if department else env._("No department"),
                    "received": values["received"],
                    "accepted": values["accepted"],
                    "open": values["open"],
                    "closed": values["closed"],
                    "on_time": rates["on_time_completion"][0],
                    "overdue": rates["overdue"][0],
                    "notices": notices.get(department, {}).get("count", 0),
                    "escalated": values["escalated"],
                    "returns": values["returns"],
                    "callbacks": values["rated"],
                    "satisfaction": rates["satisfaction"][0],
                }
            )
        rows.sort(key=lambda row: (-row["received"], row["name"]))
        # 合计: the sums, and the rates of the sums (not an average of rates).
        summed = {
            name: sum(values[name] for values in rows_by_department.values())
            for name in next(iter(rows_by_department.values()), {})
        }
        total = None
        if summed:
            rates = Kpi._from_measures(summed)
            total = {
                "name": env._("Total"),
                "received": summed["received"] + (confidential if hidden else 0),
                "accepted": summed["accepted"],
                "open": summed["open"],
                "closed": summed["closed"],
                "on_time": rates["on_time_completion"][0],
                "overdue": rates["overdue"][0],
                "notices": sum(values["count"] for values in notices.values()),
                "escalated": summed["escalated"],
                "returns": summed["returns"],
                "callbacks": summed["rated"],
                "satisfaction": rates["satisfaction"][0],
            }
        if hidden and confidential:
            rows.append(
                dict.fromkeys(
                    (
                        "accepted",
                        "open",
                        "closed",
                        "on_time",
                        "overdue",
                        "notices",
                        "escalated",
                        "returns",
                        "callbacks",
                        "satisfaction",
                    )
                )
                | {
                    "name": env._("Confidential (保密件，不分列)"),
                    "received": confidential,
                }
            )
        if total:
            rows.append(total | {"total": True})
        return rows

    @api.model
    def _visits(self, env, company, department, periods, measured, tz):
        """Visits in 批 (batches) and 人次 (people): one query per period by
        type with the collective, cross-level and abnormal ones, one by
        leader, one for the reception days."""
        Visit = env["xinfang.visit"]
        base = [("company_id", "=", company.id), ("state", "=", "received")]
        if department:
            base.append(("petition_ids.department_id", "child_of", department.ids))
        flags = ("collective", "cross_level", "abnormal")
        measures = {"batches": ("__count", []), "people": ("people_count:sum", [])}
        for flag in flags:
            measures[f"{flag}/batches"] = ("__count", [(flag, "=", True)])
            measures[f"{flag}/people"] = ("people_count:sum", [(flag, "=", True)])
        domains = {
            key: base + self._datetime_domain("date", periods[key], tz)
            for key in ("current", "last_year")
        }
        by_period = {
            key: measured(domain, "visit_type", measures, model=Visit)
            for key, domain in domains.items()
        }

        def total(key, measure, types=None):
            return sum(
                values[measure]
                for visit_type, values in by_period[key].items()
                if types is None or visit_type in types
            )

        names = dict(Visit._fields["visit_type"]._description_selection(env))
        rows = [
            (
                names[key],
                total("current", "batches", {key}),
                total("current", "people", {key}),
                total("last_year", "batches", {key}),
                total("last_year", "people", {key}),
            )
            for key, _label in VISIT_TYPES
        ]
        special = [
            (
                label,
                total("current", f"{flag}/batches"),
                total("current", f"{flag}/people"),
                total("last_year", f"{flag}/batches"),
                total("last_year", f"{flag}/people"),
            )
            for label, flag in (
                (env._("Collective visits (集体访)"), "collective"),
                (env._("Cross-level visits (越级访)"), "cross_level"),
                (env._("Abnormal visits (异常访)"), "abnormal"),
            )
        ]
        leaders = measured(
            domains["current"] + [("leader_id", "!=", False)],
            "leader_id",
            {"batches": ("__count", []), "people": ("people_count:sum", [])},
            model=Visit,
        )
        days = measured(
            [("company_id", "=", company.id)]
            + self._date_domain("date", periods["current"])
            + [("date", "<=", fields.Date.context_today(self))],
            "leader_id",
            model=env["xinfang.reception.day"],
        )
        by_leader = sorted(
            (
                (
                    leader.sudo().name,
                    days.get(leader, {}).get("count", 0),
                    leaders.get(leader, {}).get("batches", 0),
                    leaders.get(leader, {}).get("people", 0),
                )
                for leader in set(leaders) | set(days)
            ),
            key=lambda row: (-row[2], row[0]),
        )
        return {"types": rows, "special": special, "leaders": by_leader}

    @api.model
    def _callbacks(self, env, base, period, measured, hidden):
        """The callbacks planned in the period, whatever became of them: one
        query by state with the ratings, one for the dissatisfied cases."""
        Callback = env["xinfang.callback"]
        domain = [("petition_id", "any", base)] + self._date_domain(
            "planned_date", period
        )
        measures = {"count": ("__count", [])}
        for key, _label in CALLBACK_RATINGS:
            measures[key] = ("__count", [("rating", "=", key)])
        measures["dissatisfied_hidden"] = (
            "__count",
            [("rating", "=", "dissatisfied"), ("confidential", "=", True)],
        )
        by_state = measured(domain, "state", measures, model=Callback)
        state_names = dict(Callback._fields["state"]._description_selection(env))
        rating_names = dict(Callback._fields["rating"]._description_selection(env))
        done = by_state.get("done", {})
        rated = sum(done.get(key, 0) for key, _label in CALLBACK_RATINGS)
        dissatisfied = (
            Callback.search(
                domain + hidden + [("rating", "=", "dissatisfied")],
                order="done_date, id",
                limit=500,
            )
            if Callback.has_access("read")
            else Callback
        )
        return {
            "states": [
                (state_names[key], by_state.get(key, {}).get("count", 0))
                for key in state_names
            ],
            "ratings": [
                (
                    rating_names[key],
                    done.get(key, 0),
                    100.0 * done.get(key, 0) / rated if rated else None,
                )
                for key, _label in CALLBACK_RATINGS
            ],
            "dissatisfied": [
                (
                    callback.petition_id.name,
                    callback.done_date,
                    callback.department_id.name or "",
                    callback.follow_up or "",
                    callback.reopened,
                )
                for callback in dissatisfied
            ],
            "dissatisfied_hidden": done.get("dissatisfied_hidden", 0) if hidden else 0,
        }

    @api.model
    def _details(self, env, domain, describe):
        """The rows of the detail sheet: at most DETAIL_LIMIT items, read in
        one search and one read per batch of the ORM. A repeat's original is
        given by its number, and not even that when it is confidential and
        not described."""
        petitions = env["xinfang.petition"].search(
            domain, order="registration_date, id", limit=DETAIL_LIMIT
        )
        rows = petitions.read(
            [
                "name",
                "registration_date",
                "channel",
                "request_nature",
                "category_id",
                "department_id",
                "subject",
                "state",
                "acceptance_deadline",
                "handling_deadline",
                "close_date",
                "closed_on_time",
                "callback_rating",
                "repeat_of_id",
            ],
            load=None,
        )
        names = {}
        for fname, model in (
            ("category_id", "xinfang.category"),
            ("department_id", "hr.department"),
            ("repeat_of_id", "xinfang.petition"),
        ):
            ids = {row[fname] for row in rows if row[fname]}
            if fname == "repeat_of_id":
                originals = env[model].sudo().with_context(active_test=False)
                names[fname] = {
                    row["id"]: row["name"]
                    if describe or not row["confidential"]
                    else env._("Confidential (保密件，不分列)")
                    for row in originals.browse(ids).read(["name", "confidential"])
                }
            else:
                names[fname] = {
                    record.id: record.display_name
                    for record in env[model].with_context(active_test=False).browse(ids)
                }
        yes, no = env._("Yes"), env._("No")
        for row in rows:
            for fname, by_id in names.items():
                row[fname] = by_id.get(row[fname], "")
            row["closed_on_time"] = (
                (yes if row["closed_on_time"] else no) if row["close_date"] else ""
            )
        return rows

    # ------------------------------------------------------------------
    # The dashboard (信访 > 报表 > 统计看板)
    # ------------------------------------------------------------------
    @api.model
    def _dashboard_periods(self, today):
        """{key: (label, Period)} offered by the dashboard."""
        month = today.replace(day=1)
        quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
        year = today.replace(month=1, day=1)
        end = relativedelta(days=-1)
        return {
            "this_month": (
                self.env._("This month"),
                Period(month, month + relativedelta(months=1) + end),
            ),
            "last_month": (
                self.env._("Last month"),
                Period(month - relativedelta(months=1), month + end),
            ),
            "this_quarter": (
                self.env._("This quarter"),
                Period(quarter, quarter + relativedelta(months=3) + end),
            ),
            "last_quarter": (
                self.env._("Last quarter"),
                Period(quarter - relativedelta(months=3), quarter + end),
            ),
            "this_year": (
                self.env._("This year"),
                Period(year, year + relativedelta(years=1) + end),
            ),
            "last_year": (
                self.env._("Last year"),
                Period(year - relativedelta(years=1), year + end),
            ),
        }

    @api.model
    @api.readonly  # served by a read replica, when Odoo has one
    def get_dashboard_data(self, period="this_year", department_id=False):
        """The dashboard's figures for the current company, as the office
        counts them (every item, confidential ones counted, never described):
        office and leaders only."""
        user = self.env.user
        if not (user.has_group(OFFICER) or user.has_group(LEADER)):
            raise AccessError(
                self.env._("The dashboard is for the petition office and leaders.")
            )
        company = self.env.company
        today = company._xinfang_today()
        periods = self._dashboard_periods(today)
        if not isinstance(period, str) or period not in periods:
            period = "this_year"
        label, current = periods[period]
        department = self.env["hr.department"]
        if isinstance(department_id, int) and department_id > 0:
            department = department.browse(department_id).exists()
        if department and department.sudo().company_id not in (
            company,
            company.browse(),
        ):
            department = department.browse()
        env, base, describe = self._scope(company, department or None, period=current)
        tz = company._xinfang_tz()
        env = env(context=dict(env.context, tz=tz))
        Petition = env["xinfang.petition"]
        Kpi = env["xinfang.kpi"]
        received = base + self._datetime_domain("registration_date", current, tz)
        hidden = [] if describe else [("confidential", "=", False)]

        def measured(domain, groupby=None, measures=None):
            return self._measured(Petition, domain, groupby, measures)

        # The items received: their count and KPI in one query, their
        # breakdowns in one more (GROUPING SETS).
        totals = measured(
            received, measures={"count": ("__count", []), **Kpi._measures()}
        ).get(None) or dict.fromkeys(["count", *Kpi._measures()], 0)
        kpi = Kpi._from_measures(totals)
        total = totals["count"]
        breakdowns = (
            measured(
                received,
                ["request_nature", "category_id", "callback_rating"],
                {"count": ("__count", []), "visible": ("__count", hidden)},
            )
            or {}
        )
        closed = (
            measured(base + self._date_domain("close_date", current))
            .get(None, {})
            .get("count", 0)
        )
        open_overdue = base + [
            ("state", "in", Petition._open_states()),
            ("deadline_status", "=", "overdue"),
        ]
        overdue = measured(
            open_overdue,
            "department_id",
            {"count": ("__count", []), "visible": ("__count", hidden)},
        )
        overdue_total = sum(values["count"] for values in overdue.values())
        tiles = [
            {
                "code": "received",
                "label": self.env._("Items received"),
                "value": f"{total:,}",
            },
            {
                "code": "closed",
                "label": self.env._("Items closed"),
                "value": f"{closed:,}",
            },
            {
                "code": "overdue_now",
                "label": self.env._("Overdue now"),
                "value": f"{overdue_total:,}",
                "detail": self.env._("all open items, any period"),
            },
        ]
        percent = {
            "timely_acceptance",
            "on_time_completion",
            "callback",
            "satisfaction",
        }
        for code, name in Kpi._labels():
            if code not in percent:
                continue
            value, numerator, denominator = kpi.get(code, (None, 0, 0))
            tiles.append(
                {
                    "code": code,
                    "label": name,
                    "value": Kpi._format(value),
                    "detail": f"{numerator:,} / {denominator:,}",
                }
            )
        # Received and closed by month: the twelve months up to the period's end.
        last = current.date_to.replace(day=1)
        months = [last - relativedelta(months=n) for n in range(11, -1, -1)]
        span = Period(months[0], current.date_to)
        by_month = measured(
            base + self._datetime_domain("registration_date", span, tz),
            "registration_date:month",
        )
        closed_by_month = measured(
            base + self._date_domain("close_date", span), "close_date:month"
        )
        natures = dict(Petition._fields["request_nature"]._description_selection(env))
        nature = breakdowns.get("request_nature", {})
        categories = {
            category: values["visible"]
            for category, values in breakdowns.get("category_id", {}).items()
            if category and values["visible"]
        }
        names = self._category_names(
            self.env["xinfang.category"].browse([c.id for c in categories])
        )
        top = sorted(
            ((names[category], count) for category, count in categories.items()),
            key=lambda row: (-row[1], row[0]),
        )[:TOP]
        ratings = breakdowns.get("callback_rating", {})
        rating_names = dict(
            Petition._fields["callback_rating"]._description_selection(env)
        )
        # The departments that handle petitions or have items.
        with_items = Petition._read_group(base, ["department_id"])
        departments = self.env["hr.department"].search(
            [
                ("company_id", "in", (company.id, False)),
                "|",
                ("xinfang_handles", "=", True),
                ("id", "in", [row[0].id for row in with_items if row[0]]),
            ]
        )
        return {
            "period": period,
            "period_label": label,
            "periods": [(key, name) for key, (name, _p) in periods.items()],
            "date_from": fields.Date.to_string(current.date_from),
            "date_to": fields.Date.to_string(current.date_to),
            "period_name": self.env["xinfang.workbook"]._period_name(
                current.date_from, current.date_to
            ),
            "department_id": department.id or False,
            "departments": [(d.id, d.display_name) for d in departments],
            "tiles": tiles,
            "labels": {
                "received": self.env._("Items received"),
                "closed": self.env._("Items closed"),
            },
            "months": {
                "labels": [month.strftime("%Y-%m") for month in months],
                "received": [
                    by_month.get(datetime.combine(month, time.min), {}).get("count", 0)
                    for month in months
                ],
                "closed": [
                    closed_by_month.get(month, {}).get("count", 0) for month in months
                ],
            },
            "nature": [
                (natures[key], nature[key]["count"])
                for key, _l in REQUEST_NATURES
                if nature.get(key)
            ],
            "categories": top,
            "overdue": sorted(
                (
                    (d.name if d else self.env._("No department"), values["visible"])
                    for d, values in overdue.items()
                    if values["visible"]
                ),
                key=lambda row: (-row[1], row[0]),
            ),
            "overdue_hidden": sum(
                values["count"] - values["visible"] for values in overdue.values()
            ),
            "ratings": [
                (rating_names[key], ratings.get(key, {}).get("count", 0))
                for key, _l in CALLBACK_RATINGS
            ],
        }
