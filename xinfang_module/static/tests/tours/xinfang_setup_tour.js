/** @odoo-module */

import { registry } from "@web/core/registry";

// The office manager of a company that is not set up opens Odoo: the 信访 app
// is the home, and it starts with the set-up. They choose the hospital's
// rules, name a petition contact, finish, and register the first item in a
// category the preset made.
registry.category("web_tour.tours").add("xinfang_first_run_setup", {
    steps: () => [
        {
            trigger: ".modal .o_field_widget[name=company_name] input",
            run: "edit 市第二人民医院",
        },
        {
            trigger: ".modal .o_field_widget[name=preset_id] .o_radio_item:contains(Hospital) input",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=preset_description]:not(:empty)",
        },
        {
            trigger: ".modal button[name=action_apply_preset]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row td[name=department_id]:contains(医务科)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_selected_row .o_field_widget[name=user_ids] input",
            run: "edit Setup Contact",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Setup Contact)",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_done]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=subject] input",
            run: "edit 门诊收费多收挂号费",
        },
        {
            trigger: ".o_field_widget[name=channel] select",
            run: 'select "letter"',
        },
        {
            trigger: ".o_field_widget[name=category_id] input",
            run: "edit Medical Dispute",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Medical Dispute)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=request_nature] select",
            run: 'select "complaint"',
        },
        {
            trigger: ".o_field_widget[name=anonymous] input",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=content] textarea",
            run: "edit 匿名来信反映门诊多收挂号费。",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
    ],
});
