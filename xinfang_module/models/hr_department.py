from odoo import api, fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    xinfang_user_ids = fields.Many2many(
        "res.users",
        "xinfang_department_user_rel",
        "department_id",
        "user_id",
        string="Additional Petition Handlers",
        help="Users who handle this department's petitions without being its "
        "employees.",
    )
    xinfang_screening_reminded = fields.Date(
        string="Screening Reminded For",
        readonly=True,
        copy=False,
        help="E5: first day of the last screening period the department was "
        "reminded of.",
    )
    xinfang_open_count = fields.Integer(
        string="Open Petitions", compute="_compute_xinfang_figures"
    )
    xinfang_overdue_count = fields.Integer(
        string="Overdue Petitions", compute="_compute_xinfang_figures"
    )
    xinfang_notice_count = fields.Integer(
        string="Supervision Notices", compute="_compute_xinfang_figures"
    )
    xinfang_escalation_count = fields.Integer(
        string="Escalations", compute="_compute_xinfang_figures"
    )

    @api.depends_context("uid")
    def _compute_xinfang_figures(self):
        """D2: per-department figures, one _read_group per figure for all the
        departments at once. Counted as the current user: nobody counts what
        they may not see."""
        Petition = self.env["xinfang.petition"]
        Supervision = self.env["xinfang.supervision"]
        open_domain = [
            ("department_id", "in", self.ids),
            ("state", "in", Petition._open_states()),
        ]
        figures = {
            "xinfang_open_count": (Petition, open_domain),
            "xinfang_overdue_count": (
                Petition,
                open_domain + [("deadline_status", "=", "overdue")],
            ),
            "xinfang_notice_count": (
                Supervision,
                [("department_id", "in", self.ids), ("kind", "=", "notice")],
            ),
            "xinfang_escalation_count": (
                Supervision,
                [("department_id", "in", self.ids), ("kind", "=", "escalation")],
            ),
        }
        for field_name, (model, domain) in figures.items():
            if not model.has_access("read"):
                self[field_name] = 0
                continue
            counts = dict(model._read_group(domain, ["department_id"], ["__count"]))
            for department in self:
                department[field_name] = counts.get(department, 0)
