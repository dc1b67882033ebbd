"""18.0.1.3.0: presets, the first-run set-up and routing offered only to the
departments that handle petitions.

A database upgraded from an earlier release is in use: its companies count as
set up (nobody is sent to the first-run set-up), and every department that
already takes part in petitions is marked as handling them, so that routing
offers the same departments as before. The new record rules of the set-up
dialog are new records of a noupdate file: Odoo creates them on upgrade.

The statistics facts that the steps now store when they happen are filled in
for the items decided, replied or closed before, against their deadlines as
they stand (the nature of the request is a computed field: Odoo fills it)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE res_company SET xinfang_setup_done = TRUE")
    cr.execute(
        """UPDATE hr_department d SET xinfang_handles = TRUE
            WHERE d.id IN (
                SELECT department_id FROM xinfang_category
                 WHERE department_id IS NOT NULL
                UNION SELECT department_id FROM xinfang_assignment
                UNION SELECT department_id FROM xinfang_department_user_rel
                UNION SELECT xinfang_discipline_department_id FROM res_company
                UNION SELECT xinfang_hr_department_id FROM res_company
                UNION SELECT department_id FROM xinfang_petition
                 WHERE department_id IS NOT NULL)"""
    )
    cr.execute(
        """UPDATE xinfang_petition
              SET decided_on_time = decision_date <= acceptance_deadline
            WHERE decision_date IS NOT NULL AND acceptance_deadline IS NOT NULL"""
    )
    cr.execute(
        """UPDATE xinfang_petition
              SET replied_on_time = reply_date <= handling_deadline
            WHERE reply_date IS NOT NULL AND handling_deadline IS NOT NULL"""
    )
    cr.execute(
        """UPDATE xinfang_petition
              SET closed_on_time = close_date <= handling_deadline,
                  overdue_days_at_close = GREATEST(close_date - handling_deadline, 0)
            WHERE close_date IS NOT NULL AND handling_deadline IS NOT NULL"""
    )
    cr.execute(
        """UPDATE xinfang_petition
              SET handling_days_at_close = close_date - decision_date
            WHERE close_date IS NOT NULL AND decision_date IS NOT NULL"""
    )
    # The shipped categories propose a nature (noupdate data: set it here).
    natures = {
        "category_dispute": "complaint",
        "category_ethics": "complaint",
        "category_accusation": "report",
        "category_suggestion": "suggestion",
        "category_other": "other",
    }
    for xmlid, nature in natures.items():
        cr.execute(
            """UPDATE xinfang_category c SET request_nature = %s
                 FROM ir_model_data d
                WHERE d.module = 'xinfang_module' AND d.name = %s
                  AND d.model = 'xinfang.category' AND d.res_id = c.id
                  AND c.request_nature IS NULL""",
            (nature, xmlid),
        )
    cr.execute(
        """UPDATE xinfang_petition p SET request_nature = c.request_nature
             FROM xinfang_category c
            WHERE c.id = p.category_id AND p.request_nature IS NULL
              AND c.request_nature IS NOT NULL"""
    )
