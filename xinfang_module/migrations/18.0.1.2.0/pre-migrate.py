"""18.0.1.2.0: the state of a filed item is ``filed`` (it was ``archived``,
labelled "Filed", beside Odoo's own "Archived" for active = False).

Renamed before the module loads, so that no row holds a key the new
selection does not know; users' saved filters follow.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE xinfang_petition SET state = 'filed' WHERE state = 'archived'")
    _logger.info("xinfang_module: %s filed items renamed", cr.rowcount)
    cr.execute(
        """UPDATE ir_filters
              SET domain = replace(replace(domain, '''archived''', '''filed'''),
                                   '"archived"', '"filed"')
            WHERE model_id = 'xinfang.petition'
              AND domain LIKE '%archived%'"""
    )
