"""What the benchmark asks: the scenarios, the generated paths of the varied ones, and the
median of a scenario's runs against one server or several at once."""

import datetime
import json
import os
import random
import statistics
import time
import urllib.parse

from common import BASE, http_get, log, run_wrk, wait_idle

LIST_PATH = f"{BASE}/requests.json?service_code=171&status=open&page_size=200"


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


def radius_paths(rng, n):
    """500 m around a random point of the seeded area (the default 90-day window)."""
    return [f"{BASE}/requests.json?lat={60.13 + rng.random() * 0.17:.6f}"
            f"&long={24.78 + rng.random() * 0.42:.6f}&radius=500" for _ in range(n)]


def updated_after_paths(rng, n, now):
    """The changeset poll: updated_after 24-25 hours ago, to the second."""
    return [f"{BASE}/requests.json?updated_after={w3c(now - 86400 - rng.randint(0, 3600))}"
            for _ in range(n)]


def sample_results(port, name, paths):
    """Mean number of results per answer over a sample of 50 of the paths (all must answer
    200). The same name gives the same sample, on any server."""
    counts = [len(json.loads(http_get(port, p))) for p in paths(random.Random(name), 50)]
    return statistics.mean(counts) if counts else 0


def scenarios(codes, now, list_count):
    """(title, name, path or None, script, extra wrk environment, nginx ceiling, path
    generator or None). A scenario without a fixed path gets its paths from its script or
    its generator."""
    return [
        ("GET services.json", "services", f"{BASE}/services.json", "get.lua", {}, "item", None),
        ("GET requests/{id}.json", "request_json", "", "request_by_id.lua",
         {"BENCH_FORMAT": "json"}, "item", None),
        ("GET requests/{id}.xml", "request_xml", "", "request_by_id.lua",
         {"BENCH_FORMAT": "xml"}, "item", None),
        ("varied list: service_code set, status, date window, page (page_size=200)",
         "list_varied", "", "paths.lua", {}, "list",
         lambda rng, n: varied_list_paths(rng, n, codes, now)),
        (f"same list polled again (list cache): service_code=171&status=open ({list_count} "
         "results)", "list_cache", LIST_PATH, "get.lua", {}, "list", None),
        ("same list polled again with extensions=true (list cache)", "list_cache_extensions",
         LIST_PATH + "&extensions=true", "get.lua", {}, "list", None),
        ("radius 500 m around random points (varied)", "radius", "", "paths.lua", {}, "list",
         radius_paths),
        ("updated_after 24-25 h ago, varied to the second", "updated_after", "", "paths.lua",
         {}, "list", lambda rng, n: updated_after_paths(rng, n, now)),
        ("POST requests.json", "post", "", "post.lua", {}, "item", None),
        ("mixed: 90 % GET by id, 10 % POST", "mixed", "", "post.lua",
         {"BENCH_MIX_GET_PERCENT": "90"}, "item", None),
    ]


def median_run(name, args, urls, script, env, pids, paths=None, workdir="", db_pids=None):
    """Median of `args.runs` runs of a scenario. With several `urls` (servers) a run loads them
    all at once, each with its share of the connections and wrk threads, and counts their sum.
    With `paths` (a function of a random generator and a count), each run asks a fresh set of
    generated paths through paths.lua, each server its own. `db_pids` as for run_wrk."""
    n = len(urls)
    connections = max(1, args.connections // n)
    threads = max(1, args.threads // n)
    per_server = args.paths // n
    results = []
    for run in range(args.runs):
        wait_idle(lambda: pids() + (db_pids() if db_pids else []))
        targets = []
        for i, url in enumerate(urls):
            extra = {"BENCH_THREADS": str(threads)}
            if paths:
                file = os.path.join(workdir, f"paths-{name}-{n}-{run}-{i}.txt")
                with open(file, "w") as f:
                    f.write("\n".join(paths(random.Random(f"{name}-{n}-{run}-{i}-{time.time()}"),
                                            per_server)) + "\n")
                extra["BENCH_PATHS"] = file
            targets.append((url, script, {**env, **extra}, connections, threads))
        results.append(run_wrk(targets, pids, args.duration, db_pids))
        if paths and max(results[-1]["per_target_requests"]) > per_server:
            log(f"warning: {name} sent {max(results[-1]['per_target_requests'])} requests to "
                f"one server for {per_server} paths; some were repeated (raise --paths)")
    results.sort(key=lambda r: r["rps"])
    out = dict(results[len(results) // 2])
    out["p50_us"] = statistics.median(r["p50_us"] for r in results)
    out["p99_us"] = statistics.median(r["p99_us"] for r in results)
    out["cpu_us"] = statistics.median(r["cpu_us"] for r in results)
    out["db_cpu_us"] = statistics.median(r["db_cpu_us"] for r in results)
    out["errors"] = max(r["errors"] for r in results)
    out["status"] = max(r["status"] for r in results)
    out["all_rps"] = [round(r["rps"]) for r in results]
    errors = ", ".join(f"{k} {v}" for r in results for k, v in r["error_kinds"].items() if v)
    log(f"{name}{f' ({n} servers)' if n > 1 else ''}: {out['all_rps']} req/s, cpu/req "
        f"{out['cpu_us']:.1f} us, p99 {out['p99_us'] / 1000:.2f} ms"
        + (f"; socket errors: {errors}" if errors else ""))
    return out
