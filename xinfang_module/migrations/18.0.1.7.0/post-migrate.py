"""18.0.1.7.0: joint letters (联名) name their co-signers and designated
representatives, and a co-signer's identity is protected as the petitioner's.

The petitioner record rules are ``noupdate`` data: load the file again, as at
installation, so that existing databases read the co-signed items in them
too (without it, a person who only co-signed a confidential item would be
readable by every registrar, as was a person whom only a confidential visit
brought), and so that an archived item that conceals a
person still conceals them from handlers and leaders (the petitioner, visit
and visit checklist rules). The new relation tables start empty, the
company's petition alias is set in the settings, and the e-mail
acknowledgment template is a new record that -u creates: nothing else to
fill.
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
