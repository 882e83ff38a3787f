"""What the benchmark and the soak test share: the server process, wrk runs with the CPU time
they cost, and the samplers."""

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
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
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / CLK_TCK


def children(pid):
    """The direct children of a single-threaded process (nginx's workers, PostgreSQL's
    backends)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except FileNotFoundError:
        return []


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


def http_get(port, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def open311d(args, binary, db, *rest, capture=False):
    command = [binary, *rest, "--db", db]
    result = subprocess.run(command, check=True, text=True, capture_output=capture)
    return result.stdout if capture else None


class Server:
    """`open311d serve` on a database (a SQLite file or a postgresql:// URI)."""

    def __init__(self, binary, db, workdir, name="open311d", env=None):
        self.binary = binary
        self.db = db
        self.port = free_port()
        self.log = open(os.path.join(workdir, f"{name}.log"), "w")
        self.env = env or {}
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
                 "OPEN311_LIMITS_KEY_POSTS_PER_MINUTE": "0", **self.env})
        request = (f"GET {BASE}/services.json HTTP/1.1\r\nHost: b\r\n"
                   "Connection: close\r\n\r\n").encode()
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"open311d exited; see {self.log.name}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
                    s.sendall(request)
                    if s.recv(12).startswith(b"HTTP/1.1 200"):
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.001)

    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


def run_wrk(targets, pids, duration, db_pids=None):
    """Runs one wrk per target at once, each target a (url, script, env, connections, threads)
    tuple, and sums them: requests/s and errors add up, p50 is the mean and p99 the worst of
    the targets', and the CPU time per request is that of `pids()` (read before and after)
    over all requests. With `db_pids`, the CPU time of those processes (a database's) is added
    to it and also reported alone as db_cpu_us."""
    db_pids = db_pids or (lambda: [])
    before = cpu_seconds(pids())
    before_db = cpu_seconds(db_pids())
    running = [subprocess.Popen(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s",
         os.path.join(HERE, "wrk", script), url],
        text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **env})
        for url, script, env, connections, threads in targets]
    outputs = [p.communicate() for p in running]
    cpu = cpu_seconds(pids()) - before
    db_cpu = cpu_seconds(db_pids()) - before_db
    parts = []
    for process, (stdout, stderr) in zip(running, outputs):
        summary = [line for line in stdout.splitlines() if line.startswith("WRK_JSON ")]
        if process.returncode != 0 or not summary:
            raise RuntimeError("wrk printed no summary:\n" + stdout + stderr)
        data = json.loads(summary[0][len("WRK_JSON "):])
        data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
        data["errors"] = data["connect"] + data["read"] + data["write"] + data["timeout"]
        parts.append(data)
    out = {key: sum(p[key] for p in parts) for key in ("requests", "bytes", "rps", "errors",
                                                       "status")}
    out["error_kinds"] = {key: sum(p[key] for p in parts)
                          for key in ("connect", "read", "write", "timeout")}
    out["p50_us"] = statistics.mean(p["p50_us"] for p in parts)
    out["p99_us"] = max(p["p99_us"] for p in parts)
    out["per_target_requests"] = [p["requests"] for p in parts]
    out["cpu_us"] = (cpu + db_cpu) * 1e6 / max(out["requests"], 1)
    out["db_cpu_us"] = db_cpu * 1e6 / max(out["requests"], 1)
    return out


def wait_idle(pids, timeout=20):
    """Waits until the processes have finished what the last run left queued."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        before = cpu_seconds(pids())
        time.sleep(0.3)
        if cpu_seconds(pids()) - before < 0.03:
            return
