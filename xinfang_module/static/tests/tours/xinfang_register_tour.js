/** @odoo-module */

import { registry } from "@web/core/registry";

// A registrar registers a telephone petition from a new caller through the form,
// creating the petitioner on the fly, and submits it for acceptance.
registry.category("web_tour.tours").add("xinfang_register_petition", {
    url: "/odoo/action-xinfang_module.xinfang_petition_action",
    steps: () => [
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=subject] input",
            run: "edit 出院小结打印错误，要求更正",
        },
        {
            trigger: ".o_field_widget[name=channel] select",
            run: 'select "phone"',
        },
        {
            trigger: ".o_field_widget[name=category_id] input",
            run: "edit Tour Category",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Category)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=petitioner_id] input",
            run: "edit 赵新华",
        },
        {
            trigger: ".o_m2o_dropdown_option_create_edit a",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=id_number] input",
            run: "edit 320106197508234618",
        },
        {
            trigger: ".modal .o_field_widget[name=phone] input",
            run: "edit 13812345678",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_field_widget[name=content] textarea",
            run: "edit 来电人称上月住院药费收据遗失，请求补开。",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            trigger: "button[name=action_submit]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button[data-value=pending].o_arrow_button_current",
        },
        {
            trigger: ".oe_title h1 .o_field_widget[name=name] span:contains(XF)",
        },
    ],
});
