/** @odoo-module **/
// 统计看板: the KPI tiles, received and closed by month, nature, top
// categories, overdue by department and the ratings, for a period and a
// department. The figures come from one server call
// (xinfang.statistics.get_dashboard_data), counted as the office counts them.

import { Component, onMounted, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"];

export class XinfangDashboard extends Component {
    static template = "xinfang_module.Dashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null, period: "this_year", departmentId: false });
        this.canvases = {
            months: useRef("months"),
            nature: useRef("nature"),
            categories: useRef("categories"),
            ratings: useRef("ratings"),
        };
        this.charts = [];
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load();
        });
        onMounted(() => this.draw());
        onWillUnmount(() => this.destroyCharts());
    }

    async load() {
        this.state.data = await this.orm.call("xinfang.statistics", "get_dashboard_data", [], {
            period: this.state.period,
            department_id: this.state.departmentId,
        });
    }

    async onFilter(ev) {
        const { name, value } = ev.target;
        if (name === "period") {
            this.state.period = value;
        } else {
            this.state.departmentId = value ? parseInt(value) : false;
        }
        await this.load();
        this.draw();
    }

    destroyCharts() {
        for (const chart of this.charts) {
            chart.destroy();
        }
        this.charts = [];
    }

    chart(ref, config) {
        const canvas = this.canvases[ref].el;
        if (canvas) {
            this.charts.push(new Chart(canvas, config));
        }
    }

    draw() {
        this.destroyCharts();
        const data = this.state.data;
        if (!data) {
            return;
        }
        // A new options object per chart: Chart.js completes the one it is
        // given (scales), which must not leak into the next chart.
        const options = (extra = {}) => ({ maintainAspectRatio: false, animation: false, ...extra });
        this.chart("months", {
            type: "bar",
            data: {
                labels: data.months.labels,
                datasets: [
                    { label: data.labels.received, data: data.months.received, backgroundColor: COLORS[0] },
                    { label: data.labels.closed, data: data.months.closed, backgroundColor: COLORS[2] },
                ],
            },
            options: options({ scales: { y: { ticks: { precision: 0 } } } }),
        });
        this.chart("nature", {
            type: "doughnut",
            data: {
                labels: data.nature.map((row) => row[0]),
                datasets: [{ data: data.nature.map((row) => row[1]), backgroundColor: COLORS }],
            },
            options: options(),
        });
        this.chart("categories", {
            type: "bar",
            data: {
                labels: data.categories.map((row) => row[0]),
                datasets: [
                    {
                        label: data.labels.received,
                        data: data.categories.map((row) => row[1]),
                        backgroundColor: COLORS[1],
                    },
                ],
            },
            options: options({
                indexAxis: "y",
                plugins: { legend: { display: false } },
                scales: { x: { ticks: { precision: 0 } } },
            }),
        });
        if (!data.ratings.some((row) => row[1])) {
            return;
        }
        this.chart("ratings", {
            type: "pie",
            data: {
                labels: data.ratings.map((row) => row[0]),
                datasets: [
                    { data: data.ratings.map((row) => row[1]), backgroundColor: [COLORS[2], COLORS[0], COLORS[3]] },
                ],
            },
            options: options(),
        });
    }
}

registry.category("actions").add("xinfang_dashboard", XinfangDashboard);
