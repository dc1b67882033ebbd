from odoo import api, fields, models
from odoo.exceptions import AccessError

from .tools import compute_flag, flag_domain
from .xinfang_guard import MANAGER


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
    xinfang_handles = fields.Boolean(
        string="Handles Petitions",
        index=True,
        help="Offered when petitions are routed (交办). Set by the presets and "
        "the set-up; departments of other applications are not offered.",
    )
    xinfang_screening_reminded = fields.Date(
        string="Screening Reminded For",
        readonly=True,
        copy=False,
        help="E5: first day of the last screening period the department was "
        "reminded of.",
    )
    xinfang_mine = fields.Boolean(
        string="My Department",
        compute="_compute_xinfang_mine",
        search="_search_xinfang_mine",
        help="The current user belongs to it (as its employee) or handles its "
        "petitions: what the record rules of a handler follow.",
    )
    xinfang_open_count = fields.Integer(
        string="Open Now",
        compute="_compute_xinfang_figures",
        help="Items in hand today, whatever the period chosen.",
    )
    xinfang_overdue_count = fields.Integer(
        string="Overdue Now",
        compute="_compute_xinfang_figures",
        help="Items in hand and past their deadline today, whatever the period "
        "chosen.",
    )
    xinfang_notice_count = fields.Integer(
        string="Supervision Notices", compute="_compute_xinfang_figures"
    )
    xinfang_escalation_count = fields.Integer(
        string="Escalations", compute="_compute_xinfang_figures"
    )
    xinfang_received_count = fields.Integer(
        string="Items Received",
        compute="_compute_xinfang_figures",
        help="Items received (in the period chosen in the search, if any).",
    )

    def write(self, vals):
        if not self.env.su and not self._xinfang_may_edit():
            # Odoo lets every employee edit a department; its name, head and
            # petition users decide where petitions go and who reads them.
            raise AccessError(
                self.env._(
                    "Departments are kept by HR and the petition office manager."
                )
            )
        # HR keeps the head; who else handles its petitions is the office's.
        if (
            "xinfang_user_ids" in vals
            and not self.env.su
            and not self.env.user.has_group(MANAGER)
        ):
            raise AccessError(
                self.env._(
                    "Who handles a department's petitions follows its %(field)s: "
                    "only the petition office manager changes it.",
                    field=self._fields["xinfang_user_ids"].get_description(self.env)[
                        "string"
                    ],
                )
            )
        return super().write(vals)

    @api.depends_context("uid")
    def _compute_xinfang_mine(self):
        compute_flag(self, "xinfang_mine")

    def _search_xinfang_mine(self, operator, value):
        """Departments of the current user: one definition for the record
        rules and the filters (evaluated at each query, never cached with a
        rule's domain)."""
        uid = self.env.uid
        return flag_domain(
            operator,
            value,
            ["|", ("member_ids.user_id", "=", uid), ("xinfang_user_ids", "in", uid)],
        )

    def _xinfang_may_edit(self):
        user = self.env.user
        return user.has_group("hr.group_hr_user") or user.has_group(MANAGER)

    def _xinfang_handler_employees(self):
        """Who may be named handler (承办人) of the department's items: its
        members and the employees of its petition contacts."""
        departments = self.sudo()
        return (
            (departments.member_ids | departments.xinfang_user_ids.employee_ids)
            .filtered(lambda employee: employee.active)
            .with_env(self.env)
        )

    def _xinfang_people(self):
        """Everyone of the departments, as users: head, members and the users
        named for its petitions (whom an accused department makes accused,
        and who may handle its items)."""
        departments = self.sudo()
        return (
            departments.manager_id.user_id
            | departments.member_ids.user_id
            | departments.xinfang_user_ids
        ).with_env(self.env)

    def _xinfang_contacts(self):
        """Who is told of the department's petitions: its head and the users
        named for its petitions, never every member."""
        departments = self.sudo()
        return (
            (departments.manager_id.user_id | departments.xinfang_user_ids)
            .filtered(lambda user: user.active and not user.share)
            .with_env(self.env)
        )

    xinfang_on_time_rate = fields.Char(
        string="On-time Completion Rate",
        compute="_compute_xinfang_rates",
        help="按期办结率: items closed on or before their handling deadline over "
        "the items closed.",
    )
    xinfang_satisfaction_rate = fields.Char(
        string="Satisfaction Rate",
        compute="_compute_xinfang_rates",
        help="满意率: callbacks rated satisfied or basically satisfied over the "
        "rated items.",
    )

    def _xinfang_period_domains(self):
        """(items received, supervision dated) within the period the search
        chose (context ``xinfang_period``: this_month, last_quarter, ...), or
        no condition: D2's figures for performance reviews."""
        key = self.env.context.get("xinfang_period")
        if not key or not isinstance(key, str):
            return [], []
        company = self.env.company
        Statistics = self.env["xinfang.statistics"]
        periods = Statistics._dashboard_periods(company._xinfang_today())
        if key not in periods:
            return [], []
        period = periods[key][1]
        return (
            Statistics._datetime_domain(
                "registration_date", period, company._xinfang_tz()
            ),
            Statistics._date_domain("date", period),
        )

    @api.depends_context("uid", "xinfang_period")
    def _compute_xinfang_rates(self):
        """The KPI of xinfang.kpi, per department, counted as the current user,
        over the items received in the period of the search."""
        Kpi = self.env["xinfang.kpi"]
        received, _dated = self._xinfang_period_domains()
        figures = Kpi._figures(
            [("department_id", "in", self.ids)] + received, "department_id"
        )
        for department in self:
            mine = figures.get(department, {})
            department.xinfang_on_time_rate = Kpi._format(
                mine.get("on_time_completion", (None,))[0]
            )
            department.xinfang_satisfaction_rate = Kpi._format(
                mine.get("satisfaction", (None,))[0]
            )

    @api.depends_context("uid", "xinfang_period")
    def _compute_xinfang_figures(self):
        """D2: per-department figures, for all the departments at once in one
        query per model (count FILTER terms). Counted as the current user:
        nobody counts what they may not see."""
        Petition = self.env["xinfang.petition"]
        measured = self.env["xinfang.statistics"]._measured
        received, dated = self._xinfang_period_domains()
        is_open = [("state", "in", Petition._open_states())]
        petitions = measured(
            Petition,
            [("department_id", "in", self.ids)],
            "department_id",
            {
                "xinfang_open_count": ("__count", is_open),
                "xinfang_overdue_count": (
                    "__count",
                    is_open + [("deadline_status", "=", "overdue")],
                ),
                "xinfang_received_count": ("__count", received),
            },
        )
        supervision = measured(
            self.env["xinfang.supervision"],
            [("department_id", "in", self.ids)] + dated,
            "department_id",
            {
                "xinfang_notice_count": ("__count", [("kind", "=", "notice")]),
                "xinfang_escalation_count": ("__count", [("kind", "=", "escalation")]),
            },
        )
        for department in self:
            values = petitions.get(department, {}) | supervision.get(department, {})
            for field_name in (
                "xinfang_open_count",
                "xinfang_overdue_count",
                "xinfang_received_count",
                "xinfang_notice_count",
                "xinfang_escalation_count",
            ):
                department[field_name] = values.get(field_name, 0)
