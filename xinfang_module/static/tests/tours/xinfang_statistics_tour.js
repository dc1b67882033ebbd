/** @odoo-module */

import { registry } from "@web/core/registry";

// The office manager opens 报表 > 统计报表 from the menu, picks the second
// quarter of last year and downloads the workbook (the test then opens the
// file the wizard kept).
registry.category("web_tour.tours").add("xinfang_statistics_workbook", {
    url: "/odoo/action-xinfang_module.xinfang_petition_action",
    steps: () => [
        {
            trigger: "button[data-menu-xmlid='xinfang_module.xinfang_menu_reporting']",
            run: "click",
        },
        {
            trigger: "a[data-menu-xmlid='xinfang_module.xinfang_statistics_wizard_menu']",
            run: "click",
        },
        { trigger: ".modal .o_field_widget[name=period_type] input[data-value=quarter]", run: "click" },
        {
            trigger: ".modal .o_field_widget[name=year] select",
            run: `select "${new Date().getFullYear() - 1}"`,
        },
        { trigger: ".modal .o_field_widget[name=quarter] select", run: 'select "2"' },
        { trigger: ".modal .o_field_widget[name=date_from]:contains(04/01)" },
        { trigger: ".modal button[name=action_download]", run: "click" },
        { trigger: ".modal button[name=action_download]:enabled" },
    ],
});

// A leader opens the dashboard: the tiles and the charts load, and another
// period can be chosen.
registry.category("web_tour.tours").add("xinfang_dashboard_leader", {
    url: "/odoo/action-xinfang_module.xinfang_dashboard_action",
    steps: () => [
        { trigger: ".o_xinfang_dashboard .o_xinfang_tile[data-code=received]" },
        { trigger: ".o_xinfang_dashboard .o_xinfang_tile[data-code=satisfaction]" },
        { trigger: ".o_xinfang_dashboard canvas" },
        { trigger: ".o_xinfang_dashboard_period", run: "select last_year" },
        { trigger: ".o_xinfang_dashboard .o_xinfang_tile[data-code=received] .fs-2:contains(3)" },
    ],
});
