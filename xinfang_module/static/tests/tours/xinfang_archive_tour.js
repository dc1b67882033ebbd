/** @odoo-module */

import { registry } from "@web/core/registry";

// The petition officer files a closed item from the office's "To File" list,
// follows it to its volume and closes the volume (its catalogue is fixed).
registry.category("web_tour.tours").add("xinfang_archive_file", {
    url: "/odoo/action-xinfang_module.xinfang_petition_action_to_file",
    steps: () => [
        { trigger: ".o_data_row td:contains(住院押金退还缓慢)", run: "click" },
        { trigger: "button[name=action_file]", run: "click" },
        { trigger: ".modal .o_field_widget[name=petition_count]:contains(1)" },
        { trigger: ".modal footer button[name=action_file]", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        {
            trigger:
                ".o_statusbar_status button[data-value=filed].o_arrow_button_current",
        },
        { trigger: ".o_notebook a[name=archive]", run: "click" },
        { trigger: ".o_field_widget[name=archive_number]:contains(1)" },
        { trigger: ".o_field_widget[name=archive_pages] input", run: "edit 7" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { trigger: ".o_field_widget[name=archive_volume_id] a", run: "click" },
        { trigger: ".o_field_widget[name=item_ids] td:contains(住院押金退还缓慢)" },
        { trigger: "button[name=action_close]", run: "click" },
        { trigger: ".modal footer button.btn-primary", run: "click" },
        {
            trigger:
                ".o_statusbar_status button[data-value=closed].o_arrow_button_current",
        },
    ],
});
