"""18.0.1.13.0: the people an item accuses (the accused person, and the
members, head and petition users of an accused department) read neither the
item nor its lines, callbacks or petitioner, even once named after the item
reached them, whether they are handlers, officers, leaders or registrars
(the office manager and discipline excepted).

The record rules are ``noupdate`` data: load the file again, as at
installation, so that existing databases get one definition of the accused
(``xinfang.petition.xinfang_accuses_me``, as ``_xinfang_accused_users``) in
the rules of the items, petitioners, assignments, extensions, supervisions
and callbacks, instead of the accused person in the handlers' rules only. From
this version, naming an accused person drops the activities and
subscriptions of those who may no longer read the item, its callbacks,
assignments and supervisions; this script does it once for the items that
already name one.
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
    petitions = (
        env["xinfang.petition"]
        .with_context(active_test=False)
        .search(
            [
                "|",
                ("accused_employee_id", "!=", False),
                ("accused_department_id", "!=", False),
            ]
        )
    )
    petitions._xinfang_narrow_audience()
    petitions._xinfang_narrow_related_audience()
    _logger.info(
        "xinfang_module: record rules loaded again; audience of %s accusing "
        "items narrowed",
        len(petitions),
    )
