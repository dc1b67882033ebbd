/** @odoo-module */

import { registry } from "@web/core/registry";

// The office books an appointment (约访) on a leader's reception day, records
// the visit when the petitioner comes, and registers its petition.
registry.category("web_tour.tours").add("xinfang_visit_appointment", {
    url: "/odoo/action-xinfang_module.xinfang_reception_day_action?view_type=list",
    steps: () => [
        { trigger: ".o_data_row td[name=place]:contains(巡回接待室)", run: "click" },
        { trigger: "button[name=action_book_appointment]", run: "click" },
        {
            trigger: ".o_field_widget[name=subject] input",
            run: "edit 要求复印完整病历",
        },
        {
            trigger: ".o_field_widget[name=petitioner_ids] input",
            run: "edit 孙丽华",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(孙丽华)",
            run: "click",
        },
        { trigger: ".o_field_widget[name=notice_method] select", run: 'select "phone"' },
        { trigger: "button[name=action_record_notice]", run: "click" },
        { trigger: ".o_field_widget[name=notice_date]:not(:empty)" },
        { trigger: "button[name=action_receive]", run: "click" },
        {
            trigger: ".o_statusbar_status button[data-value=received].o_arrow_button_current",
        },
        {
            trigger: ".o_field_widget[name=said] textarea",
            run: "edit 信访人称病历复印申请被拒绝，要求说明理由。",
        },
        {
            trigger: ".o_field_widget[name=promise] textarea",
            run: "edit 当日由病案室办理复印",
        },
        { trigger: "button[name=action_create_petition]", run: "click" },
        {
            trigger: ".o_form_view .o_field_widget[name=channel] select:has(option:selected:contains(Visit))",
        },
    ],
});
