/** @odoo-module */

import { registry } from "@web/core/registry";

// The office manager walks one anonymous letter from registration to closure
// through the buttons and step dialogs of the form.
const confirmDialog = [
    {
        trigger: ".modal button[name=action_confirm]",
        run: "click",
    },
    {
        trigger: "body:not(:has(.modal))",
    },
];

const expectState = (state) => ({
    trigger: `.o_statusbar_status button[data-value=${state}].o_arrow_button_current`,
});

registry.category("web_tour.tours").add("xinfang_petition_lifecycle", {
    url: "/odoo/action-xinfang_module.xinfang_petition_action",
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        {
            trigger: ".o_field_widget[name=subject] input",
            run: "edit 门诊大厅指示牌不清楚",
        },
        { trigger: ".o_field_widget[name=channel] select", run: 'select "letter"' },
        {
            trigger: ".o_field_widget[name=category_id] input",
            run: "edit Lifecycle Category",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Lifecycle Category)",
            run: "click",
        },
        { trigger: ".o_field_widget[name=anonymous] input", run: "click" },
        {
            trigger: ".o_field_widget[name=content] textarea",
            run: "edit 匿名来信反映门诊大厅指示牌不清楚，患者找不到科室。",
        },
        { trigger: "button[name=action_submit]", run: "click" },
        expectState("pending"),
        { trigger: "button[name=action_accept]", run: "click" },
        ...confirmDialog,
        expectState("accepted"),
        { trigger: "button[name=action_assign]", run: "click" },
        {
            trigger: ".modal .o_field_widget[name=main_department_id] input:value(Lifecycle Department)",
        },
        ...confirmDialog,
        expectState("handling"),
        { trigger: ".o_notebook a[name=reply]", run: "click" },
        {
            trigger: ".o_field_widget[name=reply_facts] textarea",
            run: "edit 门诊大厅指示牌字迹褪色",
        },
        {
            trigger: ".o_field_widget[name=reply_basis] textarea",
            run: "edit 医院标识管理规定",
        },
        {
            trigger: ".o_field_widget[name=reply_conclusion] textarea",
            run: "edit 已更换全部指示牌",
        },
        { trigger: "button[name=action_submit_reply]", run: "click" },
        expectState("review"),
        { trigger: "button[name=action_approve_reply]", run: "click" },
        expectState("replied"),
        { trigger: "button[name=action_close]", run: "click" },
        {
            trigger: ".modal .o_field_widget[name=completion_report] textarea",
            run: "edit 指示牌已更换，事项办结。",
        },
        {
            trigger: ".modal .o_field_widget[name=publication_note] textarea",
            run: "edit 在门诊大厅公告栏公布处理结果",
        },
        ...confirmDialog,
        expectState("closed"),
    ],
});
