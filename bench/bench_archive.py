#!/usr/bin/env python3
"""Filing 10,000 closed items into volumes (issue 17): the office's batched
action, one batch after another into ever larger volumes.

Prints, per batch of 1,000 items, the size of the volumes before it, the
seconds and the queries: the queries of a batch must not grow with the
volumes it fills. Two classes (visit / letters) and two years of closure
make four volumes; one is closed half-way, so that a new one is opened.

Usage (through make): make bench-archive [ARGS="--items 2000"]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import date, datetime


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db", default="xinfang_bench_archive")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--package-items", type=int, default=500, help="items of the packaged volume"
    )
    parser.add_argument(
        "--file-kb", type=int, default=200, help="size of each item's file"
    )
    parser.add_argument(
        "--package-only",
        metavar="VOLUME",
        type=int,
        help="internal: write the volume's durable copy in this fresh process "
        "and print its time, queries and peak memory as JSON",
    )
    return parser.parse_args()


def package_only(args):
    """Write a volume's durable copy as the admin (office manager) and print
    {"seconds", "queries", "before_mb", "peak_mb", "bytes"}."""
    import resource

    import odoo
    from odoo.tools import config

    config.parse_config(
        [f"--addons-path={args.addons_path}", "-d", args.db, "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env = env(user=env.ref("base.user_admin").id)
        volume = env["xinfang.archive.volume"].browse(args.package_only)
        volume.item_ids.mapped("name")  # the records, not the files, in memory
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        queries = cr.sql_log_count
        start = time.perf_counter()
        volume.action_package()
        seconds = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        size = volume.package_attachment_id.file_size
        cr.commit()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "queries": queries,
                "before_mb": before,
                "peak_mb": peak,
                "bytes": size,
            }
        )
    )
    return 0


def package_phase(args, env, cr):
    """A compiled volume of ``--package-items`` items with a file each,
    packaged in a fresh process: its peak memory against the files' size."""
    category = env["xinfang.category"].sudo().search([], limit=1)
    person = env["xinfang.petitioner"].sudo().search([], limit=1)
    items = (
        env["xinfang.petition"]
        .sudo()
        .with_context(mail_create_nolog=True, tracking_disable=True)
        .create(
            [
                {
                    "channel": "visit",
                    "subject": f"存档压力测试 {i}",
                    "content": "内容",
                    "category_id": category.id,
                    "petitioner_id": person.id,
                    "state": "closed",
                    "close_date": date(2027, 3, 1),
                }
                for i in range(args.package_items)
            ]
        )
    )
    for start in range(0, len(items), 50):
        env["ir.attachment"].sudo().create(
            [
                {
                    "name": f"扫描件{item.id}.bin",
                    "raw": os.urandom(args.file_kb * 1024),
                    "res_model": "xinfang.petition",
                    "res_id": item.id,
                }
                for item in items[start : start + 50]
            ]
        )
        cr.commit()
    items._do_file()
    volume = items.archive_volume_id
    volume.action_close()
    cr.commit()
    total_mb = args.package_items * args.file_kb / 1024
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "--addons-path",
            args.addons_path,
            "--db",
            args.db,
            "--package-only",
            str(volume.id),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(
        f"\ndurable copy of {volume.name}: {args.package_items} items, "
        f"{total_mb:.0f} MB of files -> {figures['bytes'] / 1024**2:.0f} MB ZIP in "
        f"{figures['seconds']:.1f} s, {figures['queries']} queries; peak memory "
        f"{figures['before_mb']:.0f} MB before, {figures['peak_mb']:.0f} MB after "
        f"(+{figures['peak_mb'] - figures['before_mb']:.0f} MB)"
    )


def main():
    args = parse_args()
    if args.package_only:
        return package_only(args)
    started = time.perf_counter()
    subprocess.run(["dropdb", "--if-exists", args.db], check=True)
    subprocess.run(
        [
            os.environ.get("ODOO_BIN", "odoo"),
            "-d",
            args.db,
            f"--addons-path={args.addons_path}",
            "-i",
            "xinfang_module",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
        ],
        check=True,
    )
    import odoo
    from odoo.tools import config

    config.parse_config(
        [f"--addons-path={args.addons_path}", "-d", args.db, "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")  # the office manager
        category = env["xinfang.category"].create({"name": "分类"})
        people = env["xinfang.petitioner"].create(
            [{"name": f"信访人{i}"} for i in range(100)]
        )
        Petition = env["xinfang.petition"].with_context(
            mail_create_nolog=True, tracking_disable=True
        )
        for start in range(0, args.items, 1_000):
            Petition.create(
                [
                    {
                        "channel": "visit" if i % 3 == 0 else "letter",
                        "subject": f"归档压力测试 {i}",
                        "content": "内容",
                        "category_id": category.id,
                        "petitioner_id": people[i % 100].id,
                        "state": "closed",
                        "registration_date": datetime(2025, 1, 1 + i % 28, 2),
                        "close_date": date(2025 + i % 2, 3, 1),
                    }
                    for i in range(start, min(start + 1_000, args.items))
                ]
            )
        cr.commit()
        ids = Petition.search([("state", "=", "closed")], order="id").ids
        env = env(user=admin.id)
        Volume = env["xinfang.archive.volume"]
        print(f"{'batch':>5} {'items in volumes':>17} {'seconds':>8} {'queries':>8}")
        rows = []
        for number, start in enumerate(range(0, len(ids), args.batch), start=1):
            filed = Volume.sudo().search([]).mapped("item_count")
            before = sum(filed)
            batch = env["xinfang.petition"].browse(ids[start : start + args.batch])
            queries = cr.sql_log_count
            began = time.perf_counter()
            batch._do_file()
            env.flush_all()
            seconds = time.perf_counter() - began
            queries = cr.sql_log_count - queries
            cr.commit()
            env.invalidate_all()
            rows.append((seconds, queries))
            print(f"{number:>5} {before:>17} {seconds:>8.2f} {queries:>8}", flush=True)
            if number == len(ids) // args.batch // 2:
                # Half-way, the office closes the 2025 letters' volume.
                Volume.search([("year", "=", 2025), ("class_id.code", "=", "LX")])[
                    :1
                ].action_close()
                cr.commit()
        volumes = Volume.search([], order="name")
        print()
        for volume in volumes:
            print(f"  {volume.name}: {volume.item_count} items, {volume.state}")
        queries = [row[1] for row in rows]
        total = sum(row[0] for row in rows)
        print(
            f"\nfiled {len(ids)} items in {total:.1f} s "
            f"({len(ids) / total:.0f} items/s); queries per batch "
            f"{min(queries)}-{max(queries)} whatever the volumes' size"
        )
        if args.package_items:
            package_phase(args, env, cr)
    print(
        f"{date.today()} on {platform.node()} ({os.cpu_count()} cores, Python "
        f"{platform.python_version()}), {time.perf_counter() - started:.0f} s"
    )
    if not args.keep_db:
        odoo.sql_db.close_all()
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
