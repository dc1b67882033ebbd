"""The QWeb widget ``xinfang_date``: a Date or Datetime field printed as the
office's documents write it (2026年12月1日, 2026年12月1日 9:05), a moment in
the time zone of the record's company rather than the printing user's."""

from markupsafe import escape

from odoo import api, models

from .tools import date_text, datetime_text


class IrQwebFieldXinfangDate(models.AbstractModel):
    _name = "ir.qweb.field.xinfang_date"
    _description = "Qweb Field Document Date"
    _inherit = "ir.qweb.field"

    @api.model
    def record_to_html(self, record, field_name, options):
        value = record[field_name]
        if record._fields[field_name].type != "datetime":
            return escape(date_text(self.env, value))
        company = record.company_id if "company_id" in record else self.env.company
        tz = (company or self.env.company)._xinfang_tz()
        return escape(datetime_text(self.env, value, tz))
