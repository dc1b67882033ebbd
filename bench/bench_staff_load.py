"""Load run of the staff's work (issue 18): a multi-worker Odoo, simulated
staff over JSON-RPC, the scheduled actions twice at once beside them, and the
same mix against OCA helpdesk_mgmt.

Each simulated person is a browser session calling what the web client calls
(``/web/dataset/call_kw`` with ``web_save``, ``web_search_read``,
``web_read_group``, ``/web/dataset/call_button`` for buttons and step
dialogs). Plain threads and ``requests``, as in ``bench_online_load.py``:
every client is one blocking session, which is what a person at a desk is;
Locust would bring gevent's monkey-patching into the process that also checks
the database, and its statistics are three lines here.

Prints figures only (never pass/fail on time): per operation ops/s, p50 and
p95 latency, refusals (a step already taken by a colleague: the user's
UserError) and errors by kind, for both addons, and the ratio. Then checks
in the database, and exits 1 on any failure:

- every registration the clients saw succeed exists exactly once;
- petition numbers are unique (gaps counted: they come from transactions
  rolled back, Odoo's retries included);
- no item reached a state twice, none was routed twice, none half-written;
- no supervision or callback duplicated, and a quiet run of each scheduled
  action afterwards finds nothing left to do;
- no error reached a client but refusals, the requests of the worker killed
  mid-run and those in flight when the replica stopped; no deadlock, lock or
  other error in the server's or the scheduled actions' logs (Odoo's logged
  serialization conflicts, each retried, are counted apart).

    make load                    (100,000 items, 60 s per run)
    make load ARGS="--quick"     (3,000 items, 8 s, xinfang alone: .ci/run)
    make load ARGS="--replica-port 5433"   (also with a read replica)
"""

import argparse
import collections
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import bench_online_proxy
import requests
from bench_online_load import percentile

CONTEXT = {"lang": "zh_CN", "tz": "Asia/Shanghai"}
# A colleague took the step first: the user is told why, with Odoo's
# UserError ("… 当前状态为已受理，不能受理。", "… 已有主办科室：请先退办。",
# "回访 … 已不在计划状态。"). Every distinct message is printed, so that a
# refusal that is no race shows. A ValidationError (Odoo turns a duplicate
# key into one), an AccessError or any other error is a fault.
REFUSAL = "odoo.exceptions.UserError"
# Lines of the server's and the scheduled actions' logs that must not appear.
BAD_LOG = re.compile(
    r"deadlock detected|lock timeout|could not obtain lock|"
    r"could not serialize|SerializationFailure|Traceback|"
    r"^\S+ \S+ \d+ (ERROR|CRITICAL) ",
    re.MULTILINE,
)
# The scheduled actions run twice at once beside the users.
CRONS = (
    ("xinfang.petition", "_cron_refresh_deadline_status"),
    ("xinfang.supervision", "_cron_deadline_watch"),
    ("xinfang.callback", "_cron_plan_callbacks"),
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db", default="xinfang_staff_load")
    parser.add_argument("--port", type=int, default=18190)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=60, help="seconds per run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--clients",
        type=int,
        default=2,
        help="multiplies each role's people (2: 4 registrars, 4 officers, 2 "
        "handlers, 2 leaders, 2 office managers, 14 helpdesk agents)",
    )
    parser.add_argument(
        "--replica-port",
        type=int,
        help="port of a hot standby of the local cluster (bench/replica.sh): "
        "the load run is repeated with Odoo's --db_replica_port",
    )
    parser.add_argument(
        "--no-helpdesk", action="store_true", help="xinfang_module alone"
    )
    parser.add_argument(
        "--no-kill", action="store_true", help="do not kill a worker mid-run"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="3,000 items, 8 s, xinfang alone: the CI check",
    )
    parser.add_argument(
        "--keep-db", action="store_true", help="keep the database after the run"
    )
    parser.add_argument(
        "--replace-db",
        action="store_true",
        help="drop the --db database first if it exists (never a real one)",
    )
    parser.add_argument("--cron-runner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.items, args.duration, args.no_helpdesk = 3_000, 8, True
    return args


def psql(db, sql, port=None):
    command = ["psql", "-d", db, "-tAF|", "-c", sql]
    if port:
        command[1:1] = ["-p", str(port)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


# ---------------------------------------------------------------------------
# The simulated people
# ---------------------------------------------------------------------------


class RpcError(Exception):
    def __init__(self, kind, message=""):
        super().__init__(kind, message)
        self.kind = kind
        self.message = message


class Client:
    """One person's browser session."""

    def __init__(self, base, db, login, stats):
        self.base = base
        self.http = requests.Session()
        self.stats = stats
        answer = self.http.post(
            f"{base}/web/session/authenticate",
            json={"params": {"db": db, "login": login, "password": login}},
            timeout=120,
        ).json()
        if answer.get("error") or not answer.get("result", {}).get("uid"):
            raise RuntimeError(f"{login} cannot log in: {answer.get('error')}")
        self.uid = answer["result"]["uid"]
        self.calls = 0

    def _post(self, path, params):
        self.calls += 1
        try:
            response = self.http.post(
                self.base + path,
                json={"jsonrpc": "2.0", "method": "call", "params": params},
                timeout=300,
            )
        except requests.RequestException as error:
            raise RpcError(f"connection: {type(error).__name__}") from error
        if response.status_code != 200:
            raise RpcError(f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as error:
            raise RpcError("not JSON", response.text[:300]) from error
        if "error" in answer:
            data = answer["error"].get("data", {})
            raise RpcError(data.get("name", "unknown"), data.get("message", ""))
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", CONTEXT)
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def button(self, model, method, record_id, context=None):
        return self._post(
            "/web/dataset/call_button",
            {
                "model": model,
                "method": method,
                "args": [[record_id]],
                "kwargs": {"context": {**CONTEXT, **(context or {})}},
            },
        )

    def timed(self, operation, func, *args, **kwargs):
        """Run one user action (maybe several calls, as the client makes
        them) and count it under ``operation``."""
        start, calls = time.perf_counter(), self.calls
        try:
            result = func(*args, **kwargs)
        except RpcError as error:
            if error.kind == REFUSAL:
                # One line per message, whatever the item's number or name.
                shape = re.sub(r"\S*\d\S*|压测登记", "…", error.message)
                self.stats.add(operation, "refused", shape)
            else:
                self.stats.add(operation, "error", error.kind, error.message)
            return None
        self.stats.add(operation, "ok", time.perf_counter() - start)
        self.stats.calls[operation] = self.calls - calls
        return result

    # -- what the web client does ---------------------------------------------

    def search(self, model, domain, fields, limit=80, order=None):
        return self.call(
            model,
            "web_search_read",
            domain=domain,
            specification={name: {} for name in fields},
            limit=limit,
            order=order or "",
        )["records"]

    def save(self, model, record_id, values, context=None):
        return self.call(
            model,
            "web_save",
            [record_id] if record_id else [],
            values,
            specification={"display_name": {}},
            context={**CONTEXT, **(context or {})},
        )[0]["id"]

    def dialog(self, model, method, record_id, values=None):
        """A step that opens a dialog: the button, the dialog saved with its
        action's context, then its Confirm button."""
        action = self.button(model, method, record_id)
        context = {**CONTEXT, **action.get("context", {})}
        wizard = self.save(action["res_model"], False, values or {}, context)
        return self.button(action["res_model"], "action_confirm", wizard, context)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.ok = collections.defaultdict(list)
        self.refused = collections.defaultdict(collections.Counter)
        self.errors = collections.defaultdict(collections.Counter)
        self.samples = {}
        self.calls = {}  # requests per operation, as the web client makes them
        self.error_times = []  # (when, kind) of each error

    def add(self, operation, outcome, value, message=""):
        with self.lock:
            if outcome == "error":
                self.error_times.append((time.time(), value))
            if outcome == "ok":
                self.ok[operation].append(value * 1000)
            elif outcome == "refused":
                self.refused[operation][value] += 1
                self.samples.setdefault((operation, value), message[:300])
            else:
                self.errors[operation][value] += 1
                self.samples.setdefault((operation, value), message[:300])


def pick(records):
    return random.choice(records)["id"] if records else None


def registrar(client, deadline, ids, seen):
    while time.time() < deadline:
        token = uuid.uuid4().hex[:12]

        def register(token=token):
            petition = client.save(
                "xinfang.petition",
                False,
                {
                    "subject": f"压测登记 {token}",
                    "channel": "letter",
                    "anonymous": True,
                    "category_id": random.choice(ids["categories"]),
                    "content": "来信反映门诊候诊时间过长，希望增加挂号窗口。",
                },
            )
            # Seen by the client: it exists from here on, submitted or not.
            seen.append(token)
            client.button("xinfang.petition", "action_submit", petition)

        client.timed("register + submit", register)


def officer(client, deadline, ids, seen):
    steps = (
        ("pending", "accept", "action_accept", None),
        ("accepted", "route", "action_assign", None),
        ("review", "approve reply", "action_approve_reply", False),
    )
    while time.time() < deadline:
        state, operation, method, values = random.choice(steps)
        rows = client.timed(
            "list (office)",
            client.search,
            "xinfang.petition",
            [("state", "=", state), ("subject", "like", "压测登记")],
            ["name", "subject", "state", "next_deadline", "department_id"],
        )
        petition = pick(rows or [])
        if not petition:
            time.sleep(0.2)
            continue
        if values is False:
            client.timed(operation, client.button, "xinfang.petition", method, petition)
        else:
            client.timed(
                operation, client.dialog, "xinfang.petition", method, petition, values
            )


def handler(client, deadline, ids, seen):
    while time.time() < deadline:
        rows = client.timed(
            "list (department)",
            client.search,
            "xinfang.petition",
            [("state", "=", "handling"), ("subject", "like", "压测登记")],
            ["name", "subject", "state", "handling_deadline"],
        )
        petition = pick(rows or [])
        if not petition:
            time.sleep(0.2)
            continue

        def reply(petition=petition):
            client.save(
                "xinfang.petition",
                petition,
                {
                    "reply_facts": "经核查，候诊时间确实较长。",
                    "reply_basis": "门诊管理制度。",
                    "reply_conclusion": "已增设两个挂号窗口。",
                },
            )
            client.button("xinfang.petition", "action_submit_reply", petition)

        client.timed("reply", reply)


def leader(client, deadline, ids, seen):
    while time.time() < deadline:
        client.timed(
            "kanban",
            client.call,
            "xinfang.petition",
            "web_read_group",
            domain=[],
            fields=["state"],
            groupby=["state"],
            lazy=True,
        )
        client.timed(
            "dashboard",
            client.call,
            "xinfang.statistics",
            "get_dashboard_data",
            period="this_year",
        )
        client.timed(
            "list (leader)",
            client.search,
            "xinfang.petition",
            [],
            ["name", "subject", "state", "registration_date", "department_id"],
        )


def manager(client, deadline, ids, seen):
    """The office manager closes replied items and makes callbacks."""
    while time.time() < deadline:
        if random.random() < 0.5:
            rows = client.timed(
                "list (office)",
                client.search,
                "xinfang.petition",
                [("state", "=", "replied"), ("subject", "like", "压测登记")],
                ["name", "subject", "state", "next_deadline"],
            )
            petition = pick(rows or [])
            if petition:
                client.timed(
                    "close",
                    client.dialog,
                    "xinfang.petition",
                    "action_close",
                    petition,
                    {"completion_report": "已增设挂号窗口，事项办结。"},
                )
                continue
        rows = client.timed(
            "list callbacks",
            client.search,
            "xinfang.callback",
            [("state", "=", "planned"), ("officer_ids", "in", [client.uid])],
            ["name", "planned_date", "method"],
            limit=40,
        )
        callback = pick(rows or [])
        if not callback:
            time.sleep(0.5)
            continue

        def record(callback=callback):
            client.save(
                "xinfang.callback",
                callback,
                {"rating": "satisfied", "suggestions": "信访人对处理结果表示满意。"},
            )
            client.button("xinfang.callback", "action_done", callback)

        client.timed("record callback", record)


def agent(client, deadline, ids, seen):
    """helpdesk_mgmt: the same mix on tickets."""
    while time.time() < deadline:
        action = random.random()
        if action < 0.3:
            client.timed(
                "create",
                client.save,
                "helpdesk.ticket",
                False,
                {
                    "name": f"Load ticket {uuid.uuid4().hex[:12]}",
                    "description": "<p>Waiting time too long.</p>",
                    "team_id": random.choice(ids["teams"]),
                },
            )
        elif action < 0.5:
            client.timed(
                "list",
                client.search,
                "helpdesk.ticket",
                [],
                ["number", "name", "stage_id", "user_id", "create_date"],
            )
        elif action < 0.7:
            client.timed(
                "kanban",
                client.call,
                "helpdesk.ticket",
                "web_read_group",
                domain=[],
                fields=["stage_id"],
                groupby=["stage_id"],
                lazy=True,
            )
        else:
            stages = ids["stages"]
            if action < 0.85:
                source, target, operation = stages["new"], stages["open"], "stage"
            else:
                source, target, operation = stages["open"], stages["done"], "close"
            rows = client.timed(
                "list",
                client.search,
                "helpdesk.ticket",
                [("stage_id", "=", source), ("name", "like", "Load ticket")],
                ["number", "name", "stage_id"],
            )
            ticket = pick(rows or [])
            if ticket:
                client.timed(
                    operation,
                    client.save,
                    "helpdesk.ticket",
                    ticket,
                    {"stage_id": target},
                )


def person(role, client, deadline, ids, seen):
    """A role's loop; whatever breaks it is counted, never lost."""
    try:
        role(client, deadline, ids, seen)
    except Exception as error:  # noqa: BLE001 - a client fault is a finding
        client.stats.add(
            role.__name__, "error", f"client: {type(error).__name__}", repr(error)
        )


ROLES = {
    "xinfang": (
        ("xf_registrar", registrar, 2),
        ("xf_officer", officer, 2),
        ("xf_handler", handler, 1),
        ("xf_leader", leader, 1),
        ("xf_manager", manager, 1),
    ),
    "helpdesk": (("admin", agent, 7),),
}


# ---------------------------------------------------------------------------
# The scheduled actions, twice at once
# ---------------------------------------------------------------------------


def cron_runner(args):
    """One process, as a cron worker is: each scheduled action batch after
    batch until it has nothing left, again and again until told to stop
    (a file), then once more. Prints a JSON line of what it did."""
    import odoo
    from odoo.tools import config

    config.parse_config(
        [f"--addons-path={args.addons_path}", "-d", args.db, "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(args.db)
    print("READY", flush=True)
    stop_file = args.cron_runner
    done = collections.Counter()
    while True:
        stopping = os.path.exists(stop_file)
        for model, method in CRONS:
            while True:
                with registry.cursor() as cr:
                    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                    count = getattr(env[model], method)()
                    cr.commit()
                done[method] += count
                if not count:
                    break
        if stopping:
            break
        time.sleep(0.5)
    print(json.dumps(done), flush=True)


def quiet_cron_run(args, odoo_bin):
    """After the load: each action once more, alone. It must find nothing."""
    code = (
        "import json\n"
        f"crons = {list(CRONS)!r}\n"
        "print('QUIET', json.dumps({m: getattr(env[model].sudo(), m)()"
        " for model, m in crons}))\n"
        "env.cr.commit()\n"
    )
    out = subprocess.run(
        [odoo_bin, "shell", "--no-http", "-d", args.db]
        + [f"--addons-path={args.addons_path}", "--log-level=warn"],
        input=code,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.split("QUIET", 1)[1].strip().splitlines()[0])


# ---------------------------------------------------------------------------
# The database and the server
# ---------------------------------------------------------------------------


def create_database(args, odoo_bin):
    exists = psql(
        "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'"
    ).strip()
    if exists and not args.replace_db:
        sys.exit(
            f"The database {args.db} exists: the load run creates its own and "
            "drops it afterwards. Choose another --db, or pass --replace-db "
            "to drop this one first."
        )
    subprocess.run(["dropdb", "--if-exists", args.db], check=True)
    modules = "xinfang_module" if args.no_helpdesk else "xinfang_module,helpdesk_mgmt"
    print(f"Creating {args.db} ({modules}, demo data, zh_CN)...", flush=True)
    subprocess.run(
        [odoo_bin, "-d", args.db, f"--addons-path={args.addons_path}", "-i", modules]
        + ["--load-language=zh_CN", "--stop-after-init", "--log-level=warn"]
        + ["--max-cron-threads=0", "--no-http"],
        check=True,
    )
    if args.items:
        first_copy = int(psql(args.db, "SELECT max(id) + 1 FROM xinfang_petition"))
        grow(args.db, "xinfang_petition", args.items)
        history(args.db, first_copy)
        if not args.no_helpdesk:
            grow(args.db, "helpdesk_ticket", args.items)
    ids = {
        "categories": [
            int(row)
            for row in psql(
                args.db,
                "SELECT res_id FROM ir_model_data WHERE module = 'xinfang_module'"
                " AND name IN ('category_medical', 'category_dispute')",
            ).split()
        ]
    }
    if not args.no_helpdesk:
        ids["teams"] = [
            int(row)
            for row in psql(args.db, "SELECT id FROM helpdesk_ticket_team").split()
        ]
        stages = dict(
            line.split("|")
            for line in psql(
                args.db,
                "SELECT name, res_id FROM ir_model_data WHERE module = "
                "'helpdesk_mgmt' AND model = 'helpdesk.ticket.stage'",
            ).split()
        )
        ids["stages"] = {
            "new": int(stages["helpdesk_ticket_stage_new"]),
            "open": int(stages["helpdesk_ticket_stage_in_progress"]),
            "done": int(stages["helpdesk_ticket_stage_done"]),
        }
    return ids


def grow(db, table, rows):
    """Copy the table's own rows in SQL up to ``rows`` (as make bench does):
    the reads need volume, not an hour of creates."""
    columns = psql(
        db,
        "SELECT string_agg(quote_ident(column_name), ',') FROM "
        f"information_schema.columns WHERE table_name = '{table}' "
        "AND column_name != 'id'",
    ).strip()
    while True:
        count = int(psql(db, f"SELECT count(*) FROM {table}"))  # noqa: S608
        if count >= rows:
            break
        psql(
            db,
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table} "  # noqa: S608
            f"ORDER BY id LIMIT {rows - count}",
        )
    psql(db, f"VACUUM ANALYZE {table}")


def history(db, first_copy):
    """Make the copied items a city's history with a day's work for the
    scheduled actions: most filed over the past years; 2 % awaiting
    acceptance, due from three days ago to two days ahead (the deadline
    refresh and watch); 10 % closed last month (the callback planning).
    The load's clients only act on the items they register."""
    psql(
        db,
        f"""UPDATE xinfang_petition SET
              state = CASE WHEN id % 50 = 0 THEN 'pending'
                           WHEN id % 10 = 1 THEN 'closed' ELSE 'filed' END,
              close_date = CASE WHEN id % 50 = 0 THEN NULL
                                WHEN id % 10 = 1
                                THEN date_trunc('month', CURRENT_DATE)::date
                                     - 1 - id % 28
                                ELSE CURRENT_DATE - 400 - id % 1000 END,
              filing_deadline = CASE WHEN id % 10 = 1 THEN CURRENT_DATE + 30 END,
              next_deadline = CASE WHEN id % 50 = 0 THEN CURRENT_DATE + id % 6 - 3 END,
              acceptance_deadline = CASE WHEN id % 50 = 0
                                         THEN CURRENT_DATE + id % 6 - 3 END,
              deadline_status = 'on_time', active = true
            WHERE id >= {first_copy}""",
    )
    psql(db, "VACUUM ANALYZE xinfang_petition")


def start_server(args, odoo_bin, log_path, replica_port=None):
    command = [
        odoo_bin,
        "-d",
        args.db,
        f"--addons-path={args.addons_path}",
        f"--workers={args.workers}",
        "--max-cron-threads=0",
        "--http-port",
        str(args.port),
        "--gevent-port",
        str(args.port + 1),
        "--db-filter",
        f"^{args.db}$",
        "--limit-time-real=600",
        "--limit-time-cpu=600",
        "--log-level=info",
        "--logfile",
        log_path,
        "--proxy-mode",
    ]
    # An empty host: the unix socket. Without a replica, the primary itself
    # (Odoo's own testing trick): the read-only requests then run in
    # read-only transactions there too, and one that writes is caught.
    command += [
        "--db_replica_host=",
        f"--db_replica_port={replica_port or primary_port()}",
    ]
    server = subprocess.Popen(command)
    # Behind a buffering proxy, as an office serves Odoo (nginx): without
    # it, a client starved on the two shared cores for more than Odoo's
    # 2-second socket timeout is cut off mid-request ("Request timed out"),
    # and Odoo's listen backlog (8 x workers) drops connections.
    proxy = bench_online_proxy.spawn(args.port + 2, args.port, 2 * args.workers)
    base = f"http://127.0.0.1:{args.port + 2}"
    for _ in range(180):
        try:
            if requests.get(base + "/web/login", timeout=5).status_code == 200:
                return server, proxy, base
        except requests.RequestException:
            pass
        time.sleep(1)
    server.terminate()
    proxy.terminate()
    sys.exit("The server did not answer /web/login.")


def primary_port():
    return int(psql("postgres", "SHOW port"))


def replica_script(args, command):
    subprocess.run(
        [
            os.path.join(os.path.dirname(os.path.abspath(__file__)), "replica.sh"),
            command,
        ],
        env={**os.environ, "REPLICA_PORT": str(args.replica_port)},
        check=True,
        capture_output=True,
    )


def replica_transactions(args):
    """Transactions the replica has served in the load database."""
    return int(
        psql(
            "postgres",
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            f"WHERE datname = '{args.db}'",
            port=args.replica_port,
        )
        or 0
    )


def http_workers(server):
    """The prefork workers serving HTTP (not the gevent one)."""
    import psutil

    return [
        child
        for child in psutil.Process(server.pid).children()
        if "gevent" not in child.cmdline()
    ]


# What a request meets when the replica stops under it: Odoo's pool hands
# out a connection the server closed, once, before Odoo falls back.
REPLICA_STOP = re.compile(
    r"connection already closed|server closed the connection|"
    r"terminating connection due to administrator command"
)


def scan_logs(log_dir, replica=False):
    """What the server's and the runners' logs say."""
    logs = ""
    for name in sorted(os.listdir(log_dir)):
        if name.endswith(".log"):
            with open(os.path.join(log_dir, name), errors="replace") as file:
                logs += file.read()
    # Each log record (a line with its continuation lines) once, without
    # its time and process id. Odoo logs a query that lost a serialization
    # conflict as "bad query" (ERROR) and then retries the request: those
    # are counted apart, a failed retry reaches a client or a runner.
    bad, conflicts, replica_stop = collections.Counter(), 0, 0
    start = r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ )"
    for record in re.split(start, logs):
        if not BAD_LOG.search(record) or "tries left" in record:
            continue
        if "bad query" in record and "could not serialize" in record:
            conflicts += 1
            continue
        if replica and REPLICA_STOP.search(record):
            replica_stop += 1
            continue
        bad[re.sub(r"^\S+ \S+ \d+ ", "", record)[:200]] += 1
    return {
        "bad_log": bad,
        "conflicts": conflicts,
        "replica_stop_lines": replica_stop,
        "odoo_retries": len(re.findall(r"tries left, try again", logs)),
        "replica_fallbacks": len(
            re.findall(r"retrying with a read/write cursor", logs)
        ),
        "replica_down": len(re.findall(r"Failed to open a readonly cursor", logs)),
    }


def run_load(args, odoo_bin, ids, label, replica_port=None):
    """One timed run: the server, the people, the crons twice at once."""
    log_dir = tempfile.mkdtemp(prefix="xf_staff_load_")
    server_log = os.path.join(log_dir, "server.log")
    server, proxy, base = start_server(args, odoo_bin, server_log, replica_port)
    stop_file = os.path.join(log_dir, "stop")
    result = {"label": label, "sides": {}}
    try:
        sides = ["xinfang"] + ([] if args.no_helpdesk else ["helpdesk"])
        people = []
        for side in sides:
            stats = Stats()
            result["sides"][side] = stats
            for login, role, weight in ROLES[side]:
                for _ in range(weight * args.clients):
                    people.append((Client(base, args.db, login, stats), role))
        # Warm each worker (assets, registry, views) before the clock starts.
        warm = Stats()
        for client, _role in people[: 2 * args.workers]:
            client.stats, saved = warm, client.stats
            leader(client, time.time() + 1, ids, [])
            client.stats = saved
        runners = [
            subprocess.Popen(
                [sys.executable, os.path.abspath(__file__)]
                + ["--addons-path", args.addons_path, "--db", args.db]
                + ["--cron-runner", stop_file],
                stdout=subprocess.PIPE,
                stderr=open(os.path.join(log_dir, f"cron{i}.log"), "w"),  # noqa: SIM115
                text=True,
            )
            for i in range(2)
        ]
        for runner in runners:
            # Odoo loaded in both before the clock starts: they overlap the
            # people from the first second.
            if runner.stdout.readline().strip() != "READY":
                sys.exit("A scheduled-action runner did not start.")
        print(
            f"{label}: {len(people)} people for {args.duration} s on "
            f"{args.workers} workers, the scheduled actions twice at once...",
            flush=True,
        )
        deadline = time.time() + args.duration
        seen = []
        threads = [
            threading.Thread(target=person, args=(role, client, deadline, ids, seen))
            for client, role in people
        ]
        served = replica_transactions(args) if replica_port else 0
        started = time.time()
        for thread in threads:
            thread.start()
        killed = None
        if not args.no_kill:
            time.sleep(args.duration / 2)
            victims = http_workers(server)
            if victims:
                killed = victims[0].pid
                result["killed_at"] = time.time()
                os.kill(killed, signal.SIGKILL)
        if replica_port:
            # The replica fails: Odoo reads from the primary again.
            time.sleep(max(started + 0.75 * args.duration - time.time(), 0))
            result["replica_stopped"] = time.time() - started
            replica_script(args, "stop")
        for thread in threads:
            thread.join()
        result["wall"] = time.time() - started
        if replica_port:
            replica_script(args, "start")
            # Statistics survive a clean stop: what the replica served.
            result["replica_served"] = replica_transactions(args) - served
        result["killed"] = killed
        result["seen"] = seen
        with open(stop_file, "w"):
            pass
        result["crons"] = []
        for runner in runners:
            out, _err = runner.communicate(timeout=1800)
            result["crons"].append(
                json.loads(out.strip().splitlines()[-1])
                if runner.returncode == 0
                else {"failed": runner.returncode}
            )
    finally:
        proxy.terminate()
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    result.update(scan_logs(log_dir, replica=bool(replica_port)))
    if args.keep_db or result["bad_log"]:
        print(f"The server's and the runners' logs are kept in {log_dir}.")
    else:
        shutil.rmtree(log_dir, ignore_errors=True)
    return result


# ---------------------------------------------------------------------------
# Checks and figures
# ---------------------------------------------------------------------------


def check(args, odoo_bin, result, first_id):
    """The database after a run: (label, count, ok) rows; ok is None for a
    count that is information, not a check."""
    db = args.db
    rows = []
    seen = result["seen"]
    counts = collections.Counter()
    if seen:
        listed = ",".join(f"'压测登记 {token}'" for token in seen)
        for line in psql(
            db,
            "SELECT subject, count(*) FROM xinfang_petition "
            f"WHERE subject IN ({listed}) GROUP BY subject",  # noqa: S608
        ).split("\n"):
            if line:
                subject, count = line.split("|")
                counts[subject] = int(count)
    missing = sum(1 for token in seen if counts[f"压测登记 {token}"] == 0)
    twice = sum(1 for count in counts.values() if count > 1)
    rows.append(("registrations seen by the clients", len(seen), None))
    rows.append(("... missing in the database", missing, missing == 0))
    rows.append(("... stored more than once", twice, twice == 0))
    numbers = psql(
        db,
        f"SELECT name FROM xinfang_petition WHERE id >= {first_id} AND name != '/'",
    ).split()
    duplicated = len(numbers) - len(set(numbers))
    rows.append(("petition numbers given in the run", len(numbers), None))
    rows.append(("... given twice", duplicated, duplicated == 0))
    serials = sorted(
        int(match.group(1))
        for match in (re.search(r"(\d+)$", number) for number in numbers)
        if match
    )
    gaps = (serials[-1] - serials[0] + 1 - len(set(serials))) if serials else 0
    rows.append(("... gaps (rolled-back transactions)", gaps, None))
    half = int(
        psql(
            db,
            f"SELECT count(*) FROM xinfang_petition WHERE id >= {first_id} AND "
            "(state != 'draft' AND name = '/' OR state = 'handling' AND NOT "
            "EXISTS (SELECT 1 FROM xinfang_assignment a WHERE a.petition_id = "
            "xinfang_petition.id))",
        )
    )
    rows.append(("half-written items", half, half == 0))
    twice_applied = int(
        psql(
            db,
            f"""SELECT count(*) FROM (
                 SELECT m.res_id, v.new_value_char
                   FROM mail_tracking_value v
                   JOIN mail_message m ON m.id = v.mail_message_id
                   JOIN ir_model_fields f ON f.id = v.field_id
                  WHERE m.model = 'xinfang.petition' AND f.name = 'state'
                    AND m.res_id >= {first_id}
               GROUP BY m.res_id, v.new_value_char HAVING count(*) > 1) t""",
        )
    )
    rows.append(
        ("steps applied twice (state tracking)", twice_applied, twice_applied == 0)
    )
    routed_twice = int(
        psql(
            db,
            "SELECT count(*) FROM (SELECT petition_id FROM xinfang_assignment "
            f"WHERE petition_id >= {first_id} AND role = 'main' "
            "GROUP BY petition_id HAVING count(*) > 1) t",
        )
    )
    rows.append(("items routed twice", routed_twice, routed_twice == 0))
    dup_supervision = int(
        psql(
            db,
            """SELECT count(*) FROM (SELECT 1 FROM xinfang_supervision
                GROUP BY petition_id, assignment_id, callback_id, kind, deadline, date
                HAVING count(*) > 1) t""",
        )
    )
    rows.append(
        ("supervision records duplicated", dup_supervision, dup_supervision == 0)
    )
    dup_callbacks = int(
        psql(
            db,
            """SELECT count(*) FROM (SELECT petition_id FROM xinfang_callback
                WHERE selection_month IS NOT NULL
                GROUP BY petition_id HAVING count(*) > 1) t""",
        )
    )
    rows.append(("callbacks selected twice", dup_callbacks, dup_callbacks == 0))
    failed_runners = sum(1 for run in result["crons"] if "failed" in run)
    rows.append(
        ("scheduled-action runs that failed", failed_runners, failed_runners == 0)
    )
    quiet = quiet_cron_run(args, odoo_bin)
    left = sum(quiet.values())
    rows.append(("left for a quiet run afterwards", left, left == 0))
    errors = sum(
        sum(counter.values()) for counter in result["sides"]["xinfang"].errors.values()
    )
    # The killed worker's requests: a 502 from the proxy (or a reset
    # connection) within seconds of the kill, no other kind, no other time.
    killed_at = result.get("killed_at")
    killed = sum(
        1
        for when, kind in result["sides"]["xinfang"].error_times
        if killed_at
        and kind in ("HTTP 502", "connection: ConnectionError")
        and killed_at - 1 <= when <= killed_at + 15
    )
    stats = result["sides"]["xinfang"]
    replica_stop = (
        sum(
            count
            for operation, counter in stats.errors.items()
            for kind, count in counter.items()
            if kind.startswith("psycopg2.")
            and REPLICA_STOP.search(stats.samples.get((operation, kind), ""))
        )
        if result.get("replica")
        else 0
    )
    unexpected = errors - killed - replica_stop
    rows.append(("errors the clients received", errors, None))
    rows.append(("... the killed worker's (502 within 15 s of the kill)", killed, None))
    if result.get("replica"):
        rows.append(
            ("... in flight at the replica's stop (Odoo's pool)", replica_stop, None)
        )
    rows.append(
        ("... other than those and the killed worker's", unexpected, unexpected == 0)
    )
    if result.get("replica"):
        rows.append(
            ("log lines of the replica's stop", result["replica_stop_lines"], None)
        )
    wrote = result["replica_fallbacks"]
    rows.append(
        ("read-only requests that wrote (retried read/write)", wrote, wrote == 0)
    )
    bad = sum(result["bad_log"].values())
    rows.append(("deadlock/lock/serialization/error lines in the logs", bad, bad == 0))
    rows.append(("serialization conflicts logged", result["conflicts"], None))
    rows.append(("... retried by Odoo", result["odoo_retries"], None))
    return rows


def print_figures(results):
    """One table per run: per operation ops/s, p50, p95, refusals, errors;
    helpdesk_mgmt's figure beside ours where the operation matches."""
    matching = {
        "register + submit": "create",
        "kanban": "kanban",
        "list (leader)": "list",
        "list (office)": "list",
        "route": "stage",
        "close": "close",
    }
    for result in results:
        wall = result["wall"]
        print()
        print(
            f"== {result['label']} ({wall:.0f} s"
            + (
                f", worker {result['killed']} killed mid-run"
                if result["killed"]
                else ""
            )
            + ")"
        )
        print(
            f"{'side':9} {'operation':22} {'calls':>5} {'n':>5} {'ops/s':>7} "
            f"{'p50 ms':>8} {'p95 ms':>8} {'refused':>8} {'errors':>7}  "
            "ratio p50 (xinfang/helpdesk)"
        )
        print(
            "(calls: requests per action; n: actions done; refused: the step was "
            "taken by a colleague first, the user is told so)"
        )
        helpdesk = result["sides"].get("helpdesk")
        for side, stats in result["sides"].items():
            operations = sorted(set(stats.ok) | set(stats.refused) | set(stats.errors))
            for operation in operations:
                latencies = stats.ok.get(operation, [])
                ratio = ""
                peer = matching.get(operation)
                if side == "xinfang" and helpdesk and helpdesk.ok.get(peer):
                    theirs = percentile(helpdesk.ok[peer], 0.5)
                    ratio = f"{percentile(latencies, 0.5) / theirs:.2f} vs {peer}"
                print(
                    f"{side:9} {operation:22} {stats.calls.get(operation, 0):5d} "
                    f"{len(latencies):5d} {len(latencies) / wall:7.2f} "
                    f"{percentile(latencies, 0.5):8.0f} "
                    f"{percentile(latencies, 0.95):8.0f} "
                    f"{sum(stats.refused[operation].values()):8d} "
                    f"{sum(stats.errors[operation].values()):7d}  {ratio}"
                )
            for operation, counter in stats.errors.items():
                for kind, count in counter.items():
                    sample = stats.samples.get((operation, kind), "")[:160]
                    print(f"    error {operation}: {kind} x{count}: {sample}")
            for operation, counter in stats.refused.items():
                for kind, count in counter.items():
                    print(f"    refused {operation}: x{count}: {kind[:120]}")
        totals = {
            side: sum(len(v) for v in stats.ok.values()) / wall
            for side, stats in result["sides"].items()
        }
        print(
            "operations per second: "
            + ", ".join(f"{k} {v:.1f}" for k, v in totals.items())
        )
        print(
            "scheduled actions (two runners): "
            + "; ".join(json.dumps(run) for run in result["crons"])
        )
        if result.get("replica"):
            print(
                f"replica: {result['replica_served']} transactions served by the "
                f"replica until it was stopped at {result['replica_stopped']:.0f} s; "
                f"{result['replica_fallbacks']} read-only requests retried "
                f"on the primary (a write in a read), {result['replica_down']} "
                "fallbacks to the primary (replica unreachable: each worker's pool "
                "then reads from the primary until the worker is restarted)"
            )


def main():
    args = parse_args()
    if args.cron_runner:
        cron_runner(args)
        return
    odoo_bin = os.environ.get("ODOO_BIN") or shutil.which("odoo")
    if args.replica_port:
        recovery = subprocess.run(
            ["psql", "-p", str(args.replica_port), "-d", "postgres", "-tAc"]
            + ["SELECT pg_is_in_recovery()"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if recovery != "t":
            sys.exit(
                f"No hot standby answers on port {args.replica_port}: "
                "run bench/replica.sh start first (as root)."
            )
    ids = create_database(args, odoo_bin)
    results = []
    failed = False
    runs = [("single database", None)]
    if args.replica_port:
        runs.append((f"read replica on port {args.replica_port}", args.replica_port))
    for label, replica_port in runs:
        first_id = int(
            psql(args.db, "SELECT COALESCE(max(id), 0) + 1 FROM xinfang_petition")
        )
        result = run_load(args, odoo_bin, ids, label, replica_port)
        result["replica"] = replica_port
        results.append(result)
        print_figures([result])
        print()
        print(f"{'check':52} {'count':>7}")
        print("(info: a count, not a check)")
        for name, count, ok in check(args, odoo_bin, result, first_id):
            verdict = "info" if ok is None else "ok" if ok else "FAILED"
            print(f"{name:52} {count:7d}  {verdict}")
            failed |= ok is False
        for line, count in result["bad_log"].most_common(5):
            print(f"    log: {line} x{count}")
    if not args.keep_db:
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    elif failed:
        print(f"The database {args.db} is kept for inspection.")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
