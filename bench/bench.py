#!/usr/bin/env python3
"""Runs the open311d load scenarios with wrk against a seeded database, with nginx serving the
same bytes statically as the ceiling, then the same scenarios on PostgreSQL (one server, and
two sharing the database), and prints the tables (also written to bench/results/latest.md).
Started by bench/run.sh, which builds and installs what it needs."""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time

import postgres
from common import (BASE, HERE, ROOT, FileSizeSampler, RssSampler, Server, http_get, log,
                    open311d, run_wrk, status_kb, wait_idle)
from nginx import Nginx
from scenarios import LIST_PATH, median_run, sample_results, scenarios


def post_flood(url, env, pids, db, args):
    """POSTs for --flood-seconds with the WAL's size sampled: the largest size seen is what a
    sustained write load does to the disk."""
    wait_idle(pids)
    wal = FileSizeSampler(db + "-wal")
    wal.start()
    r = run_wrk([(url, "post.lua", env, args.connections, args.threads)], pids,
                args.flood_seconds)
    wait_idle(pids)
    wal.stop.set()
    wal.join()
    r["wal_peak"] = wal.peak
    r["wal_after"] = os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0
    r["db_size"] = os.path.getsize(db)
    log(f"post_flood: {r['rps']:.0f} req/s, largest WAL {wal.peak / 2**20:.1f} MB")
    return r


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, "build-release", "open311d"))
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", default="", help="comma list of scenario names to run")
    parser.add_argument("--paths", type=int, default=150_000,
                        help="generated paths per run of a varied scenario (each asked once)")
    parser.add_argument("--flood-seconds", type=int, default=60,
                        help="length of the POST flood that reports the largest WAL (0: skip)")
    parser.add_argument("--no-postgres", action="store_true",
                        help="skip the PostgreSQL rows (SQLite and nginx only)")
    parser.add_argument("--pg-pool-size", type=int, default=10,
                        help="database.pool_size of each PostgreSQL server (its default: 10)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--db", default="",
                        help="use this already seeded database instead of seeding a fresh one")
    return parser.parse_args()


def sqlite_rows(db, statement):
    return subprocess.run(["sqlite3", db, statement], check=True, capture_output=True,
                          text=True).stdout.split()


def main():
    args = parse_args()
    workdir = tempfile.mkdtemp(prefix="open311-bench-")
    log(f"work directory {workdir}")
    binary = args.binary
    notes = []
    if args.db:
        db = args.db
        args.count = int(sqlite_rows(
            db, "SELECT COUNT(*) FROM requests WHERE state = 'published'")[0])
    else:
        db = os.path.join(workdir, "bench.db")
        open311d(args, binary, db, "migrate")
        open311d(args, binary, db, "services", "import",
                 os.path.join(ROOT, "config", "demo-services.json"))
        started = time.perf_counter()
        subprocess.run([binary, "seed", "--db", db, "--count", str(args.count)], check=True)
        seconds = time.perf_counter() - started
        notes.append(f"- seeding {args.count} requests: {seconds:.1f} s")
        log(f"seeded {args.count} requests in {seconds:.1f} s")
    key = open311d(args, binary, db, "keys", "create", "--name",
                   f"bench-{os.getpid()}-{int(time.time())}", "--role", "client",
                   capture=True).strip().splitlines()[-1]
    ids_file = os.path.join(workdir, "ids.txt")
    with open(ids_file, "w") as f:
        f.write("\n".join(sqlite_rows(db, "SELECT id FROM requests WHERE state = 'published' "
                                      "ORDER BY random() LIMIT 20000")) + "\n")
    codes = sqlite_rows(db, "SELECT DISTINCT service_code FROM requests "
                        "WHERE state = 'published'")

    cluster = None
    try:
        if not args.no_postgres:
            # Loaded before any scenario writes, so both databases start from the same rows
            # (the key above included).
            cluster = postgres.Cluster(workdir)
            cluster.start()
            copy_s, analyze_s = cluster.load(binary, db)
            log(f"copied into PostgreSQL in {copy_s:.1f} s, VACUUM ANALYZE {analyze_s:.1f} s")
            notes.append(f"- PostgreSQL loaded with `open311d copy` in {copy_s:.1f} s, then "
                         f"`VACUUM (ANALYZE)` {analyze_s:.1f} s; settings: {cluster.settings()}")
        run_all(args, binary, db, workdir, key, ids_file, codes, cluster, notes)
    finally:
        if cluster:
            cluster.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def run_all(args, binary, db, workdir, key, ids_file, codes, cluster, notes):
    now = int(time.time())
    server = Server(binary, db, workdir)
    startups = []
    for _ in range(3):
        startups.append(server.start())
        server.stop()
    server.start()
    sampler = RssSampler(server.process.pid)
    sampler.start()
    port = server.port

    with open(ids_file) as f:
        sample_id = f.readline().strip()
    item_body = http_get(port, f"{BASE}/requests/{sample_id}.json")
    list_body = http_get(port, LIST_PATH)
    list_count = len(json.loads(list_body))
    nginx = Nginx(workdir, {"item.json": item_body, "list.json": list_body})

    env = {"BENCH_WRK_DIR": os.path.join(HERE, "wrk"), "BENCH_BASE": BASE, "BENCH_IDS": ids_file,
           "BENCH_KEY": key}
    spids = lambda: [server.process.pid]  # noqa: E731
    scenario_list = scenarios(codes, now, list_count)
    only = set(filter(None, args.only.split(",")))
    results = []
    means = {}
    flood = None
    try:
        for title, name, file in (("nginx static request (item.json)", "nginx_item", "item"),
                                  ("nginx static list (list.json)", "nginx_list", "list")):
            r = median_run(name, args, [f"http://127.0.0.1:{nginx.port}/{file}.json"],
                           "get.lua", env, nginx.pids)
            results.append((title, name, file, r))
        for title, name, path, script, extra, ceiling, paths in scenario_list:
            if only and name not in only:
                continue
            if paths:
                means[title] = sample_results(port, name, paths)
            r = median_run(name, args, [server.url() + path], script, {**env, **extra}, spids,
                           paths=paths, workdir=workdir)
            results.append((title, name, ceiling, r))
        if args.flood_seconds > 0 and (not only or "post_flood" in only):
            flood = post_flood(server.url(), env, spids, db, args)
    finally:
        nginx.stop()
        sampler.stop.set()
        peak_hwm = status_kb(server.process.pid, "VmHWM")
        server.stop()

    pg = None
    if cluster:
        pg = postgres.run(args, cluster, binary, workdir, env, scenario_list, only)

    ceilings = {name: r["rps"] for _, name, _, r in results if name.startswith("nginx")}
    lines = []
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines.append(f"open311d benchmark, {stamp}, {os.cpu_count()} CPUs, {platform.platform()}; "
                 f"{args.count} requests stored; wrk -t{args.threads} -c{args.connections} "
                 f"-d{args.duration}s, median of {args.runs} runs; load average at the end "
                 f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    lines.append("")
    lines.append("| scenario | requests/s | CPU µs/request | p50 ms | p99 ms | errors | non-2xx "
                 "| ratio to nginx |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for title, name, ceiling, r in results:
        ref = ceilings.get("nginx_" + ceiling)
        ratio = f"{r['rps'] / ref * 100:.0f} % of {ceiling}" if ref and not name.startswith(
            "nginx") else "—"
        lines.append(f"| {title} | {r['rps']:,.0f} | {r['cpu_us']:.1f} | {r['p50_us'] / 1000:.2f} "
                     f"| {r['p99_us'] / 1000:.2f} | {r['errors']} | {r['status']} | {ratio} |")
    lines.append("")
    for title, mean in means.items():
        lines.append(f"- {title}: {mean:.0f} results per answer (mean of a sample of 50)")
    if flood:
        lines.append(f"- POST flood, {args.flood_seconds} s: {flood['rps']:,.0f} requests/s, "
                     f"{flood['cpu_us']:.1f} µs CPU/request, {flood['errors']} errors, "
                     f"{flood['status']} non-2xx; largest WAL seen {flood['wal_peak'] / 2**20:.1f} "
                     f"MB, WAL after {flood['wal_after'] / 2**20:.1f} MB, database "
                     f"{flood['db_size'] / 2**20:.1f} MB")
    lines.append(f"- item body {len(item_body)} bytes, list body {len(list_body)} bytes "
                 f"({list_count} results)")
    lines.append(f"- open311d peak RssAnon {sampler.peak_kb / 1024:.1f} MB (peak RSS including "
                 f"mmap'd database pages {peak_hwm / 1024:.1f} MB)")
    lines.append(f"- start to first answer: {statistics.median(startups) * 1000:.0f} ms (median "
                 f"of {', '.join(f'{s * 1000:.0f}' for s in startups)} ms)")
    lines += notes
    if pg:
        pg_results, pg_means, pg_startups = pg
        by_name = {name: r for _, name, _, r in results}
        lines += ["", f"PostgreSQL beside SQLite: the same scenarios on one server, then on two "
                  f"sharing the database (each loaded with {args.connections // 2} of the "
                  f"{args.connections} connections at once, their sum shown); "
                  f"database.pool_size = {args.pg_pool_size} per server. CPU is the servers' "
                  f"and all of PostgreSQL's processes' per request.", ""]
        lines += postgres.table(pg_results, by_name, scenario_list)
        lines.append("")
        for title, mean in pg_means.items():
            lines.append(f"- PostgreSQL, {title}: {mean:.0f} results per answer (the same "
                         "sample of 50)")
        lines.append(f"- start to first answer on PostgreSQL: "
                     f"{', '.join(f'{s * 1000:.0f}' for s in pg_startups)} ms (first, second "
                     "server)")
        lines += postgres.targets(pg_results, by_name)
    table = "\n".join(lines)
    print(table)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "latest.md"), "w") as f:
        f.write(table + "\n")


if __name__ == "__main__":
    main()
