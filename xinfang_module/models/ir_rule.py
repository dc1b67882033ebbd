"""Record rules that read the day: a borrower reads the lent items until
the loan's return date (xinfang_security.xml, ``xinfang_today``).

``xinfang_today`` is the day where the current company works (its time
zone, not the server's UTC). Odoo caches each user's rule domains: the day
is part of the cache key, so that yesterday's domain is not used today."""

from odoo import fields, models


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _xinfang_today(self):
        return fields.Date.to_string(self.env.company.sudo()._xinfang_today())

    def _eval_context(self):
        return {**super()._eval_context(), "xinfang_today": self._xinfang_today()}

    def _compute_domain_context_values(self):
        yield from super()._compute_domain_context_values()
        yield self._xinfang_today()
