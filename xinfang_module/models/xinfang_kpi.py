"""The KPI of the statistics, defined once (readme/USAGE.md, "KPI", has the
same table for readers): what each rate counts above and below the line, over
the items of a domain, from the facts the steps stored.

Every figure of every group comes from one query (``count(*) FILTER (WHERE
...)`` per term, tools.grouped_measures): the number of queries does not grow
with the items, nor with the figures. A rate without a base is ``None``,
shown as "—", never a division error."""

from odoo import api, models

from .tools import grouped_measures

# code: (numerator domain, denominator domain), both within the items.
RATES = {
    # 及时受理率
    "timely_acceptance": (
        [("decision_date", "!=", False), ("decided_on_time", "=", True)],
        [("decision_date", "!=", False)],
    ),
    # 按期办结率
    "on_time_completion": (
        [("close_date", "!=", False), ("closed_on_time", "=", True)],
        [("close_date", "!=", False)],
    ),
    # 回访率
    "callback": (
        [("close_date", "!=", False), ("callback_rating", "!=", False)],
        [("close_date", "!=", False)],
    ),
    # 满意率: 满意 and 基本满意 over the rated items
    "satisfaction": (
        [("callback_rating", "in", ("satisfied", "basic"))],
        [("callback_rating", "!=", False)],
    ),
    # 重复信访率
    "repeat": (
        [("repeat_of_id", "!=", False)],
        [],
    ),
}
CLOSED = [("close_date", "!=", False)]
# 超期件数: closed late, or open past the deadline now.
OVERDUE = [
    "|",
    "&",
    ("close_date", "!=", False),
    ("closed_on_time", "=", False),
    ("deadline_status", "=", "overdue"),
]


class XinfangKpi(models.AbstractModel):
    _name = "xinfang.kpi"
    _description = "Petition KPI"

    @api.model
    def _measures(self):
        """{name: (aggregate, extra domain)} of every KPI term, for
        tools.grouped_measures: one query answers them all."""
        measures = {}
        for code, (numerator, denominator) in RATES.items():
            measures[f"{code}/numerator"] = ("__count", numerator)
            measures[f"{code}/denominator"] = ("__count", denominator)
        measures["overdue/numerator"] = ("__count", OVERDUE)
        measures["overdue/denominator"] = ("__count", [])
        measures["average_handling_days/numerator"] = (
            "handling_days_at_close:sum",
            CLOSED,
        )
        measures["average_handling_days/denominator"] = ("__count", CLOSED)
        return measures

    @api.model
    def _figures(self, domain, groupby=None):
        """{group: {code: (value, numerator, denominator)}} over the items of
        ``domain`` the current user may read; group is the ``groupby`` record
        (or None without groupby). Rates are in percent; the counts are
        ``overdue`` (items closed late or open past their deadline) and
        ``average_handling_days`` (from decision to closure, closed items).
        One query for every figure and group."""
        rows = grouped_measures(
            self.env["xinfang.petition"], domain, groupby, self._measures()
        )
        return {group: self._from_measures(values) for group, values in rows.items()}

    @api.model
    def _from_measures(self, values):
        """{code: (value, numerator, denominator)} from the measures of one
        group."""
        figures = {}
        for code in [*RATES, "overdue", "average_handling_days"]:
            numerator = values[f"{code}/numerator"]
            denominator = values[f"{code}/denominator"]
            if code == "overdue":
                value = numerator
            elif not denominator:
                value = None
            elif code == "average_handling_days":
                value = numerator / denominator
            else:
                value = 100.0 * numerator / denominator
            figures[code] = (value, numerator, denominator)
        return figures

    @api.model
    def _labels(self):
        """[(code, translated name)] of the KPI, in the order of the reports."""
        return [
            ("timely_acceptance", self.env._("Timely acceptance rate (及时受理率)")),
            ("on_time_completion", self.env._("On-time completion rate (按期办结率)")),
            ("callback", self.env._("Callback rate (回访率)")),
            ("satisfaction", self.env._("Satisfaction rate (满意率)")),
            ("repeat", self.env._("Repeat rate (重复信访率)")),
            ("overdue", self.env._("Overdue items (超期件数)")),
            (
                "average_handling_days",
                self.env._("Average handling days (平均办理天数)"),
            ),
        ]

    @api.model
    def _format(self, value, percent=True):
        """ "97.18 %", "12.5" or "—" when there is no base."""
        if value is None:
            return "—"
        return f"{value:.2f} %" if percent else f"{value:.1f}"
