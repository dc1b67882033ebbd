/** @odoo-module */

import { registry } from "@web/core/registry";

// An anonymous visitor submits a petition in Chinese with a file on the
// public form, keeps the number and the query code, opens the query page
// with them and adds material. The test types the captcha it fixed.
registry.category("web_tour.tours").add("xinfang_online_submit", {
    url: "/xinfang",
    steps: () => [
        {
            trigger: "form.o_xinfang_form input[name=anonymous]",
            run: "click",
        },
        {
            trigger: "form.o_xinfang_form input[name=subject]",
            run: "edit 检验报告迟迟拿不到",
        },
        {
            trigger: "form.o_xinfang_form textarea[name=content]",
            run: "edit 11月20日抽血化验，至今未能取到检验报告，多次询问无人答复。",
        },
        {
            trigger: "form.o_xinfang_form textarea[name=requests]",
            run: "edit 请尽快出具报告并说明原因。",
        },
        {
            trigger: "form.o_xinfang_form input[name=attachments]",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"], "化验单.pdf", {
                        type: "application/pdf",
                    })
                );
                this.anchor.files = transfer.files;
            },
        },
        {
            trigger: "form.o_xinfang_form input[name=rights]",
            run: "click",
        },
        {
            trigger: "form.o_xinfang_form input[name=consent]",
            run: "click",
        },
        {
            trigger: "form.o_xinfang_form input[name=captcha]",
            run: "edit 23456",
        },
        {
            trigger: "form.o_xinfang_form button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_xinfang_code",
            run() {
                localStorage.setItem(
                    "xinfang_tour_number",
                    document.querySelector(".o_xinfang_number").textContent.trim()
                );
                localStorage.setItem("xinfang_tour_code", this.anchor.textContent.trim());
            },
        },
        {
            trigger: "a.btn-link[href='/xinfang/query']",
            run: "click",
        },
        ...queryWithTheCode(),
        {
            trigger: "form.o_xinfang_supplement textarea[name=text]",
            run: "edit 补充：化验单号 20261120-0035",
        },
        {
            trigger: "form.o_xinfang_supplement button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_xinfang_notice",
        },
    ],
});

function queryWithTheCode() {
    return [
        {
            trigger: "form.o_xinfang_query input[name=number]",
            run() {
                // The number comes with the link (?number=) or from the
                // confirmation page; the code from the confirmation page or,
                // in a new browser, from the link's fragment (never sent).
                this.anchor.value =
                    this.anchor.value || localStorage.getItem("xinfang_tour_number");
            },
        },
        {
            trigger: "form.o_xinfang_query input[name=code]",
            run() {
                const fragment = new URLSearchParams(location.hash.slice(1));
                this.anchor.value =
                    fragment.get("code") || localStorage.getItem("xinfang_tour_code");
            },
        },
        {
            trigger: "form.o_xinfang_query button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_xinfang_state",
        },
    ];
}

// The same visitor, once the office has replied, rates the handling.
// Started on /xinfang/query?number=…#code=… (no url here: the tour would
// redirect to it and lose both).
registry.category("web_tour.tours").add("xinfang_online_rate", {
    steps: () => [
        ...queryWithTheCode(),
        {
            trigger: "form.o_xinfang_rate input[value=satisfied]",
            run: "click",
        },
        {
            trigger: "form.o_xinfang_rate textarea[name=comment]",
            run: "edit 报告已取到，谢谢。",
        },
        {
            trigger: "form.o_xinfang_rate button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_xinfang_rated",
        },
    ],
});
