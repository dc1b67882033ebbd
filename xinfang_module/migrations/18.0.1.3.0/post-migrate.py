"""18.0.1.3.0: presets, the first-run set-up and routing offered only to the
departments that handle petitions.

A database upgraded from an earlier release is in use: its companies count as
set up (nobody is sent to the first-run set-up), and every department that
already takes part in petitions is marked as handling them, so that routing
offers the same departments as before. The new record rules of the set-up
dialog are new records of a noupdate file: Odoo creates them on upgrade."""


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
