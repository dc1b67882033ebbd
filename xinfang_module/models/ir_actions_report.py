from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """Printing a notice as PDF issues it (xinfang.document): decided by
        the route, never by the data or the context a URL may carry. An
        HTML preview (/report/html) renders without issuing."""
        report = self._get_report(report_ref)
        # The notices' report models say which document they are.
        kind = getattr(
            self.env.registry.get(f"report.{report.report_name}"), "_xinfang_kind", None
        )
        if kind and res_ids:
            ids = [res_ids] if isinstance(res_ids, int) else list(res_ids)
            records = self.env[report.model].browse(ids)
            self.env["xinfang.document"]._xinfang_issue(
                kind,
                None if kind == "slip" else records,
                records if kind == "slip" else None,
            )
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
