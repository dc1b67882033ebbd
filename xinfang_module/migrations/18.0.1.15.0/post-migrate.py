"""18.0.1.15.0: a planned callback is its officers' to-do in the activity
menu, no longer an activity per officer (issue 18).

The planner no longer creates a Callback (回访) activity for each officer of
each planned callback: the activity menu counts the user's planned callbacks
itself (``res.users._xinfang_callback_worklist``). The activities the planner
made before would count twice there: this script removes those still open,
one per officer of a planned callback. Activities of that type scheduled by
hand for someone else are kept, and so is everything done: the callbacks,
their officers, dates and chatter are unchanged.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    activity_type = env.ref(
        "xinfang_module.mail_activity_type_callback", raise_if_not_found=False
    )
    if not activity_type:
        return
    activities = env["mail.activity"].search(
        [
            ("activity_type_id", "=", activity_type.id),
            ("res_model", "=", "xinfang.callback"),
        ]
    )
    callbacks = env["xinfang.callback"].browse(set(activities.mapped("res_id")))
    planned = {
        callback.id: callback.officer_ids
        for callback in callbacks.exists()
        if callback.state == "planned"
    }
    made_by_planner = activities.filtered(
        lambda activity: activity.user_id in planned.get(activity.res_id, ())
    )
    made_by_planner.unlink()
    _logger.info(
        "xinfang_module: %s callback activities removed, the activity menu "
        "counts the planned callbacks themselves",
        len(made_by_planner),
    )
