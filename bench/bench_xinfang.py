#!/usr/bin/env python3
"""Benchmark xinfang_module against OCA helpdesk_mgmt, side by side.

Both addons are installed in one fresh database; every measure runs on both
sides in the same process, interleaved, three times, and is reported as the
median with its min-max spread. Prints a table and, with --json FILE, writes
it as a list of {"measure", "xinfang", "helpdesk", "ratio", "unit"} rows.

Usage (through make): make bench ARGS="--quick --json bench.json"
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta

SCALE = {
    "intake": 10_000,  # records created per side and repetition
    "batch": 1_000,
    "interactive": 200,
    "rows": 100_000,  # table size for list, kanban, statistics and crons
    "small_rows": 10_000,  # second table size for the cron comparison
    "workbook_rows": 1_000_000,  # items of the year for the period workbook
}
REPEAT = 3
# The machine's yardstick (see Bench.yardstick): not scaled by --quick.
YARDSTICK_RECORDS = 2_000
YARDSTICK_SUM = 5_000_000
READ_LABELS = {
    "list": "list view, first 80 rows",
    "kanban": "kanban grouped read",
    "stats": "statistics _read_group, 3 keys",
}
# Measure 10 also reads as the menus open: the board on its default filter
# (not closed), the analysis on its default period (this year).
DEFAULT_READ_LABELS = {
    "board": "kanban grouped read, board's default filter",
    "analysis": "statistics _read_group, analysis's default period",
    # As an office officer: through the record rules, which the admin of
    # the other measures (an office manager) does not meet.
    "board_officer": "kanban grouped read, board's default filter, as an officer",
    "list_officer": "list first 80 rows, as an officer",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db", default="xinfang_bench")
    parser.add_argument("--quick", action="store_true", help="1/10 of the scale")
    parser.add_argument("--json", metavar="FILE", help="write the table as JSON")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--workbook-only",
        metavar="YEAR",
        type=int,
        help="internal: write the year's workbook in this fresh process and "
        "print its time, queries and peak memory as JSON",
    )
    return parser.parse_args()


def create_database(args):
    subprocess.run(["dropdb", "--if-exists", args.db], check=True)
    subprocess.run(
        [
            os.environ.get("ODOO_BIN", "odoo"),
            "-d",
            args.db,
            f"--addons-path={args.addons_path}",
            "-i",
            "xinfang_module,helpdesk_mgmt",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
        ],
        check=True,
    )


class Bench:
    def __init__(self, args):
        import odoo
        from odoo.tools import config

        config.parse_config(
            [f"--addons-path={args.addons_path}", "-d", args.db, "--log-level=warn"]
        )
        self.odoo = odoo
        self.registry = odoo.modules.registry.Registry(args.db)
        self.scale = {
            key: max(value // 10, 1) if args.quick else value
            for key, value in SCALE.items()
        }
        self.rows = []
        self.args = args

    # -- helpers -------------------------------------------------------------

    def env(self, cr, **context):
        api = self.odoo.api
        admin = api.Environment(cr, self.odoo.SUPERUSER_ID, {}).ref("base.user_admin")
        return api.Environment(cr, admin.id, context)

    def measure(self, func):
        """(seconds, queries) of func(cr, env-maker), committed."""
        with self.registry.cursor() as cr:
            start_queries = cr.sql_log_count
            start = time.perf_counter()
            func(cr)
            cr.flush()
            seconds = time.perf_counter() - start
            queries = cr.sql_log_count - start_queries
            cr.commit()
        return seconds, queries

    def record(self, measure, unit, ours, theirs):
        def summary(values):
            if values is None:
                return None
            return {
                "median": statistics.median(values),
                "min": min(values),
                "max": max(values),
            }

        ours, theirs = summary(ours), summary(theirs)
        ratio = (
            ours["median"] / theirs["median"] if theirs and theirs["median"] else None
        )
        self.rows.append(
            {
                "measure": measure,
                "xinfang": ours,
                "helpdesk": theirs,
                "ratio": ratio,
                "unit": unit,
            }
        )
        print(f"  {measure}: {fmt(ours)} vs {fmt(theirs)} {unit}", flush=True)

    def record_pair(self, results, *labels):
        """Record one row per (label, unit): results hold one tuple per
        repetition and side, its n-th value for the n-th label."""
        for index, (label, unit) in enumerate(labels):
            self.record(
                label,
                unit,
                [values[index] for values in results["xinfang"]],
                [values[index] for values in results["helpdesk"]],
            )

    def yardstick(self, when):
        """The machine's speed at the ``when`` of the run: the same work on
        neither addon, three times. This machine has run the same code at
        half the speed of another day, and 25 % slower within minutes: a
        figure that moved with the yardstick moved with the machine."""
        orm, sql = [], []
        # One more than measured: the first warms Odoo's caches up.
        for _repetition in range(REPEAT + 1):
            with self.registry.cursor() as cr:
                env = self.env(cr, tracking_disable=True)
                start = time.perf_counter()
                env["res.partner"].create(
                    [{"name": f"Yardstick {i}"} for i in range(YARDSTICK_RECORDS)]
                )
                env.flush_all()
                orm.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                cr.execute(
                    "SELECT sum(i) FROM generate_series(1, %s) i", [YARDSTICK_SUM]
                )
                cr.fetchone()
                sql.append((time.perf_counter() - start) * 1000)
                cr.rollback()
        orm, sql = orm[1:], sql[1:]
        self.record(
            f"yardstick ({when}): Odoo creating {YARDSTICK_RECORDS:,} partners: ms",
            "ms",
            orm,
            None,
        )
        self.record(
            f"yardstick ({when}): PostgreSQL summing {YARDSTICK_SUM:,} integers: ms",
            "ms",
            sql,
            None,
        )

    # -- fixtures ------------------------------------------------------------

    def fixtures(self):
        with self.registry.cursor() as cr:
            env = self.env(cr)
            departments = env["hr.department"].create(
                [{"name": f"科室{i}"} for i in range(8)]
            )
            categories = env["xinfang.category"].create(
                [
                    {"name": f"分类{i}", "department_id": departments[i % 8].id}
                    for i in range(10)
                ]
            )
            petitioners = env["xinfang.petitioner"].create(
                [{"name": f"信访人{i}", "phone": f"139{i:08d}"} for i in range(200)]
            )
            teams = env["helpdesk.ticket.team"].create(
                [{"name": f"Team {i}"} for i in range(8)]
            )
            ticket_categories = env["helpdesk.ticket.category"].create(
                [{"name": f"Category {i}"} for i in range(10)]
            )
            partners = env["res.partner"].create(
                [{"name": f"Customer {i}"} for i in range(200)]
            )
            cr.commit()
            self.ids = {
                "categories": categories.ids,
                "petitioners": petitioners.ids,
                "teams": teams.ids,
                "ticket_categories": ticket_categories.ids,
                "partners": partners.ids,
            }

    def petition_vals(self, i):
        ids = self.ids
        return {
            "channel": "letter",
            "subject": f"反映门诊候诊时间过长 {i}",
            "content": "信访人反映门诊候诊时间过长，要求改进挂号流程。",
            "category_id": ids["categories"][i % len(ids["categories"])],
            "petitioner_id": ids["petitioners"][i % len(ids["petitioners"])],
        }

    def ticket_vals(self, i):
        ids = self.ids
        return {
            "name": f"Waiting time too long {i}",
            "description": "<p>The customer complains about the waiting time.</p>",
            "team_id": ids["teams"][i % len(ids["teams"])],
            "category_id": ids["ticket_categories"][i % len(ids["ticket_categories"])],
            "partner_id": ids["partners"][i % len(ids["partners"])],
        }

    # -- measures ------------------------------------------------------------

    def sides(self):
        """(side, model, values maker), in the order every measure runs them."""
        return (
            ("xinfang", "xinfang.petition", self.petition_vals),
            ("helpdesk", "helpdesk.ticket", self.ticket_vals),
        )

    def bulk_intake(self, label, **context):
        total, batch = self.scale["intake"], self.scale["batch"]
        results = {"xinfang": [], "helpdesk": []}
        for _rep in range(REPEAT):
            for side, model, maker in self.sides():

                def run(cr, model=model, maker=maker):
                    Model = self.env(cr, **context)[model]
                    for start in range(0, total, batch):
                        Model.create([maker(i) for i in range(start, start + batch)])
                        cr.flush()

                seconds, queries = self.measure(run)
                results[side].append((total / seconds, queries / total))
        self.record_pair(
            results,
            (f"{label}: records/s", "records/s"),
            (f"{label}: queries/record", "queries"),
        )

    def interactive_create(self):
        count = self.scale["interactive"]
        results = {"xinfang": [], "helpdesk": []}
        for _rep in range(REPEAT):
            for side, model, maker in self.sides():

                def run(cr, model=model, maker=maker):
                    Model = self.env(cr)[model]
                    for i in range(count):
                        # As the form does: one web_save per record.
                        Model.browse().web_save(maker(i), {"display_name": {}})
                        cr.flush()

                seconds, queries = self.measure(run)
                results[side].append((seconds * 1000 / count, queries / count))
        self.record_pair(
            results,
            ("interactive create: ms/create", "ms"),
            ("interactive create: queries/create", "queries"),
        )

    def fill(self, table, rows):
        """Grow a table to ``rows`` rows by copying its own rows in SQL: the
        reads below need volume, not another hour of creates."""
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT column_name FROM information_schema.columns
                    WHERE table_name = %s AND column_name != 'id'""",
                [table],
            )
            columns = ", ".join(f'"{c}"' for (c,) in cr.fetchall())
            while True:
                cr.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
                (count,) = cr.fetchone()
                if count >= rows:
                    break
                cr.execute(
                    f"INSERT INTO {table} ({columns}) "  # noqa: S608
                    f"SELECT {columns} FROM {table} ORDER BY id LIMIT %s",
                    [rows - count],
                )
            cr.commit()
        self.vacuum(table)

    def vacuum(self, table):
        """VACUUM ANALYZE, as autovacuum does in production: the updates of
        the earlier measures (crons, shrink) leave dead rows that a fresh
        table of the other side does not have."""
        subprocess.run(
            ["psql", "-q", "-d", self.args.db, "-c", f"VACUUM ANALYZE {table}"],
            check=True,
        )

    def shrink(self, table, rows):
        """Bring a table back to its first ``rows`` rows (bench data only)."""
        with self.registry.cursor() as cr:
            cr.execute(
                f"DELETE FROM {table} WHERE id NOT IN "  # noqa: S608
                f"(SELECT id FROM {table} ORDER BY id LIMIT %s)",
                [rows],
            )
            cr.commit()
        self.vacuum(table)

    def list_spec(self, env, model):
        arch = env[model].get_views([(False, "list")])["views"]["list"]["arch"]
        from lxml import etree

        spec = {}
        for node in etree.fromstring(arch).iter("field"):
            name = node.get("name")
            field = env[model]._fields.get(name)
            if not field:
                continue
            if field.type == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            elif field.type in ("one2many", "many2many"):
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
        return spec

    def reads(self):
        results = {
            key: {"xinfang": [], "helpdesk": []} for key in ("list", "kanban", "stats")
        }
        sides = (
            (
                "xinfang",
                "xinfang.petition",
                "state",
                ["department_id", "category_id", "registration_date:month"],
            ),
            (
                "helpdesk",
                "helpdesk.ticket",
                "stage_id",
                ["team_id", "category_id", "create_date:month"],
            ),
        )
        self.read_sides(sides, results)
        for key, label in READ_LABELS.items():
            self.record_pair(
                results[key], (f"{label}: ms", "ms"), (f"{label}: queries", "queries")
            )

    def read_sides(self, sides, results):
        """Measure the list, kanban and statistics reads of each side into
        ``results[key][side]``: (ms, queries) per repetition."""
        for _rep in range(REPEAT + 1):  # the first repetition warms the caches
            for side, model, stage, stats_groupby in sides:

                def list_read(cr, model=model):
                    env = self.env(cr)
                    # As the web client calls it: the count stops at 10,001.
                    env[model].web_search_read(
                        [], self.list_spec(env, model), limit=80, count_limit=10001
                    )

                def kanban(cr, model=model, stage=stage):
                    self.env(cr)[model].web_read_group([], [stage], [stage], lazy=True)

                def stats(cr, model=model, groupby=stats_groupby):
                    self.env(cr)[model]._read_group([], groupby, ["__count"])

                for key, func in (
                    ("list", list_read),
                    ("kanban", kanban),
                    ("stats", stats),
                ):
                    seconds, queries = self.measure(func)
                    if _rep:
                        results[key][side].append((seconds * 1000, queries))

    def reads_at_scale(self, year):
        """Ours only, at the current size: the median ms of the list, kanban
        and statistics reads, per key, over every item and, for the board
        and the analysis, with the filters their menus open with."""
        results = {key: {"xinfang": []} for key in READ_LABELS}
        self.read_sides(
            (
                (
                    "xinfang",
                    "xinfang.petition",
                    "state",
                    ["department_id", "category_id", "registration_date:month"],
                ),
            ),
            results,
        )
        medians = {
            key: statistics.median(ms for ms, _queries in values["xinfang"])
            for key, values in results.items()
        }
        with self.registry.cursor() as cr:
            env = self.env(cr)
            arch = env["xinfang.petition"].get_views([(False, "search")])["views"][
                "search"
            ]["arch"]
            officer = env["res.users"].search([("login", "=", "bench_officer")])
            if not officer:
                officer = env["res.users"].create(
                    {
                        "name": "Bench Officer",
                        "login": "bench_officer",
                        "groups_id": [
                            (6, 0, [env.ref("xinfang_module.group_xinfang_officer").id])
                        ],
                    }
                )
            officer_id = officer.id
            cr.commit()
        from lxml import etree

        from odoo.tools.safe_eval import safe_eval

        (open_filter,) = etree.fromstring(arch).xpath("//filter[@name='open']")
        board = safe_eval(open_filter.get("domain"))
        this_year = [
            ("registration_date", ">=", f"{year}-01-01 00:00:00"),
            ("registration_date", "<", f"{year + 1}-01-01 00:00:00"),
        ]
        for key, func in (
            (
                "board",
                lambda cr: self.env(cr)["xinfang.petition"].web_read_group(
                    board, ["state"], ["state"], lazy=True
                ),
            ),
            (
                "analysis",
                lambda cr: self.env(cr)["xinfang.petition"]._read_group(
                    this_year,
                    ["department_id", "category_id", "registration_date:month"],
                    ["__count"],
                ),
            ),
            (
                "board_officer",
                lambda cr: self.env(cr)(user=officer_id)[
                    "xinfang.petition"
                ].web_read_group(board, ["state"], ["state"], lazy=True),
            ),
            (
                "list_officer",
                lambda cr: self.env(cr)(user=officer_id)[
                    "xinfang.petition"
                ].web_search_read(
                    [],
                    {"name": {}, "subject": {}, "state": {}, "next_deadline": {}},
                    limit=80,
                    count_limit=10001,
                ),
            ),
        ):
            values = [self.measure(func)[0] * 1000 for _rep in range(REPEAT + 1)]
            medians[key] = statistics.median(values[1:])  # the first warms
        return medians

    def age(self, rows, year):
        """A city's ten years: the items after the first ``rows`` are moved
        to the nine years before ``year``, done (closed, filed or not
        accepted), as a table grows when it keeps its history."""
        with self.registry.cursor() as cr:
            cr.execute(
                """UPDATE xinfang_petition SET
                    registration_date = registration_date
                        - make_interval(years => 1 + id %% 9),
                    decision_date = decision_date
                        - make_interval(years => 1 + id %% 9),
                    state = (ARRAY['closed', 'filed', 'filed', 'filed',
                                   'rejected'])[id %% 5 + 1],
                    close_date = CASE WHEN id %% 5 != 4 THEN (registration_date
                        - make_interval(years => 1 + id %% 9))::date + 40 END,
                    deadline_status = 'on_time'
                  WHERE id NOT IN (SELECT id FROM xinfang_petition
                                    ORDER BY id LIMIT %s)""",
                [rows],
            )
            cr.commit()
        self.vacuum("xinfang_petition")

    def crons(self, rows):
        """Open ``rows`` petitions, 5 % of them due soon or overdue, and run
        the deadline refresh and the deadline watch until they are done."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            today = env.company._xinfang_today()
            cr.execute(
                """UPDATE xinfang_petition SET state = 'pending', active = true,
                          deadline_status = 'on_time',
                          next_deadline = %s, acceptance_deadline = %s""",
                [today + timedelta(days=40), today + timedelta(days=40)],
            )
            cr.execute("DELETE FROM xinfang_supervision")
            cr.execute(
                """UPDATE xinfang_petition
                      SET next_deadline = %s + (id %% 6 - 3)
                    WHERE id %% 20 = 0""",
                [today],
            )
            cr.commit()
        results = [
            self.run_cron(name, model, method)
            for name, model, method in (
                (
                    "deadline refresh",
                    "xinfang.petition",
                    "_cron_refresh_deadline_status",
                ),
                ("deadline watch", "xinfang.supervision", "_cron_deadline_watch"),
            )
        ]
        # Callback selection: every row closed in the last four weeks (this
        # month and the last), no callback yet, the default 20 % rate.
        with self.registry.cursor() as cr:
            today = self.env(cr).company._xinfang_today()
            cr.execute("DELETE FROM xinfang_callback")
            cr.execute(
                """UPDATE xinfang_petition SET state = 'closed', anonymous = false,
                          close_date = %s - (id %% 28)""",
                [today],
            )
            cr.commit()
        # As autovacuum would before a month's planning: the two updates above
        # left two dead versions of each row, and statistics of a table
        # that no longer looks like this (all closed in four weeks).
        self.vacuum("xinfang_petition")
        results.append(
            self.run_cron(
                "callback planning", "xinfang.callback", "_cron_plan_callbacks"
            )
        )
        return results

    def run_cron(self, name, model, method):
        """Run a scheduled action batch after batch until it has nothing to
        do: (name, seconds, queries per batch)."""
        batches = []
        start = time.perf_counter()
        while True:
            done = []

            def run(cr, done=done):
                su = self.odoo.api.Environment(cr, self.odoo.SUPERUSER_ID, {})
                done.append(getattr(su[model], method)())

            _seconds, queries = self.measure(run)
            batches.append(queries)
            if not done[0]:
                break
        return name, time.perf_counter() - start, batches

    def spread(self, year):
        """Give the rows a year's worth of variety (dates, channels, natures,
        states, departments, facts) before they are copied up: the workbook
        and the dashboard read realistic groups, not one."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            departments = env["hr.department"].search([], limit=8).ids
            cr.execute(
                """UPDATE xinfang_petition SET
                    registration_date = make_timestamp(%(year)s, 1, 1, 2, 0, 0)
                        + (id %% 365) * interval '1 day',
                    channel = (ARRAY['letter', 'visit', 'phone', 'email', 'online',
                                     'upper_transfer'])[id %% 6 + 1],
                    request_nature = (ARRAY['complaint', 'report', 'help',
                        'consultation', 'suggestion', 'praise', 'other'])[id %% 7 + 1],
                    department_id = (%(departments)s::int[])[id %% 8 + 1],
                    state = (ARRAY['pending', 'accepted', 'handling', 'closed',
                                   'closed', 'closed', 'rejected'])[id %% 7 + 1],
                    decision_date = make_date(%(year)s, 1, 1) + (id %% 365) + 3,
                    decided_on_time = id %% 17 != 0,
                    close_date = CASE WHEN id %% 7 IN (3, 4, 5)
                        THEN make_date(%(year)s, 1, 1) + (id %% 365) + 40 END,
                    closed_on_time = id %% 13 != 0,
                    handling_days_at_close = CASE WHEN id %% 7 IN (3, 4, 5)
                        THEN 37 END,
                    callback_rating = CASE WHEN id %% 7 IN (3, 4) THEN
                        (ARRAY['satisfied', 'basic', 'dissatisfied'])[id %% 3 + 1]
                        END,
                    deadline_status = CASE WHEN id %% 11 = 0 THEN 'overdue'
                        ELSE 'on_time' END,
                    people_count = 1 + id %% 3,
                    confidential = id %% 50 = 0""",
                {"year": year, "departments": departments},
            )
            cr.commit()
        self.vacuum("xinfang_petition")

    def dashboard(self):
        """9. The dashboard's figures for the year, as the office manager."""
        results = []
        for _rep in range(REPEAT + 1):

            def run(cr):
                self.env(cr)["xinfang.statistics"].get_dashboard_data("this_year")

            seconds, queries = self.measure(run)
            if _rep:
                results.append((seconds * 1000, queries))
        rows = self.scale["rows"]
        for index, (label, unit) in enumerate(
            (
                (f"dashboard data at {rows:,} rows: ms", "ms"),
                (f"dashboard data at {rows:,} rows: queries", "queries"),
            )
        ):
            self.record(label, unit, [values[index] for values in results], None)

    def table_sizes(self):
        """The heap each side scans for a grouped read (MB)."""
        with self.registry.cursor() as cr:
            sizes = {}
            for table in ("xinfang_petition", "helpdesk_ticket"):
                cr.execute("SELECT pg_relation_size(%s) / 1048576.0", [table])
                sizes[table] = float(cr.fetchone()[0])
        self.record(
            f"table heap at {self.scale['rows']:,} rows: MB",
            "MB",
            [sizes["xinfang_petition"]],
            [sizes["helpdesk_ticket"]],
        )

    def workbook(self, args, year):
        """8. The year workbook over ``workbook_rows`` items, each time in a
        fresh process (peak memory is the process's, Odoo included)."""
        rows = self.scale["workbook_rows"]
        self.fill("xinfang_petition", rows)
        results = []
        for _rep in range(REPEAT):
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--addons-path",
                    args.addons_path,
                    "--db",
                    args.db,
                    "--workbook-only",
                    str(year),
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results.append(json.loads(out.strip().splitlines()[-1]))
        for key, label, unit in (
            ("seconds", "s", "s"),
            ("queries", "queries", "queries"),
            ("peak_mb", "peak RSS of the process: MB", "MB"),
            ("before_mb", "RSS before the workbook: MB", "MB"),
            ("bytes", "file size: bytes", "bytes"),
        ):
            self.record(
                f"year workbook at {rows:,} rows: {label}",
                unit,
                [result[key] for result in results],
                None,
            )

    def run(self):
        s = self.scale
        print(
            f"Fixtures, then {REPEAT} interleaved repetitions per measure", flush=True
        )
        print("0. The machine's yardstick", flush=True)
        self.yardstick("start")
        self.fixtures()
        print("1. Bulk intake, default chatter", flush=True)
        self.bulk_intake("bulk create, default chatter")
        print("2. Bulk intake, chatter off", flush=True)
        self.bulk_intake(
            "bulk create, chatter off", tracking_disable=True, mail_create_nolog=True
        )
        print("3. Interactive create", flush=True)
        self.interactive_create()
        print(f"6. Scheduled actions at {s['small_rows']:,} rows", flush=True)
        # The intake created more than that: keep the first rows only.
        self.shrink("xinfang_petition", s["small_rows"])
        self.fill("xinfang_petition", s["small_rows"])
        small = self.crons(s["small_rows"])
        print(f"4-5, 7. Reads at {s['rows']:,} rows", flush=True)
        self.fill("xinfang_petition", s["rows"])
        self.fill("helpdesk_ticket", s["rows"])
        self.reads()
        print(f"6. Scheduled actions at {s['rows']:,} rows", flush=True)
        large = self.crons(s["rows"])
        # Again beside the longest measures: the machine drifts within a run.
        self.yardstick(f"after the scheduled actions at {s['rows']:,} rows")
        year = date.today().year
        self.spread(year)
        print(f"9. Dashboard at {s['rows']:,} rows", flush=True)
        self.dashboard()
        self.table_sizes()
        print(f"10a. Reads at {s['rows']:,} rows of a year", flush=True)
        base = self.reads_at_scale(year)
        print(f"8. Year workbook at {s['workbook_rows']:,} rows", flush=True)
        self.workbook(self.args, year)
        print(f"10b. Reads at {s['workbook_rows']:,} rows of a year", flush=True)
        grown = self.reads_at_scale(year)
        print(
            f"10c. Reads at {s['workbook_rows']:,} rows of ten years "
            f"({s['rows']:,} this year)",
            flush=True,
        )
        self.age(s["rows"], year)
        city = self.reads_at_scale(year)
        for key, label in {**READ_LABELS, **DEFAULT_READ_LABELS}.items():
            for size, what, value in (
                (s["rows"], "of a year", base[key]),
                (s["workbook_rows"], "of a year", grown[key]),
                (s["workbook_rows"], "of ten years", city[key]),
            ):
                self.record(f"{label} at {size:,} rows {what}: ms", "ms", [value], None)
            for what, value in (("of a year", grown), ("of ten years", city)):
                self.record(
                    f"{label}: {s['workbook_rows']:,} rows {what} / {s['rows']:,}",
                    "×",
                    [value[key] / base[key]],
                    None,
                )
        for (name, small_s, small_b), (_n, large_s, large_b) in zip(
            small, large, strict=True
        ):
            for size, seconds, batches in (
                (s["small_rows"], small_s, small_b),
                (s["rows"], large_s, large_b),
            ):
                self.record(f"cron {name} at {size:,} rows: s", "s", [seconds], None)
                self.record(
                    f"cron {name} at {size:,} rows: queries/batch (max)",
                    "queries",
                    [max(batches)],
                    None,
                )
                self.record(
                    f"cron {name} at {size:,} rows: total queries",
                    "queries",
                    [sum(batches)],
                    None,
                )


def fmt(value):
    if value is None:
        return "—"
    median = value["median"]
    spread = (
        f" ({value['min']:.3g}–{value['max']:.3g})"
        if value["min"] != value["max"]
        else ""
    )
    return f"{median:.3g}{spread}"


def print_table(rows):
    print()
    print(f"{'measure':<62} {'xinfang':>24} {'helpdesk_mgmt':>24} {'ratio':>6}")
    for row in rows:
        ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else "—"
        print(
            f"{row['measure']:<62} {fmt(row['xinfang']):>24} "
            f"{fmt(row['helpdesk']):>24} {ratio:>6}"
        )


def workbook_only(args):
    """Write the year's workbook as the admin (office manager) in this
    process and print {"seconds", "queries", "peak_mb", "before_mb", "bytes"}."""
    import resource

    import odoo
    from odoo.tools import config

    config.parse_config(
        [f"--addons-path={args.addons_path}", "-d", args.db, "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = env(user=admin.id)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        queries = cr.sql_log_count
        start = time.perf_counter()
        data = env["xinfang.statistics"]._collect(
            env.company,
            date(args.workbook_only, 1, 1),
            date(args.workbook_only, 12, 31),
        )
        content = env["xinfang.workbook"]._render(data)
        seconds = time.perf_counter() - start
        queries = cr.sql_log_count - queries
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "queries": queries,
                "peak_mb": peak,
                "before_mb": before,
                "bytes": len(content),
            }
        )
    )
    return 0


def main():
    args = parse_args()
    if args.workbook_only:
        return workbook_only(args)
    started = time.perf_counter()
    create_database(args)
    bench = Bench(args)
    bench.run()
    print_table(bench.rows)
    print(
        f"\n{date.today()} on {platform.node()} ({os.cpu_count()} cores, "
        f"Python {platform.python_version()}), {'quick' if args.quick else 'full'} "
        f"scale, {time.perf_counter() - started:.0f} s"
    )
    if args.json:
        rows = [
            {
                "measure": row["measure"],
                "xinfang": row["xinfang"]["median"],
                "helpdesk": row["helpdesk"]["median"] if row["helpdesk"] else None,
                "ratio": row["ratio"],
                "unit": row["unit"],
                "xinfang_range": [row["xinfang"]["min"], row["xinfang"]["max"]],
                "helpdesk_range": [row["helpdesk"]["min"], row["helpdesk"]["max"]]
                if row["helpdesk"]
                else None,
            }
            for row in bench.rows
        ]
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(rows, out, ensure_ascii=False, indent=1)
    if not args.keep_db:
        import odoo

        odoo.sql_db.close_all()
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
