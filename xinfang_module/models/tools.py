import pytz

from odoo import SUPERUSER_ID
from odoo.osv import expression
from odoo.tools import SQL, format_date, format_time


def count_by(records, comodel, field):
    """{record: number of ``comodel`` records whose ``field`` is it}, in one
    grouped query with the user's rules (a smart button counts what its
    action will list)."""
    return dict(
        records.env[comodel]._read_group(
            [(field, "in", records.ids)], [field], ["__count"]
        )
    )


def values_admitted(domain, fname):
    """The values of ``fname`` that ``domain`` admits, read from its leaves
    ``(fname, '=', value)`` and ``(fname, 'in', values)``; None where the
    domain does not bound them (no such leaf, or one under a negation or
    beside another condition in an OR)."""
    domain = expression.normalize_domain(domain)

    def parse(pos):
        token = domain[pos]
        if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
            left, pos = parse(pos + 1)
            right, pos = parse(pos)
            if token == expression.OR_OPERATOR:
                both = left is not None and right is not None
                return (left | right if both else None), pos
            if left is None or right is None:
                return (right if left is None else left), pos
            return left & right, pos
        if token == expression.NOT_OPERATOR:
            return None, parse(pos + 1)[1]
        if isinstance(token, list | tuple) and len(token) == 3 and token[0] == fname:
            operator, value = token[1], token[2]
            if operator == "=":
                return {value}, pos + 1
            if operator == "in" and isinstance(value, list | tuple):
                return set(value), pos + 1
        return None, pos + 1

    return parse(0)[0]


def flag_domain(operator, value, domain):
    """The domain of a searchable boolean that holds when ``domain`` does:
    ``= True`` / ``!= False`` give it, the others its negation."""
    if operator not in ("=", "!=") or not isinstance(value, bool):
        raise NotImplementedError(operator)
    return domain if (operator == "=") == value else ["!", *domain]


def compute_flag(records, fname):
    """Set the searchable boolean ``fname`` of ``records`` from its own
    search, in one query (archived records included)."""
    found = records.with_context(active_test=False).search(
        [("id", "in", records.ids), (fname, "=", True)]
    )
    for record in records:
        record[fname] = record in found


def grouped_measures(model, domain, groupby, measures):
    """Several filtered aggregates of ``model`` in one query: the rows of
    ``domain`` (record rules and active_test apply, as in ``_read_group``)
    grouped by ``groupby`` (a ``_read_group`` spec such as "department_id" or
    "registration_date:month", None, or a list of specs: one GROUPING SETS
    scan, {spec: {group: ...}}), and for each group every measure of
    ``measures``: {name: (aggregate, extra_domain)} where aggregate is
    "__count" or "<field>:sum", computed over the rows that also match
    ``extra_domain`` (``count(*) FILTER (WHERE ...)``).

    Returns {group: {name: value}} (group None without groupby; sums of no
    row are 0). One scan answers what would otherwise take one
    ``_read_group`` per measure, which counts at a million items."""
    model.browse().check_access("read")
    query = model._search(domain)
    conditions = {}
    plain = model.sudo().with_context(active_test=False)
    for name, (_aggregate, extra) in measures.items():
        if not extra:
            conditions[name] = SQL("TRUE")
            continue
        extra_query = plain._search(extra)
        # The condition is written on the main table: no join, no alias.
        assert not extra_query._joins, f"measure {name} needs a join"
        conditions[name] = (
            extra_query.where_clause if extra_query._where_clauses else SQL("TRUE")
        )
    terms = []
    for name, (aggregate, _extra) in measures.items():
        if aggregate == "__count":
            terms.append(SQL("COUNT(*) FILTER (WHERE %s)", conditions[name]))
            continue
        fname, function = aggregate.split(":")
        assert function == "sum", aggregate
        terms.append(
            SQL(
                "COALESCE(SUM(%s) FILTER (WHERE %s), 0)",
                model._field_to_sql(model._table, fname, query),
                conditions[name],
            )
        )
    if isinstance(groupby, list | tuple):
        return _grouping_sets(model, query, groupby, measures, terms)
    group_terms = []
    if groupby:
        group_terms = [model._read_group_groupby(groupby, query)]
        query.groupby = group_terms[0]
    rows = model.env.execute_query(query.select(*group_terms, *terms))
    if groupby:
        keys = model._read_group_postprocess_groupby(groupby, [row[0] for row in rows])
        rows = [(key, *row[1:]) for key, row in zip(keys, rows, strict=True)]
    else:
        rows = [(None, *row) for row in rows]
    return {row[0]: dict(zip(measures, row[1:], strict=True)) for row in rows}


def _grouping_sets(model, query, groupbys, measures, terms):
    """grouped_measures for several groupbys in one scan (GROUPING SETS):
    {groupby: {group: {name: value}}}."""
    group_terms = [model._read_group_groupby(spec, query) for spec in groupbys]
    query.groupby = SQL(
        "GROUPING SETS (%s)",
        SQL(", ").join(SQL("(%s)", term) for term in group_terms),
    )
    rows = model.env.execute_query(
        query.select(
            *group_terms, SQL("GROUPING(%s)", SQL(", ").join(group_terms)), *terms
        )
    )
    width = len(groupbys)
    result = {}
    for index, spec in enumerate(groupbys):
        # GROUPING() sets the bit of every term the row is not grouped by.
        mask = (1 << width) - 1 - (1 << (width - 1 - index))
        mine = [row for row in rows if row[width] == mask]
        keys = model._read_group_postprocess_groupby(spec, [row[index] for row in mine])
        result[spec] = {
            key: dict(zip(measures, row[width + 1 :], strict=True))
            for key, row in zip(keys, mine, strict=True)
        }
    return result


def date_text(env, value):
    """A date as an official document writes it: 2026年12月1日 in Chinese
    (GB/T 9704: Arabic numerals, no leading zero), else the language's long
    format."""
    if not value:
        return ""
    if (env.lang or "").startswith("zh"):
        return f"{value.year}年{value.month}月{value.day}日"
    return format_date(env, value, date_format="long")


def datetime_text(env, value, tz):
    """A moment (naive UTC) as a form writes it, in ``tz``: 2026年12月1日 9:05
    in Chinese, else the long date and the short time."""
    if not value:
        return ""
    local = pytz.utc.localize(value).astimezone(pytz.timezone(tz))
    if (env.lang or "").startswith("zh"):
        return f"{date_text(env, local.date())} {local.hour}:{local.minute:02d}"
    time_text = format_time(env, value, tz=tz, time_format="short")
    return f"{date_text(env, local.date())} {time_text}"


def list_separator(env):
    """The separator of an enumeration in the language of ``env``: "、" in
    Chinese (Odoo does not translate a one-character term)."""
    return "、" if (env.lang or "").startswith("zh") else ", "


def check_read_as_user(records):
    """Refuse ``records`` the real user may not read, also when the code
    runs as superuser (a mail composer renders its reports so): only the
    superuser itself (crons, the server) passes."""
    if records.env.uid != SUPERUSER_ID:
        records.with_env(records.env(su=False)).check_access("read")


# The file types the office may accept online: the extension as named, and
# the types the content must show (odoo.tools.mimetypes, not the name).
FILE_TYPES = {
    "pdf": ("application/pdf",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "png": ("image/png",),
    "gif": ("image/gif",),
    "doc": ("application/msword",),
    "xls": ("application/vnd.ms-excel", "application/msword"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    "txt": ("text/plain",),
}
