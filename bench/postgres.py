"""The PostgreSQL rows of the benchmark: a throw-away PostgreSQL 15 cluster in the work directory
with durable settings, loaded from the seeded SQLite database with `open311d copy`; then the
scenarios against one server on it, and against two servers sharing it, each loaded with half
the connections at the same time."""

import os
import pwd
import subprocess
import time

from common import Server, children
from scenarios import median_run, sample_results

PG_BIN = "/usr/lib/postgresql/15/bin"
# Durable as SQLite's synchronous = "full": every COMMIT waits for its WAL to be fsynced
# (PostgreSQL's defaults, spelled out). A buffer cache of 1 GB, as a dedicated database host
# would have, instead of the 128 MB default; connections over the Unix socket only.
SETTINGS = {
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
    "wal_sync_method": "fdatasync",
    "shared_buffers": "1GB",
    "max_connections": "100",
}
# 2 MB huge pages for shared_buffers and PostgreSQL's other shared memory, with room to spare.
HUGE_PAGES = "/proc/sys/vm/nr_hugepages"
HUGE_PAGES_NEEDED = 600
# The scenarios run on PostgreSQL too (the POST flood, about SQLite's WAL file, does not).
SCENARIOS = ("services", "request_json", "list_varied", "radius", "post", "mixed")


class Cluster:
    """initdb and pg_ctl in a directory of its own, as the postgres user when run as root
    (PostgreSQL refuses to run as root), else as the current user."""

    def __init__(self, workdir):
        self.dir = os.path.join(workdir, "postgres")
        self.data = os.path.join(self.dir, "data")
        os.makedirs(self.dir)
        self.as_user = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chmod(workdir, 0o755)
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.uri = f"postgresql:///open311d?host={self.dir}&user=postgres"
        self.started = False
        self.huge_pages_before = None  # vm.nr_hugepages to restore, when raised

    def reserve_huge_pages(self):
        """Huge pages for the buffer pool, as PostgreSQL's documentation recommends for one
        this size: with 4 kB pages every backend takes a page fault on the first touch of each
        page of the pool, and on this VM a fault costs more than reading the row (a varied list
        on 1,000,000 rows: 37 ms per answer in a new backend, 2.6 ms with huge pages). Only as
        root: vm.nr_hugepages is raised for the cluster's life and restored by stop()."""
        if os.geteuid() != 0:
            return "try"
        with open(HUGE_PAGES) as f:
            self.huge_pages_before = int(f.read())
        if self.huge_pages_before < HUGE_PAGES_NEEDED:
            with open(HUGE_PAGES, "w") as f:
                f.write(str(HUGE_PAGES_NEEDED))
        with open(HUGE_PAGES) as f:
            return "on" if int(f.read()) >= HUGE_PAGES_NEEDED else "try"

    def start(self):
        huge_pages = self.reserve_huge_pages()
        subprocess.run(self.as_user + [f"{PG_BIN}/initdb", "-D", self.data, "-U", "postgres",
                                       "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"],
                       check=True, capture_output=True)
        options = f"-k {self.dir} -c listen_addresses='' -c huge_pages={huge_pages} " + " ".join(
            f"-c {k}={v}" for k, v in SETTINGS.items())
        subprocess.run(self.as_user + [f"{PG_BIN}/pg_ctl", "-D", self.data, "-l",
                                       os.path.join(self.dir, "server.log"), "-w", "-o", options,
                                       "start"], check=True, capture_output=True)
        self.started = True
        subprocess.run([f"{PG_BIN}/createdb", "-h", self.dir, "-U", "postgres", "open311d"],
                       check=True)

    def sql(self, statement):
        return subprocess.run([f"{PG_BIN}/psql", "-h", self.dir, "-U", "postgres", "-d",
                               "open311d", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", statement],
                              check=True, capture_output=True, text=True).stdout.strip()

    def load(self, binary, sqlite_db):
        """Copies the seeded database in and analyses it, as an operator would after a bulk
        load. Returns the seconds each took."""
        started = time.perf_counter()
        subprocess.run([binary, "copy", "--from", sqlite_db, "--to", self.uri], check=True,
                       stdout=subprocess.DEVNULL)
        copied = time.perf_counter()
        self.sql("VACUUM (ANALYZE)")
        return copied - started, time.perf_counter() - copied

    def settings(self):
        names = ", ".join(f"'{k}'" for k in [*SETTINGS, "huge_pages"])
        return self.sql("SELECT string_agg(name || ' = ' || current_setting(name), ', ' "
                        f"ORDER BY name) FROM pg_settings WHERE name IN ({names})")

    def pids(self):
        """The postmaster and every process it started (backends, WAL writer, checkpointer)."""
        try:
            with open(os.path.join(self.data, "postmaster.pid")) as f:
                pid = int(f.readline())
        except FileNotFoundError:
            return []
        return [pid, *children(pid)]

    def stop(self):
        if self.started:
            subprocess.run(self.as_user + [f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast",
                                           "-w", "stop"], capture_output=True)
            self.started = False
        if self.huge_pages_before is not None:
            with open(HUGE_PAGES, "w") as f:
                f.write(str(self.huge_pages_before))
            self.huge_pages_before = None


def run(args, cluster, binary, workdir, wrk_env, scenario_list, only):
    """The PostgreSQL scenarios on one server, then on two (the first and a second started
    beside it). Returns {name: {1: result, 2: result}}, the mean results per answer of the
    varied scenarios, and the start times."""
    env = {"OPEN311_DATABASE_POOL_SIZE": str(args.pg_pool_size)}
    servers = [Server(binary, cluster.uri, workdir, f"open311d-pg-{i}", env) for i in (1, 2)]
    selected = [s for s in scenario_list if s[1] in SCENARIOS and (not only or s[1] in only)]
    results, means, startups = {}, {}, []
    try:
        for count in (1, 2):
            startups.append(servers[count - 1].start())
            live = servers[:count]
            pids = lambda: [s.process.pid for s in live]  # noqa: E731
            for title, name, path, script, extra, _, paths in selected:
                if paths and count == 1:
                    means[title] = sample_results(live[0].port, name, paths)
                urls = [s.url() + path for s in live]
                results.setdefault(name, {})[count] = median_run(
                    f"postgres {name}", args, urls, script, {**wrk_env, **extra}, pids,
                    paths=paths, workdir=workdir, db_pids=cluster.pids)
    finally:
        for s in servers:
            s.stop()
    return results, means, startups


def _cell(r, key, scale=1.0, digits=1):
    return f"{r[key] / scale:,.{digits}f}" if r else "—"


def table(results, sqlite, scenario_list):
    """The side-by-side table: each PostgreSQL scenario beside the SQLite figure of the same
    run. `sqlite` maps a scenario's name to its SQLite result."""
    lines = [
        "| scenario | SQLite req/s | PostgreSQL, 1 server | PostgreSQL, 2 servers (sum) "
        "| 1 server / SQLite | 2 servers / 1 | CPU µs/request: SQLite / 1 / 2 (PostgreSQL's "
        "share) | p99 ms: SQLite / 1 / 2 | errors, non-2xx (PostgreSQL) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for title, name, *_ in scenario_list:
        if name not in results:
            continue
        s, one, two = sqlite.get(name), results[name].get(1), results[name].get(2)
        vs_sqlite = f"{one['rps'] / s['rps'] * 100:.0f} %" if s and one else "—"
        vs_one = f"{two['rps'] / one['rps']:.2f}×" if one and two else "—"
        cpu = " / ".join([_cell(s, "cpu_us")] + [
            f"{_cell(r, 'cpu_us')} ({_cell(r, 'db_cpu_us')})" for r in (one, two)])
        p99 = " / ".join(_cell(r, "p99_us", 1000, 2) for r in (s, one, two))
        failed = ", ".join(f"{sum(r[k] for r in (one, two) if r)}" for k in ("errors", "status"))
        lines.append(f"| {title} | {_cell(s, 'rps', digits=0)} | {_cell(one, 'rps', digits=0)} "
                     f"| {_cell(two, 'rps', digits=0)} | {vs_sqlite} | {vs_one} | {cpu} | {p99} "
                     f"| {failed} |")
    return lines


def targets(results, sqlite):
    """The issue's targets, checked against this run's figures."""
    lines = []

    def rps(name, count):
        return results.get(name, {}).get(count, {}).get("rps")

    one, base = rps("request_json", 1), sqlite.get("request_json", {}).get("rps")
    if one and base:
        lines.append(f"- target `requests/{{id}}.json` on PostgreSQL, 1 server ≥ 50 % of SQLite: "
                     f"{one / base * 100:.1f} % ({'met' if one >= base / 2 else 'not met'})")
    two = rps("request_json", 2)
    if one and two:
        lines.append(f"- target 2 servers above 1 (`requests/{{id}}.json`): {two / one:.2f}× "
                     f"({'met' if two > one else 'not met'})")
    post, base = rps("post", 1), sqlite.get("post", {}).get("rps")
    if post and base:
        lines.append(f"- target POST on PostgreSQL ≥ SQLite: 1 server {post:,.0f}/s, 2 servers "
                     f"{rps('post', 2) or 0:,.0f}/s, SQLite {base:,.0f}/s "
                     f"({'met' if post >= base else 'not met'} with 1 server)")
    return lines

