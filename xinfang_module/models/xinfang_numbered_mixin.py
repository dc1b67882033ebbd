from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError
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
    # The prefix and suffix once for the batch, not per number as
    # get_next_char does (its interpolation formats eleven dates each time).
    prefix, suffix = sequence._get_prefix_suffix()
    width = sequence.padding
    return [
        f"{prefix}{number:0{width}d}{suffix}"
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
    """Records numbered from a yearly ``ir.sequence`` (code
    ``_xinfang_sequence_code``): the company's own sequence of that code when
    it has one, else the shared one. The year is the company's, in its time
    zone (an item registered at 07:00 Beijing time on 1 January is of the new
    year), taken from ``_xinfang_number_date`` or from now. A batch looks each
    sequence and year up once and draws its numbers in one query."""

    _name = "xinfang.numbered.mixin"
    _description = "Petition Office Numbered Record"
    _xinfang_sequence_code = None
    _xinfang_number_date = None  # a Datetime field of the record, if any

    name = fields.Char(string="Number", readonly=True, copy=False, default="/")

    @api.model_create_multi
    def create(self, vals_list):
        self._xinfang_assign_numbers(vals_list)
        return super().create(vals_list)

    @api.model
    def _xinfang_number_companies(self, vals_list):
        """The company of each vals: its own, else its petition's (read for
        the whole batch at once), else the current one."""
        by_petition = {}
        if "petition_id" in self._fields:
            petitions = (
                self.env["xinfang.petition"]
                .sudo()
                .browse(
                    {
                        vals["petition_id"]
                        for vals in vals_list
                        if vals.get("petition_id") and not vals.get("company_id")
                    }
                )
            )
            by_petition = {petition.id: petition.company_id for petition in petitions}
        Company = self.env["res.company"]
        return [
            Company.browse(vals["company_id"])
            if vals.get("company_id")
            else by_petition.get(vals.get("petition_id")) or self.env.company
            for vals in vals_list
        ]

    @api.model
    def _xinfang_assign_numbers(self, vals_list):
        vals_list = [vals for vals in vals_list if vals.get("name", "/") == "/"]
        todo = defaultdict(list)
        now = fields.Datetime.now()
        date_field = self._xinfang_number_date
        for vals, company in zip(
            vals_list, self._xinfang_number_companies(vals_list), strict=True
        ):
            moment = fields.Datetime.to_datetime(
                (vals.get(date_field) if date_field else None) or now
            )
            todo[(company, company._xinfang_local_date(moment).year)].append(vals)
        for (company, year), group in todo.items():
            sequence = self._xinfang_company_sequence(company)
            assign_numbers(sequence, date(year, 1, 1), group)

    @api.model
    def _xinfang_company_sequence(self, company):
        """The company's own sequence of the code, made from the shared one
        (company unset) on first use. Each year of the shared one is carried
        on from the next number it would give, so that no number already
        given to the company's records is given again."""
        Sequence = self.env["ir.sequence"].sudo()
        code = self._xinfang_sequence_code
        own = [("code", "=", code), ("company_id", "=", company.id)]
        sequence = Sequence.search(own, limit=1)
        if sequence:
            return sequence
        shared = Sequence.search([("code", "=", code), ("company_id", "=", False)])
        if not shared:
            raise UserError(
                self.env._(
                    "The numbering sequence %(code)s is missing: restore it in "
                    "Settings > Technical > Sequences.",
                    code=code,
                )
            )
        shared = shared[0]
        # Two first registrations of a company at once: the second waits
        # here, then fails to serialise and Odoo retries it, finding the
        # sequence the first one made.
        self.env.cr.execute(
            SQL(
                "UPDATE ir_sequence SET write_date = write_date WHERE id = %s",
                shared.id,
            )
        )
        sequence = shared.copy(
            {"company_id": company.id, "name": f"{shared.name} ({company.name})"}
        )
        for date_range in shared.date_range_ids:
            # (Odoo starts a new range's PostgreSQL sequence at 1 whatever
            # number_next says: the write moves it on.)
            self.env["ir.sequence.date_range"].sudo().create(
                {
                    "sequence_id": sequence.id,
                    "date_from": date_range.date_from,
                    "date_to": date_range.date_to,
                }
            ).write({"number_next": date_range.number_next_actual})
        return sequence
