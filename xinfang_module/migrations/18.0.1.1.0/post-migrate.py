"""18.0.1.1.0: records nobody can quietly rewrite (issue 11).

The record rules and the mail templates are ``noupdate`` data: an upgrade
with ``-u`` keeps the old ones. Load both files again, as at installation,
so that existing databases get the new rules and the discreet supervision
notice; then give the existing rows the protection the new code enforces.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools.convert import convert_file

_logger = logging.getLogger(__name__)

# Every noupdate file whose records changed in this version.
RELOADED = ("security/xinfang_security.xml", "data/mail_template_data.xml")


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for filename in RELOADED:
        convert_file(env, "xinfang_module", filename, {}, mode="init", noupdate=True)
        _logger.info("xinfang_module: %s loaded again", filename)
    # A confidential category makes its items confidential, and a
    # confidential item always conceals its petitioner.
    cr.execute(
        """UPDATE xinfang_petition p
              SET confidential = TRUE, conceal_identity = TRUE
             FROM xinfang_category c
            WHERE c.id = p.category_id AND c.confidential
              AND NOT (p.confidential AND p.conceal_identity)"""
    )
    protected = cr.rowcount
    cr.execute(
        """UPDATE xinfang_petition SET conceal_identity = TRUE
            WHERE confidential AND NOT conceal_identity"""
    )
    protected += cr.rowcount
    _logger.info("xinfang_module: %s item(s) now protected by category", protected)
