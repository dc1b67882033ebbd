from odoo import api, fields, models


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
            sequence = self.env.ref(self._xinfang_sequence).sudo()
            today = fields.Date.context_today(self)
            date_range = sequence.date_range_ids.filtered(
                lambda r: r.date_from <= today <= r.date_to
            )[:1] or sequence._create_date_range_seq(today)
            date_range = date_range.with_context(
                ir_sequence_date_range=date_range.date_from
            )
            for vals in todo:
                vals["name"] = date_range._next()
        return super().create(vals_list)
