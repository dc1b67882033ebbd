"""The KPI of the statistics, defined once (readme/USAGE.md, "KPI", has the
same table for readers): what each rate counts above and below the line, over
the items of a domain, from the facts the steps stored.

Every figure is one ``_read_group`` for all the groups at once: the number of
queries does not grow with the items. A rate without a base is ``None``,
shown as "—", never a division error."""

import functools

from odoo import api, models


def _freeze(term):
    """A domain term as a hashable key (lists of values become tuples)."""
    if isinstance(term, list | tuple):
        return tuple(_freeze(part) for part in term)
    return term


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


class XinfangKpi(models.AbstractModel):
    _name = "xinfang.kpi"
    _description = "Petition KPI"

    @api.model
    def _figures(self, domain, groupby=None):
        """{group: {code: (value, numerator, denominator)}} over the items of
        ``domain`` the current user may read; group is the ``groupby`` record
        (or None without groupby). Rates are in percent; the counts are
        ``overdue`` (items closed late or open past their deadline) and
        ``average_handling_days`` (from decision to closure, closed items)."""
        Petition = self.env["xinfang.petition"]
        groupby_spec = [groupby] if groupby else []

        @functools.cache
        def grouped(extra, aggregates):
            return Petition._read_group(
                domain + list(extra), groupby_spec, list(aggregates)
            )

        def counts(extra, aggregates=("__count",)):
            # The same figure asked twice (all items) is read once.
            rows = grouped(tuple(map(_freeze, extra)), tuple(aggregates))
            if groupby:
                return {row[0]: row[1:] for row in rows}
            return {None: rows[0]} if rows else {}

        result = {}

        def put(group, code, value, numerator, denominator):
            result.setdefault(group, {})[code] = (value, numerator, denominator)

        for code, (numerator_domain, denominator_domain) in RATES.items():
            numerators = counts(numerator_domain)
            for group, (denominator,) in counts(denominator_domain).items():
                numerator = numerators.get(group, (0,))[0]
                value = 100.0 * numerator / denominator if denominator else None
                put(group, code, value, numerator, denominator)
        late = counts(
            [
                "|",
                "&",
                ("close_date", "!=", False),
                ("closed_on_time", "=", False),
                ("deadline_status", "=", "overdue"),
            ]
        )
        for group, (count,) in counts([]).items():
            overdue = late.get(group, (0,))[0]
            put(group, "overdue", overdue, overdue, count)
        for group, (count, days) in counts(
            [("close_date", "!=", False)], ("__count", "handling_days_at_close:sum")
        ).items():
            put(
                group,
                "average_handling_days",
                days / count if count else None,
                days,
                count,
            )
        return result

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
