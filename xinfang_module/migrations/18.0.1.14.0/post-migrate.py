"""18.0.1.14.0: an item is taken from whom it accuses (B4), whenever they
are named.

- Naming as accused the department an item is assigned to, or people
  without whom the department has nobody left to read the item, withdraws
  the open assignment and asks the office to route the item again; naming
  the named handler unnames him and tells the department. Before, such an
  item stayed there: its department no longer read it (18.0.1.13.0), so
  could neither reply nor return it, and the office could not route it
  again. This script frees the items already held so, in each company's
  language, and then drops what the accused still held of them.
- The discipline members an item accuses no longer read it, its lines,
  callbacks or petitioner (they read every confidential item before). The
  record rules are ``noupdate`` data: they are loaded again.
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
    held = env["xinfang.assignment"].search(
        [
            ("state", "=", "assigned"),
            "|",
            ("petition_id.accused_department_id", "!=", False),
            ("petition_id.accused_employee_id", "!=", False),
        ]
    )
    petitions = held.petition_id
    for company in petitions.company_id:
        petitions.filtered(lambda p, c=company: p.company_id == c).with_context(
            lang=company._xinfang_lang()
        )._xinfang_withdraw_from_accused()
    petitions._xinfang_narrow_audience()
    petitions._xinfang_narrow_related_audience()
    _logger.info(
        "xinfang_module: record rules loaded again; %s accusing items with an "
        "open assignment taken from whom they accuse",
        len(petitions),
    )
