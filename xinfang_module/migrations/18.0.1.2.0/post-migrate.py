"""18.0.1.2.0: the handlers' record rules follow one definition of "my
departments" (hr.department.xinfang_mine, xinfang.petition.xinfang_handled)
instead of nine copies of the membership domain.

The rules are ``noupdate`` data: load the file again, as at installation, so
that existing databases get the new domains (the access they give is the same).
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.addons.xinfang_module.upgrade import reload_security

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    reload_security(env)
    _logger.info("xinfang_module: record rules loaded again")
