#!/usr/bin/env python3
"""Soak test: a bounded mixed load on loopback for a few minutes, sampling the server's memory.
Fails on any socket error or non-2xx answer, or when memory keeps growing. Started by
bench/soak.sh, which builds the release preset and installs what it needs."""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

from common import BASE, HERE, ROOT, Server, cpu_seconds, log, open311d, status_kb


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, "build-release", "open311d"))
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=10, help="seconds between memory samples")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="open311-soak-")
    db = os.path.join(workdir, "soak.db")
    open311d(args, args.binary, db, "migrate")
    open311d(args, args.binary, db, "services", "import",
             os.path.join(ROOT, "config", "demo-services.json"))
    subprocess.run([args.binary, "seed", "--db", db, "--count", str(args.count)], check=True)
    key = open311d(args, args.binary, db, "keys", "create", "--name", "soak", "--role", "client",
                   capture=True).strip().splitlines()[-1]
    ids_file = os.path.join(workdir, "ids.txt")
    with open(ids_file, "w") as f:
        subprocess.run(["sqlite3", db, "SELECT id FROM requests WHERE state = 'published' "
                        "ORDER BY random() LIMIT 20000"], check=True, stdout=f)

    server = Server(args.binary, db, workdir)
    server.start()
    pid = server.process.pid
    env = {**os.environ, "BENCH_WRK_DIR": os.path.join(HERE, "wrk"), "BENCH_BASE": BASE,
           "BENCH_IDS": ids_file, "BENCH_KEY": key, "BENCH_MIX_GET_PERCENT": "90"}
    log(f"soak: {args.seconds} s of 90 % GET by id, 10 % POST, {args.connections} connections")
    cpu_before = cpu_seconds([pid])
    wrk = subprocess.Popen(
        ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
         "-s", os.path.join(HERE, "wrk", "post.lua"), f"http://127.0.0.1:{server.port}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    samples = []  # (seconds since start, RssAnon kB)
    started = time.monotonic()
    while wrk.poll() is None:
        samples.append((round(time.monotonic() - started), status_kb(pid, "RssAnon")))
        time.sleep(args.sample)
    out, err = wrk.communicate()
    cpu = cpu_seconds([pid]) - cpu_before
    server.stop()
    summary = None
    for line in out.splitlines():
        if line.startswith("WRK_JSON "):
            summary = json.loads(line[len("WRK_JSON "):])
    if summary is None:
        print(out + err, file=sys.stderr)
        return 1

    errors = summary["connect"] + summary["read"] + summary["write"] + summary["timeout"]
    rps = summary["requests"] / (summary["duration_us"] / 1e6)
    per_minute = max(1, 60 // args.sample)
    first = max(kb for _, kb in samples[:per_minute])
    last = max(kb for _, kb in samples[-per_minute:])
    growth = (last - first) / first if first else 0.0
    ok = errors == 0 and summary["status"] == 0 and growth <= 0.10

    lines = [
        f"# Soak run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.release()}. "
        f"Database: {args.count} seeded requests. Load: wrk -t{args.threads} "
        f"-c{args.connections} -d{args.seconds}s, 90 % GET requests/{{id}}.json, 10 % POST.",
        "",
        f"- requests: {summary['requests']} ({rps:.0f}/s), p50 {summary['p50_us'] / 1000:.2f} ms, "
        f"p99 {summary['p99_us'] / 1000:.2f} ms",
        f"- socket errors: {errors}, non-2xx answers: {summary['status']}",
        f"- server CPU per request: {cpu * 1e6 / max(summary['requests'], 1):.1f} µs",
        f"- RssAnon: first minute peak {first / 1024:.1f} MB, last minute peak "
        f"{last / 1024:.1f} MB ({growth * 100:+.1f} %)",
        "",
        "| s | RssAnon MB |",
        "| --- | --- |",
    ]
    lines += [f"| {t} | {kb / 1024:.1f} |" for t, kb in samples]
    lines += ["", "Result: " + ("held" if ok else "FAILED")]
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "soak.md"), "w") as f:
        f.write(text)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
