#!/usr/bin/env python
"""`make bench`: TinyBook against a bare DRF baseline, as ratios measured side by side.

It starts TinyBook in the services profile under gunicorn (2 workers) and the one-file
baseline (scripts/bench/baseline.py) under the same gunicorn shape, seeds data with
``seed_demo``, then drives both with wrk on loopback, alternating A B A B, and prints per
endpoint req/s, p50 and p99 latency and the ratio to the baseline (median of the pairs).
Everything it starts is stopped at the end; the whole run is bounded by --budget seconds.

Absolute numbers depend on the machine; the ratios are what to compare.

``--against DIR`` measures TinyBook against another checkout of TinyBook instead of the
baseline (e.g. ``git worktree add /tmp/before <commit>``): both serve the same database and
Redis, every endpoint gets the same requests on both sides, and the ratio is this tree's
req/s over that one's (above 1: this tree is faster). The two trees must share migrations.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
UA = "tinybook-bench/1.0"

BENCH_ENV = {
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "mysql://root@127.0.0.1:3306/tinybook_bench"),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
    "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/8"),
    "TINYBOOK_SECRET_KEY": "bench-only-fake-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "TINYBOOK_DEBUG": "0",
    # One client address drives all the load: the per-IP limiter would measure itself.
    "IP_RATE_LIMIT": "0",
    "LOGIN_FAILURES_PER_IP": "100000",
    "SMS_CODE_SENDS_PER_IP_PER_HOUR": "100000",
    # 200 users posting as fast as they can: the per-user comment limit would refuse most of it.
    "COMMENT_RATE": "0",
}


# The main reader paths are measured a second time against a TinyBook with the per-IP limiter
# on (one Redis script per request): its limit is set so high that no request is refused,
# while the window still holds every hit of the last second, as it would for a busy address.
LIMITED = ("GET /articles/pub/<id> (anonymous, warm)", "GET /ranking/hot", "GET /users/profile (token)")
LIMITER_ON = {"IP_RATE_LIMIT": "100000000", "IP_RATE_LIMIT_WINDOW": "1.0"}


class Stack:
    """Processes started by the run, stopped (by process group) whatever happens."""

    def __init__(self):
        self.procs = []

    def start(self, args, env, log, cwd=ROOT):
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def stop(self):
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def env_with(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TINYBOOK_")}
    env.update(BENCH_ENV)
    env.update(extra)
    return env


def manage(*args, env, check=True, capture=False):
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=check, capture_output=capture, text=True)


def http(method, url, body=None, headers=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"User-Agent": UA, **(headers or {})})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.status, dict(resp.headers), resp.read()


def wait_up(url, deadline):
    while time.monotonic() < deadline:
        try:
            http("GET", url, timeout=2)
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise SystemExit(f"server at {url} did not start")


WRK_LINE = re.compile(r"Requests/sec:\s+([\d.]+)")
LAT = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def wrk(url, seconds, connections, script=None, env=None):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", f"User-Agent: {UA}"]
    if script:
        args += ["-s", script]
    done = subprocess.run([*args, url], capture_output=True, text=True, env=env, check=True)
    # wrk reports a broken script on stderr and then runs its default request: refuse that.
    if script and script in done.stderr:
        raise SystemExit(f"wrk could not load {script}: {done.stderr.strip()}")
    out = done.stdout
    rps = float(WRK_LINE.search(out).group(1))
    lat = {}
    for pct, value, unit in LAT.findall(out):
        lat[pct] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    code_errors = re.search(r"^code_errors (\d+)$", out, re.M)
    return {"rps": rps, "p50": lat.get("50"), "p99": lat.get("99"), "non2xx": int(errors.group(1)) if errors else 0,
            "code_errors": int(code_errors.group(1)) if code_errors else None}


def mirror_script(a_script: str, path: str) -> str:
    """The baseline's wrk script for an endpoint driven by a script: the endpoint's own script
    (the same Lua work in wrk per request and per answer: picking a token, building a body,
    checking the answer's code), with every request sent to the baseline's ``path``.

    wrk runs on the same cores as both servers; a baseline driven by a cheaper script would
    count the difference in wrk's work against the endpoint."""
    return (
        "local format = wrk.format\n"
        f'wrk.format = function(method, _path, headers, body) return format(method, "{path}", headers, body) end\n'
        + Path(a_script).read_text()
    )


def measure(name, a_url, b_url, args, a_script=None, b_script=None):
    pairs = []
    wrk(a_url, 1, args.connections, a_script)
    wrk(b_url, 1, args.connections, b_script)
    for _ in range(args.pairs):
        a = wrk(a_url, args.seconds, args.connections, a_script)
        b = wrk(b_url, args.seconds, args.connections, b_script)
        pairs.append((a, b))
    ratio = statistics.median(a["rps"] / b["rps"] for a, b in pairs)
    med = lambda key, side: statistics.median(p[side][key] for p in pairs)  # noqa: E731
    row = {
        "endpoint": name,
        "rps": med("rps", 0), "p50_ms": med("p50", 0), "p99_ms": med("p99", 0),
        "base_rps": med("rps", 1), "base_p50_ms": med("p50", 1), "base_p99_ms": med("p99", 1),
        "ratio": ratio, "non2xx": sum(p[0]["non2xx"] for p in pairs),
        "code_errors": None if pairs[0][0]["code_errors"] is None else sum(p[0]["code_errors"] for p in pairs),
    }
    print(
        f"{name:<38} {row['rps']:>9.0f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
        f"{row['base_rps']:>9.0f} {row['ratio']:>6.2f}  non2xx={row['non2xx']}"
        + ("" if row["code_errors"] is None else f" code!=0: {row['code_errors']}"),
        flush=True,
    )
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5, help="length of one wrk run")
    parser.add_argument("--pairs", type=int, default=3, help="A/B pairs per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", "1")),
                        help="gunicorn threads per worker, for TinyBook and the baseline alike")
    parser.add_argument("--users", type=int, default=200, help="seed_demo users")
    parser.add_argument("--articles", type=int, default=2000, help="seed_demo articles")
    parser.add_argument("--budget", type=int, default=900, help="seconds the whole run may take")
    parser.add_argument("--only", default="", help="comma-separated endpoint names")
    parser.add_argument("--json", default="", help="also write the rows to this file")
    parser.add_argument("--port", type=int, default=18001,
                        help="TinyBook listens here, the baseline on the next port (refused when taken)")
    parser.add_argument("--against", default="",
                        help="a checkout of TinyBook to measure against instead of the baseline (see above)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the bench database and Redis db of the previous run (no drop, no seed)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `apt-get install wrk` (make bench installs it)")

    for port in (args.port, args.port + 1, args.port + 2):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(f"port {port} is taken (another bench?): pass --port")
    from scripts.bench import scenarios

    deadline = time.monotonic() + args.budget
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(SystemExit("bench budget exceeded")))
    signal.alarm(args.budget)
    workdir = Path(tempfile.mkdtemp(prefix="tinybook-bench-"))
    (workdir / "prom").mkdir()
    env = env_with(PROMETHEUS_MULTIPROC_DIR=str(workdir / "prom"))
    stack = Stack()
    try:
        if not args.reuse:
            db = env["DATABASE_URL"].rsplit("/", 1)[1]
            subprocess.run(["mariadb", "-h127.0.0.1", "-uroot", "-e",
                            f"DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db} CHARACTER SET utf8mb4"], check=True)
            import redis  # the venv's redis-py

            redis.Redis.from_url(env["REDIS_URL"]).flushdb()
            print(f"preparing: migrate, seed_demo --users {args.users} --articles {args.articles}", flush=True)
            manage("migrate", "--noinput", "-v", "0", env=env)
            manage("seed_demo", "--users", str(args.users), "--articles", str(args.articles), env=env)
        manage("collectstatic", "--noinput", "-v", "0", env=env)

        log = open(workdir / "servers.log", "w")
        stack.start([GUNICORN, "-c", "deploy/gunicorn.conf.py", "tinybook.wsgi:application"], env_with(**env, GUNICORN_BIND=f"127.0.0.1:{args.port}", GUNICORN_WORKERS="2",
                                  GUNICORN_THREADS=str(args.threads)), log)
        # Endpoint names may hold commas ("(anonymous, warm)"): a name is chosen when it is one
        # of the comma-separated items of --only, commas of its own included.
        chosen = f",{args.only},"
        only = {name for name in (*LIMITED, *scenarios.NAMES) if f",{name}," in chosen} if args.only else set()
        if args.only and not only:
            raise SystemExit(f"--only names no endpoint; the names are: {', '.join(scenarios.NAMES)}")
        against = Path(args.against).resolve() if args.against else None
        limited = [] if against else [name for name in LIMITED if not only or name in only]
        if limited:
            stack.start([GUNICORN, "-c", "deploy/gunicorn.conf.py", "tinybook.wsgi:application"],
                        env_with(**{**env, **LIMITER_ON, "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prom-limited"),
                                    "GUNICORN_BIND": f"127.0.0.1:{args.port + 2}", "GUNICORN_WORKERS": "2",
                                    "GUNICORN_THREADS": str(args.threads)}), log)
        if against:
            stack.start([GUNICORN, "-c", "deploy/gunicorn.conf.py", "tinybook.wsgi:application"],
                        env_with(**{**env, "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prom-against"),
                                    "GUNICORN_BIND": f"127.0.0.1:{args.port + 1}", "GUNICORN_WORKERS": "2",
                                    "GUNICORN_THREADS": str(args.threads)}), log, cwd=against)
        else:
            stack.start([GUNICORN, "-w", "2", "--threads", str(args.threads), "-b", f"127.0.0.1:{args.port + 1}",
                         "scripts.bench.baseline:application"], env_with(), log)
        if manage("help", "consume_events", env=env, check=False, capture=True).returncode == 0:
            stack.start([PY, "manage.py", "consume_events"], env, log)
        wait_up(f"http://127.0.0.1:{args.port}/healthz", deadline)
        wait_up(f"http://127.0.0.1:{args.port + 1}" + ("/healthz" if against else "/b/100"), deadline)
        if limited:
            wait_up(f"http://127.0.0.1:{args.port + 2}/healthz", deadline)

        A, B = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.port + 1}"
        other = "other r/s" if against else "base r/s"
        print(f"\n{'endpoint':<38} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {other:>9} {'ratio':>6}", flush=True)
        rows = []
        for scenario in scenarios.build(A, env, workdir):
            if only and scenario["name"] not in only:
                continue
            size = len(http(scenario.get("probe_method", "GET"), A + scenario["probe_path"], scenario.get("probe_body"), scenario.get("headers"))[2])
            b_url = f"{B}/b/{size}"
            b_script = None
            if against:  # the other TinyBook: the same requests
                b_url, b_script = B + scenario["path"], scenario.get("a_script")
            elif scenario.get("a_script"):
                b_script = str(workdir / f"baseline-{len(rows)}.lua")
                Path(b_script).write_text(mirror_script(scenario["a_script"], f"/b/{size}"))
            rows.append(measure(scenario["name"], A + scenario["path"], b_url, args, scenario.get("a_script"), b_script))
            if scenario["name"] in limited:
                a_limited = f"http://127.0.0.1:{args.port + 2}"
                rows.append(measure("  … the same, per-IP limiter on", a_limited + scenario["path"], b_url, args,
                                    scenario.get("a_script"), b_script))
            if scenario.get("after"):
                print("   " + scenario["after"](), flush=True)
        for extra in ([] if only or against else scenarios.extras(env, workdir)):  # those endpoints alone
            print(extra, flush=True)
        if args.json:
            Path(args.json).write_text(json.dumps(rows, indent=2))
    finally:
        signal.alarm(0)
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
