"""Load run of the online petition pages (issue 16): a 2-worker Odoo, N
concurrent submitters for D seconds plus N concurrent queries.

Prints figures only (no pass/fail on time): submissions per second, p50/p95
latency of a submission and of a query, refusals by the limits, and errors
(any other answer), then checks in the database that every accepted
submission is stored exactly once, under a unique number.

Each simulated visitor is a browser: it opens the form (CSRF token), takes a
captcha picture and types its characters (read from the server's session
file, as a person reads the picture), then sends the form. Odoo runs with
``--proxy-mode`` and each request comes from its own address
(``X-Forwarded-For``): the per-address limit of the settings stays on, as
each visitor of a real office has their own address; the per-minute limit is
off (its default, 60 a minute, would measure the limit, not the server) and
is reported when refused.

    make bench-load            (or: python bench/bench_online_load.py --addons-path ...)
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import bench_online_proxy
import requests

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
NUMBER_RE = re.compile(r'o_xinfang_number">([^<]+)<')
CODE_RE = re.compile(r"o_xinfang_code[^>]*>([^<]+)<")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63646060f80f00010401005f6ee3d80000000049454e44ae426082"
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db", default="xinfang_load")
    parser.add_argument("--port", type=int, default=18090)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--submitters", type=int, default=20)
    parser.add_argument("--queriers", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep-db", action="store_true")
    return parser.parse_args()


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, **kwargs)


def psql(db, sql):
    return subprocess.run(
        ["psql", "-d", db, "-tAc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


class Visitor:
    """One browser: its own session cookie, its own address per request."""

    def __init__(self, base, data_dir):
        self.base = base
        self.data_dir = data_dir
        self.http = requests.Session()

    def _headers(self):
        octets = (
            random.randint(0, 255),
            random.randint(0, 255),
            random.randint(1, 254),
        )
        # The visitor's own address, as the proxy passes it on (with
        # X-Forwarded-Host, without which Odoo ignores it).
        return {"X-Forwarded-For": ".".join(map(str, (10, *octets)))}

    def get(self, path):
        return self.http.get(self.base + path, headers=self._headers(), timeout=60)

    def post(self, path, data, files=None):
        return self.http.post(
            self.base + path,
            data=data,
            files=files,
            headers=self._headers(),
            timeout=60,
        )

    def csrf(self, path="/xinfang"):
        return CSRF_RE.search(self.get(path).text).group(1)

    def captcha(self):
        """The characters of a new picture, as the session file holds them."""
        self.get("/xinfang/captcha")
        sid = self.http.cookies["session_id"]
        path = os.path.join(self.data_dir, "sessions", sid[:2], sid)
        with open(path) as file:
            return json.load(file)["xinfang_captcha"]


def submitter(visitor, deadline, results, lock):
    n = 0
    while time.time() < deadline:
        n += 1
        try:
            data = {
                "csrf_token": visitor.csrf(),
                "captcha": visitor.captcha(),
                "name": "压测信访人",
                "phone": f"139{random.randint(0, 99999999):08d}",
                "subject": f"压测事项 {threading.get_ident()}-{n}",
                "content": "门诊排队时间过长，希望增加挂号窗口。" * 5,
                "rights": "1",
                "consent": "1",
            }
            files = [("attachments", ("单据.png", PNG, "image/png"))]
            start = time.perf_counter()
            response = visitor.post("/xinfang/submit", data, files=files)
            elapsed = time.perf_counter() - start
        except Exception as error:  # noqa: BLE001 - every failure is counted
            with lock:
                results["errors"].append(repr(error)[:200])
            continue
        with lock:
            if response.status_code == 200 and CODE_RE.search(response.text):
                results["submit_ms"].append(elapsed * 1000)
                results["accepted"].append(
                    (
                        NUMBER_RE.search(response.text).group(1),
                        CODE_RE.search(response.text).group(1),
                    )
                )
            elif response.status_code == 429:
                results["refused"] += 1
            else:
                results["errors"].append(f"submit {response.status_code}")


def querier(visitor, deadline, results, lock):
    while time.time() < deadline:
        with lock:
            accepted = list(results["accepted"])
        if not accepted:
            time.sleep(0.2)
            continue
        number, code = random.choice(accepted)
        try:
            data = {
                "csrf_token": visitor.csrf("/xinfang/query"),
                "number": number,
                "code": code,
            }
            start = time.perf_counter()
            response = visitor.post("/xinfang/query", data)
            elapsed = time.perf_counter() - start
        except Exception as error:  # noqa: BLE001
            with lock:
                results["errors"].append(repr(error)[:200])
            continue
        with lock:
            if response.status_code == 200 and number in response.text:
                results["query_ms"].append(elapsed * 1000)
            else:
                results["errors"].append(f"query {response.status_code}")


def percentile(values, share):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def main():
    args = parse_args()
    odoo_bin = os.environ.get("ODOO_BIN") or shutil.which("odoo")
    data_dir = tempfile.mkdtemp(prefix="xf_load_")
    # The visitors reach Odoo through the proxy (bench_online_proxy.py).
    base = f"http://127.0.0.1:{args.port + 2}"
    common = [
        odoo_bin,
        "-d",
        args.db,
        "--addons-path",
        args.addons_path,
        "--data-dir",
        data_dir,
        "--log-level=warn",
    ]
    subprocess.run(["dropdb", "--if-exists", args.db], check=True)
    print(f"Creating {args.db} (xinfang_module, no demo data)...", flush=True)
    run(
        common
        + [
            "-i",
            "xinfang_module",
            "--without-demo=all",
            "--stop-after-init",
            "--no-http",
        ]
    )
    settings = (
        "company = env.ref('base.main_company')\n"
        "company.write({'xinfang_online_enabled': True,"
        " 'xinfang_online_global_per_minute': 0})\n"
        "env.cr.commit()\n"
    )
    run(
        [odoo_bin, "shell", "--no-http"] + common[1:],
        input=settings.encode(),
        capture_output=True,
    )
    # Odoo behind a buffering proxy, as an office serves it (nginx): Odoo's
    # listen backlog (8 x workers) would drop most of 40 visitors'
    # connections, and a visitor slower than Odoo's 2-second socket timeout
    # (they share the two cores) would be cut off mid-form.
    server = subprocess.Popen(
        common
        + [
            f"--workers={args.workers}",
            "--max-cron-threads=0",
            "--http-port",
            str(args.port),
            "--gevent-port",
            str(args.port + 1),
            "--proxy-mode",
            "--db-filter",
            f"^{args.db}$",
            "--limit-time-real=300",
        ],
    )
    proxy = bench_online_proxy.spawn(args.port + 2, args.port, 2 * args.workers)
    try:
        for _ in range(120):
            try:
                if requests.get(base + "/xinfang", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(1)
        else:
            sys.exit("The server did not answer /xinfang.")
        results = {
            "submit_ms": [],
            "query_ms": [],
            "accepted": [],
            "refused": 0,
            "errors": [],
        }
        lock = threading.Lock()
        # Warm the workers (assets, templates) before measuring.
        warm = Visitor(base, data_dir)
        submitter(warm, time.time() + 5, results, lock)
        results.update(submit_ms=[], query_ms=[], refused=0, errors=[])
        warm_count = len(results["accepted"])
        print(
            f"Load: {args.submitters} submitters and {args.queriers} queries for "
            f"{args.duration} s on {args.workers} workers behind a proxy...",
            flush=True,
        )
        deadline = time.time() + args.duration
        threads = [
            threading.Thread(
                target=submitter,
                args=(Visitor(base, data_dir), deadline, results, lock),
            )
            for _ in range(args.submitters)
        ] + [
            threading.Thread(
                target=querier, args=(Visitor(base, data_dir), deadline, results, lock)
            )
            for _ in range(args.queriers)
        ]
        started = time.time()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.time() - started
    finally:
        proxy.terminate()
        server.terminate()
        server.wait(timeout=60)
    accepted = results["accepted"]
    measured = len(accepted) - warm_count
    numbers = [number for number, _code in accepted]
    stored = psql(
        args.db,
        "SELECT count(*), count(DISTINCT name) FROM xinfang_petition "
        "WHERE channel = 'online'",
    ).split("|")
    listed = ",".join(f"'{number}'" for number in numbers) or "''"
    found = psql(
        args.db,
        f"SELECT count(*) FROM xinfang_petition WHERE name IN ({listed})",
    )
    print()
    print("measure                         value")
    print(f"submissions accepted            {measured} in {wall:.1f} s")
    print(f"submissions per second          {measured / wall:.2f}")
    submit_ms = results["submit_ms"]
    print(
        f"submission latency p50 / p95    {percentile(submit_ms, 0.5):.0f} / "
        f"{percentile(submit_ms, 0.95):.0f} ms"
    )
    print(f"queries answered                {len(results['query_ms'])}")
    print(
        f"query latency p50 / p95         {percentile(results['query_ms'], 0.5):.0f} / "
        f"{percentile(results['query_ms'], 0.95):.0f} ms"
    )
    print(f"refused by the limits (429)     {results['refused']}")
    print(f"errors                          {len(results['errors'])}")
    for error in sorted(set(results["errors"]))[:10]:
        print(f"    {error}")
    print(
        f"stored online items             {stored[0]} ({stored[1]} distinct numbers) "
        f"for {len(accepted)} accepted, {found} found by their number"
    )
    once = (
        int(stored[0]) == len(accepted)
        and int(stored[1]) == len(accepted)
        and int(found) == len(set(numbers)) == len(accepted)
    )
    print(f"every accepted submission stored once: {'yes' if once else 'NO'}")
    if not args.keep_db:
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    shutil.rmtree(data_dir, ignore_errors=True)
    if results["errors"] or not once:
        sys.exit(1)


if __name__ == "__main__":
    main()
