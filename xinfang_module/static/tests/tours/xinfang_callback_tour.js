/** @odoo-module */

import { registry } from "@web/core/registry";

// An office officer finds the callback planned for today in the activity menu
// ("Callbacks to Make", counted without an activity), opens it from there,
// records a phone callback with the checklist and a rating, and saves it as
// made.
const answer = (field, value) => ({
    trigger: `.o_field_widget[name=${field}] input[data-value=${value}]`,
    run: "click",
});

registry.category("web_tour.tours").add("xinfang_callback_phone", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o-mail-ActivityMenu-counter:contains(1)", run: "click" },
        {
            trigger: ".o-mail-ActivityGroup[data-model_name='xinfang.callback']:contains(Callbacks to Make)",
            run: "click",
        },
        { trigger: ".o_searchview_facet:contains(Due Today)" },
        { trigger: ".o_data_row td[name=petition_id]:contains(回访巡回测试)", run: "click" },
        { trigger: ".o_field_widget[name=method] select", run: 'select "phone"' },
        {
            trigger: ".o_field_widget[name=visited_person] input",
            run: "edit 信访人本人",
        },
        answer("q_lawful", "yes"),
        answer("q_solved", "yes"),
        answer("q_contacted", "yes"),
        answer("q_fair", "yes"),
        answer("rating", "basic"),
        {
            trigger: ".o_field_widget[name=suggestions] textarea",
            run: "edit 希望缩短检查预约时间",
        },
        { trigger: "button[name=action_done]", run: "click" },
        {
            trigger: ".o_statusbar_status button[data-value=done].o_arrow_button_current",
        },
    ],
});
