"""18.0.1.14.0: naming as accused the department an item is assigned to, or
the person named to handle it, takes the item from them (B4): the open
assignment is withdrawn and the office asked to route the item again, or the
handler unnamed and the department's contacts told.

Before this version such an item stayed with them: they no longer read it
(18.0.1.13.0), so could neither reply nor return it, and the office could not
route it again. This script frees the items already in that state, in each
company's language.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
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
    _logger.info(
        "xinfang_module: %s accusing items with an open assignment checked "
        "against the accused",
        len(petitions),
    )
