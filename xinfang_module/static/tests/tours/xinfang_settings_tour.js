/** @odoo-module */

import { registry } from "@web/core/registry";

// The petition office manager, who is no system administrator, shortens the
// acceptance limit in the petition settings, saves, and finds the value kept
// after the page reloads; then names a petition contact of a department.
registry.category("web_tour.tours").add("xinfang_manager_settings", {
    url: "/odoo/action-xinfang_module.xinfang_config_settings_action",
    steps: () => [
        {
            trigger: ".o_field_widget[name=xinfang_acceptance_days] input",
            run: "edit 12",
        },
        { trigger: ".o_form_button_save", run: "click" },
        {
            trigger: ".o_field_widget[name=xinfang_acceptance_days] input:value(12)",
        },
        {
            trigger: ".o_field_widget[name=xinfang_resource_calendar_id].o_readonly_modifier",
        },
        {
            trigger: "body",
            run: "goToUrl /odoo/action-xinfang_module.hr_department_action_xinfang_config",
        },
        { trigger: ".o_data_row td:contains(Tour Settings Department)", run: "click" },
        {
            trigger: ".o_field_widget[name=xinfang_user_ids] input",
            run: "edit xf_tour_contact",
        },
        { trigger: ".o-autocomplete--dropdown-item a:contains(xf_tour_contact)", run: "click" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
    ],
});
