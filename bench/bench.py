#!/usr/bin/env python3
"""Runs the open311d load scenarios with wrk against a seeded database, with nginx serving the
same bytes statically as the ceiling, and prints one table (also written to
bench/results/latest.md). Started by bench/run.sh, which builds and installs what it needs."""

import argparse
import datetime
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BASE = "/open311/v2"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pids):
    """User+system CPU time of the given processes (and all their threads)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except FileNotFoundError:
            pass
    return total / CLK_TCK


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class RssSampler(threading.Thread):
    """Samples the server's RssAnon (heap and stacks, not the mmap'd database pages)."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                self.peak_kb = max(self.peak_kb, status_kb(self.pid, "RssAnon"))
            except FileNotFoundError:
                return
            self.stop.wait(0.1)


class FileSizeSampler(threading.Thread):
    """Samples the size of a file (the WAL) every 100 ms and keeps the largest seen."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.peak = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                self.peak = max(self.peak, os.path.getsize(self.path))
            except FileNotFoundError:
                pass
            self.stop.wait(0.1)


def w3c(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


# Varied queries: every request of a run asks something else (random windows to the second,
# random points), so these rows measure the query and the writer, not the list cache.
def varied_list_paths(rng, n, codes, now):
    """200-result pages: 1-3 service codes, a status, a 14-90 day window somewhere in the two
    seeded years (open ones in the last 60 days, where the seed keeps requests open), page 1-2."""
    day = 86400
    paths = []
    for _ in range(n):
        picked = ",".join(rng.sample(codes, rng.randint(1, 3)))
        span = rng.randint(14 * day, 90 * day)
        status = rng.choice(["", "open", "closed", "open,closed"])
        if status == "open":
            end = now - rng.randint(0, 60 * day - span) if span < 60 * day else now
        else:
            end = now - rng.randint(0, 700 * day)
        query = {"service_code": picked, "start_date": w3c(end - span), "end_date": w3c(end),
                 "page": rng.randint(1, 2), "page_size": 200}
        if status:
            query["status"] = status
        paths.append(f"{BASE}/requests.json?" + urllib.parse.urlencode(query, safe=",:"))
    return paths


def radius_paths(rng, n, now):
    """500 m around a random point of the seeded area (the default 90-day window)."""
    return [f"{BASE}/requests.json?lat={60.13 + rng.random() * 0.17:.6f}"
            f"&long={24.78 + rng.random() * 0.42:.6f}&radius=500" for _ in range(n)]


def updated_after_paths(rng, n, now):
    """The changeset poll: updated_after 24-25 hours ago, to the second."""
    return [f"{BASE}/requests.json?updated_after={w3c(now - 86400 - rng.randint(0, 3600))}"
            for _ in range(n)]


def sample_results(port, paths):
    """Mean number of results per answer over a sample of the paths (all must answer 200)."""
    counts = [len(json.loads(http_get(port, p))) for p in paths]
    return statistics.mean(counts) if counts else 0


def http_get(port, path, accept_gzip=False):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def open311d(args, binary, db, *rest, capture=False):
    command = [binary, *rest, "--db", db]
    result = subprocess.run(command, check=True, text=True, capture_output=capture)
    return result.stdout if capture else None


class Server:
    def __init__(self, binary, db, workdir):
        self.binary = binary
        self.db = db
        self.port = free_port()
        self.log = open(os.path.join(workdir, "open311d.log"), "w")
        self.process = None

    def start(self):
        """Starts the server and returns the seconds from exec to its first answer."""
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [self.binary, "serve", "--db", self.db, "--listen", f"127.0.0.1:{self.port}"],
            stdout=self.log, stderr=self.log,
            # The POST scenarios come from one address with one key: no rate limits.
            env={**os.environ, "OPEN311_LOG_ACCESS_LOG": "false", "OPEN311_LOG_LEVEL": "warn",
                 "OPEN311_LIMITS_IP_POSTS_PER_MINUTE": "0",
                 "OPEN311_LIMITS_KEY_POSTS_PER_MINUTE": "0"})
        request = (f"GET {BASE}/services.json HTTP/1.1\r\nHost: b\r\n"
                   "Connection: close\r\n\r\n").encode()
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("open311d exited; see open311d.log")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
                    s.sendall(request)
                    if s.recv(12).startswith(b"HTTP/1.1 200"):
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.001)

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


class Nginx:
    def __init__(self, workdir, files):
        self.dir = os.path.join(workdir, "nginx")
        os.makedirs(os.path.join(self.dir, "www"), exist_ok=True)
        os.chmod(workdir, 0o755)
        os.chmod(self.dir, 0o755)
        os.chmod(os.path.join(self.dir, "www"), 0o755)
        for name, body in files.items():
            path = os.path.join(self.dir, "www", name)
            with open(path, "wb") as f:
                f.write(body)
            os.chmod(path, 0o644)
        self.port = free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""{user}
worker_processes auto;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    types {{ application/json json; }}
    client_body_temp_path {self.dir}/tmp;
    proxy_temp_path {self.dir}/tmp;
    fastcgi_temp_path {self.dir}/tmp;
    uwsgi_temp_path {self.dir}/tmp;
    scgi_temp_path {self.dir}/tmp;
    server {{
        listen 127.0.0.1:{self.port};
        root {self.dir}/www;
    }}
}}
""")
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        self.process = subprocess.Popen(["nginx", "-c", conf, "-p", self.dir, "-g", "daemon off;"])
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                http_get(self.port, "/" + next(iter(files)))
                break
            except OSError:
                time.sleep(0.05)

    def pids(self):
        pids = [self.process.pid]
        try:
            with open(f"/proc/{self.process.pid}/task/{self.process.pid}/children") as f:
                pids += [int(p) for p in f.read().split()]
        except FileNotFoundError:
            pass
        return pids

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def run_wrk(url, script, env, pids, duration, connections, threads):
    before = cpu_seconds(pids)
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s",
         os.path.join(HERE, "wrk", script), url],
        check=True, text=True, capture_output=True, env={**os.environ, **env})
    cpu = cpu_seconds(pids) - before
    for line in result.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            data = json.loads(line[len("WRK_JSON "):])
            data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
            data["errors"] = data["connect"] + data["read"] + data["write"] + data["timeout"]
            data["cpu_us"] = cpu * 1e6 / max(data["requests"], 1)
            return data
    raise RuntimeError("wrk printed no summary:\n" + result.stdout + result.stderr)


def wait_idle(pids, timeout=20):
    """Waits until the server has finished what the last run left queued."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        before = cpu_seconds(pids)
        time.sleep(0.3)
        if cpu_seconds(pids) - before < 0.03:
            return


def median_run(name, runs, *args, paths=None, paths_per_run=0, workdir=""):
    """Median of `runs` runs. With `paths` (a function of a random generator and a count), each
    run asks a fresh set of generated paths through paths.lua."""
    results = []
    for run in range(runs):
        wait_idle(args[3])
        if paths:
            file = os.path.join(workdir, f"paths-{name}-{run}.txt")
            with open(file, "w") as f:
                f.write("\n".join(paths(random.Random(f"{name}-{run}-{time.time()}"),
                                         paths_per_run)) + "\n")
            url, script, env, *rest = args
            results.append(run_wrk(url, script, {**env, "BENCH_PATHS": file}, *rest))
            if results[-1]["requests"] > paths_per_run:
                log(f"warning: {name} sent {results[-1]['requests']} requests for "
                    f"{paths_per_run} paths; some were repeated (raise --paths)")
        else:
            results.append(run_wrk(*args))
    results.sort(key=lambda r: r["rps"])
    middle = results[len(results) // 2]
    out = dict(middle)
    out["p50_us"] = statistics.median(r["p50_us"] for r in results)
    out["p99_us"] = statistics.median(r["p99_us"] for r in results)
    out["cpu_us"] = statistics.median(r["cpu_us"] for r in results)
    out["errors"] = max(r["errors"] for r in results)
    out["status"] = max(r["status"] for r in results)
    out["all_rps"] = [round(r["rps"]) for r in results]
    log(f"{name}: {[round(r['rps']) for r in results]} req/s, cpu/req "
        f"{out['cpu_us']:.1f} us, p99 {out['p99_us'] / 1000:.2f} ms")
    return out


def post_flood(url, env, pids, db, args):
    """POSTs for --flood-seconds with the WAL's size sampled: the largest size seen is what a
    sustained write load does to the disk."""
    wait_idle(pids)
    wal = FileSizeSampler(db + "-wal")
    wal.start()
    r = run_wrk(url, "post.lua", env, pids, args.flood_seconds, args.connections, args.threads)
    wait_idle(pids)
    wal.stop.set()
    wal.join()
    r["wal_peak"] = wal.peak
    r["wal_after"] = os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0
    r["db_size"] = os.path.getsize(db)
    log(f"post_flood: {r['rps']:.0f} req/s, largest WAL {wal.peak / 2**20:.1f} MB")
    return r


def main():
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
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--db", default="",
                        help="use this already seeded database instead of seeding a fresh one")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="open311-bench-")
    log(f"work directory {workdir}")
    binary = args.binary
    seed_seconds = None
    if args.db:
        db = args.db
        args.count = int(subprocess.run(
            ["sqlite3", db, "SELECT COUNT(*) FROM requests WHERE state = 'published'"],
            check=True, capture_output=True, text=True).stdout.strip())
    else:
        db = os.path.join(workdir, "bench.db")
        open311d(args, binary, db, "migrate")
        open311d(args, binary, db, "services", "import",
                 os.path.join(ROOT, "config", "demo-services.json"))
        started = time.perf_counter()
        subprocess.run([binary, "seed", "--db", db, "--count", str(args.count)], check=True)
        seed_seconds = time.perf_counter() - started
        log(f"seeded {args.count} requests in {seed_seconds:.1f} s")
    key = open311d(args, binary, db, "keys", "create", "--name",
                   f"bench-{os.getpid()}-{int(time.time())}", "--role", "client",
                   capture=True).strip().splitlines()[-1]

    ids_file = os.path.join(workdir, "ids.txt")
    with open(ids_file, "w") as f:
        subprocess.run(["sqlite3", db, "SELECT id FROM requests WHERE state = 'published' "
                        "ORDER BY random() LIMIT 20000"], check=True, stdout=f)

    codes = subprocess.run(
        ["sqlite3", db, "SELECT DISTINCT service_code FROM requests WHERE state = 'published'"],
        check=True, capture_output=True, text=True).stdout.split()
    now = int(time.time())

    server = Server(binary, db, workdir)
    startups = []
    for _ in range(3):
        startups.append(server.start())
        server.stop()
    startup = statistics.median(startups)
    server.start()
    sampler = RssSampler(server.process.pid)
    sampler.start()
    port = server.port

    with open(ids_file) as f:
        sample_id = f.readline().strip()
    item_body = http_get(port, f"{BASE}/requests/{sample_id}.json")
    list_path = f"{BASE}/requests.json?service_code=171&status=open&page_size=200"
    list_body = http_get(port, list_path)
    list_count = len(json.loads(list_body))
    nginx = Nginx(workdir, {"item.json": item_body, "list.json": list_body})

    url = f"http://127.0.0.1:{port}"
    env = {"BENCH_WRK_DIR": os.path.join(HERE, "wrk"), "BENCH_BASE": BASE, "BENCH_IDS": ids_file,
           "BENCH_THREADS": str(args.threads),
           "BENCH_KEY": key}
    spids = [server.process.pid]
    varied_list = lambda rng, n: varied_list_paths(rng, n, codes, now)  # noqa: E731
    radius = lambda rng, n: radius_paths(rng, n, now)  # noqa: E731
    updated = lambda rng, n: updated_after_paths(rng, n, now)  # noqa: E731
    # (title, name, url, script, env, pids, nginx ceiling, path generator or None)
    scenarios = [
        ("nginx static request (item.json)", "nginx_item", f"http://127.0.0.1:{nginx.port}/item.json",
         "get.lua", {}, nginx.pids(), "item", None),
        ("nginx static list (list.json)", "nginx_list", f"http://127.0.0.1:{nginx.port}/list.json",
         "get.lua", {}, nginx.pids(), "list", None),
        ("GET services.json", "services", f"{url}{BASE}/services.json", "get.lua", {}, spids,
         "item", None),
        ("GET requests/{id}.json", "request_json", url, "request_by_id.lua",
         {"BENCH_FORMAT": "json"}, spids, "item", None),
        ("GET requests/{id}.xml", "request_xml", url, "request_by_id.lua",
         {"BENCH_FORMAT": "xml"}, spids, "item", None),
        ("varied list: service_code set, status, date window, page (page_size=200)",
         "list_varied", url, "paths.lua", {}, spids, "list", varied_list),
        (f"same list polled again (list cache): service_code=171&status=open ({list_count} "
         "results)", "list_cache", url + list_path, "get.lua", {}, spids, "list", None),
        ("same list polled again with extensions=true (list cache)", "list_cache_extensions",
         url + list_path + "&extensions=true", "get.lua", {}, spids, "list", None),
        ("radius 500 m around random points (varied)", "radius", url, "paths.lua", {}, spids,
         "list", radius),
        ("updated_after 24-25 h ago, varied to the second", "updated_after", url, "paths.lua",
         {}, spids, "list", updated),
        ("POST requests.json", "post", url, "post.lua", {}, spids, "item", None),
        ("mixed: 90 % GET by id, 10 % POST", "mixed", url, "post.lua",
         {"BENCH_MIX_GET_PERCENT": "90"}, spids, "item", None),
    ]
    only = set(filter(None, args.only.split(",")))
    results = []
    mean_results = {}
    flood = None
    try:
        for title, name, target, script, extra, pids, ceiling, paths in scenarios:
            if only and name not in only and not name.startswith("nginx"):
                continue
            if paths:
                mean_results[title] = sample_results(port, paths(random.Random(name), 50))
            r = median_run(name, args.runs, target, script, {**env, **extra}, pids,
                           args.duration, args.connections, args.threads, paths=paths,
                           paths_per_run=args.paths, workdir=workdir)
            results.append((title, name, ceiling, r))
        if args.flood_seconds > 0 and (not only or "post_flood" in only):
            flood = post_flood(url, env, spids, db, args)
    finally:
        nginx.stop()
        sampler.stop.set()
        peak_hwm = status_kb(server.process.pid, "VmHWM")
        server.stop()

    ceilings = {name: r["rps"] for _, name, _, r in results if name.startswith("nginx")}
    lines = []
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines.append(f"open311d benchmark, {now}, {os.cpu_count()} CPUs, {platform.platform()}; "
                 f"{args.count} requests stored; wrk -t{args.threads} -c{args.connections} "
                 f"-d{args.duration}s, median of {args.runs} runs")
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
    for title, mean in mean_results.items():
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
    lines.append(f"- start to first answer: {startup * 1000:.0f} ms (median of "
                 f"{', '.join(f'{s * 1000:.0f}' for s in startups)} ms)")
    if seed_seconds is not None:
        lines.append(f"- seeding {args.count} requests: {seed_seconds:.1f} s")
    table = "\n".join(lines)
    print(table)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "latest.md"), "w") as f:
        f.write(table + "\n")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
