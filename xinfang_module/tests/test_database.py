from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestDatabaseSettings(TransactionCase):
    """The database the addon runs in (issue 18): without PostgreSQL's JIT,
    which compiled every non-manager's board for over a second at 200,000
    items, unless its owner chose otherwise."""

    def _settings(self):
        self.env.cr.execute(
            """SELECT coalesce(s.setconfig, '{}') FROM pg_database d
                 LEFT JOIN pg_db_role_setting s
                        ON s.setdatabase = d.oid AND s.setrole = 0
                WHERE d.datname = current_database()"""
        )
        return self.env.cr.fetchone()[0]

    def test_installed_without_jit(self):
        self.assertIn("jit=off", self._settings())

    def test_the_owners_choice_stays(self):
        # ALTER DATABASE is transactional: the test's rollback undoes it.
        cr = self.env.cr
        cr.execute(SQL("ALTER DATABASE %s SET jit = on", SQL.identifier(cr.dbname)))
        self.env["xinfang.petition"]._xinfang_disable_jit()
        self.assertIn("jit=on", self._settings())
        self.assertNotIn("jit=off", self._settings())
        cr.execute(SQL("ALTER DATABASE %s RESET jit", SQL.identifier(cr.dbname)))
        self.env["xinfang.petition"]._xinfang_disable_jit()
        self.assertIn("jit=off", self._settings())
