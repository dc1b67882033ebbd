"""What the migration scripts (``migrations/<version>/``) share. They are
loaded by file, not as a package: they import this module by its name,
``odoo.addons.xinfang_module.upgrade``."""

from odoo.tools.convert import convert_file


def reload_security(env):
    """Load ``security/xinfang_security.xml`` again, as at installation: its
    record rules are ``noupdate`` data, which ``-u`` leaves as an existing
    database has them."""
    convert_file(
        env,
        "xinfang_module",
        "security/xinfang_security.xml",
        {},
        mode="init",
        noupdate=True,
    )
