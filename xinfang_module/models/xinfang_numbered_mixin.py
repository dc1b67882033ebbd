from odoo import api, fields, models
from odoo.tools import SQL


def next_numbers(date_range, count):
    """``count`` numbers of a sequence's date range (with its
    ``ir_sequence_date_range`` context) in one query, not one per record,
    when the sequence is of the standard (PostgreSQL) implementation."""
    sequence = date_range.sequence_id
    if sequence.implementation != "standard" or count < 2:
        return [date_range._next() for _index in range(count)]
    date_range.env.cr.execute(
        SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            f"ir_sequence_{sequence.id:03d}_{date_range.id:03d}",
            count,
        )
    )
    return [
        sequence.get_next_char(number)
        for number in sorted(row[0] for row in date_range.env.cr.fetchall())
    ]


def assign_numbers(sequence, day, vals_list):
    """Name every vals of ``vals_list`` from ``sequence``'s date range of
    ``day`` (created when missing), in one query."""
    date_range = sequence.date_range_ids.filtered(
        lambda r: r.date_from <= day <= r.date_to
    )[:1] or sequence._create_date_range_seq(day)
    date_range = date_range.with_context(ir_sequence_date_range=date_range.date_from)
    for vals, name in zip(
        vals_list, next_numbers(date_range, len(vals_list)), strict=True
    ):
        vals["name"] = name


class XinfangNumberedMixin(models.AbstractModel):
    """Records numbered from a yearly ``ir.sequence`` (``_xinfang_sequence``):
    a batch looks the sequence and its date range up once, not per record."""

    _name = "xinfang.numbered.mixin"
    _description = "Petition Office Numbered Record"
    _xinfang_sequence = None  # xmlid of the ir.sequence

    name = fields.Char(string="Number", readonly=True, copy=False, default="/")

    @api.model_create_multi
    def create(self, vals_list):
        todo = [vals for vals in vals_list if vals.get("name", "/") == "/"]
        if todo:
            assign_numbers(
                self.env.ref(self._xinfang_sequence).sudo(),
                fields.Date.context_today(self),
                todo,
            )
        return super().create(vals_list)
