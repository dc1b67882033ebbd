def count_by(records, comodel, field):
    """{record: number of ``comodel`` records whose ``field`` is it}, in one
    grouped query with the user's rules (a smart button counts what its
    action will list)."""
    return dict(
        records.env[comodel]._read_group(
            [(field, "in", records.ids)], [field], ["__count"]
        )
    )


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
