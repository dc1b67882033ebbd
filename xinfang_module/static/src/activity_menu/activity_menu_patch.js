/** @odoo-module */

import { ActivityMenu } from "@mail/core/web/activity_menu";
import { patch } from "@web/core/utils/patch";

// The activity menu's "Callbacks to Make" line (res.users._get_activity_groups)
// counts planned callbacks, not activities: it opens "My Callbacks" with the
// filter of the count clicked, where the menu's own lines filter on activities.
const FILTERS = {
    all: ["overdue", "due_today"],
    overdue: ["overdue"],
    today: ["due_today"],
    upcoming_all: ["upcoming"],
};

patch(ActivityMenu.prototype, {
    openActivityGroup(group, filter = "all") {
        if (!group.xinfang_worklist) {
            return super.openActivityGroup(...arguments);
        }
        this.dropdown.close();
        const context = {};
        for (const name of FILTERS[filter] || FILTERS.all) {
            context[`search_default_${name}`] = 1;
        }
        return this.action.doAction("xinfang_module.xinfang_callback_action_mine", {
            additionalContext: context,
            clearBreadcrumbs: true,
        });
    },
});
