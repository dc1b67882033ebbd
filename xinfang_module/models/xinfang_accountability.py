from odoo import fields, models, tools
from odoo.tools import SQL

# What counts as a department's failure: a deadline it let pass (督办通知), a
# hotline item it was not dispatched in time for, and a dissatisfaction the
# office verified and sent back as a rectification notice (篇3 §三2).
FAILURE_KINDS = ("notice", "dispatch", "rectification")


class XinfangAccountability(models.Model):
    """问责名单: failures per department and month, with the running total
    of the year, against the thresholds of the settings (篇3 §三2: two in a
    month or five in a year are reported for accountability).

    Confidential items are not counted: the list is read by officers and
    leaders, and even a count per month would tell of them."""

    _name = "xinfang.accountability"
    _description = "Petition Accountability"
    _auto = False
    _order = "month desc, failures desc, department_id"

    company_id = fields.Many2one("res.company", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    month = fields.Date(readonly=True, help="First day of the month.")
    failures = fields.Integer(string="Failures in the Month", readonly=True)
    year_failures = fields.Integer(string="Failures in the Year to Date", readonly=True)
    over_month = fields.Boolean(string="Over the Monthly Threshold", readonly=True)
    over_year = fields.Boolean(string="Over the Yearly Threshold", readonly=True)
    listed = fields.Boolean(
        string="For Accountability",
        readonly=True,
        help="Over the monthly or the yearly threshold of the settings.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %(table)s AS (
                WITH monthly AS (
                    SELECT MIN(s.id) AS id, s.company_id, s.department_id,
                           date_trunc('month', s.date)::date AS month,
                           COUNT(*) AS failures
                      FROM xinfang_supervision s
                     WHERE s.kind IN %(kinds)s AND s.state != 'cancelled'
                       AND s.department_id IS NOT NULL
                       AND s.confidential IS NOT TRUE
                  GROUP BY s.company_id, s.department_id,
                           date_trunc('month', s.date)
                ), totals AS (
                    SELECT m.*, SUM(m.failures) OVER (
                               PARTITION BY m.company_id, m.department_id,
                                            date_trunc('year', m.month)
                               ORDER BY m.month)::integer AS year_failures
                      FROM monthly m
                )
                SELECT t.id, t.company_id, t.department_id, t.month,
                       t.failures::integer AS failures, t.year_failures,
                       c.xinfang_accountability_month > 0
                           AND t.failures >= c.xinfang_accountability_month
                           AS over_month,
                       c.xinfang_accountability_year > 0
                           AND t.year_failures >= c.xinfang_accountability_year
                           AS over_year,
                       (c.xinfang_accountability_month > 0
                           AND t.failures >= c.xinfang_accountability_month)
                       OR (c.xinfang_accountability_year > 0
                           AND t.year_failures >= c.xinfang_accountability_year)
                           AS listed
                  FROM totals t JOIN res_company c ON c.id = t.company_id
                )""",
                table=SQL.identifier(self._table),
                kinds=FAILURE_KINDS,
            )
        )
