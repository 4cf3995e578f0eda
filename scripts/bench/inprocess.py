#!/usr/bin/env python
"""Where one request's time goes, in process (no network, no gunicorn): docs/performance.md.

Run against the data of a previous ``make bench`` (its database and Redis db, the same
settings as the bench's gunicorn), after the bench has stopped:

    .venv/bin/python scripts/bench/inprocess.py                 # every path, ablation table
    .venv/bin/python scripts/bench/inprocess.py --cprofile /healthz   # top functions of one path

For each path it times ``--requests`` calls of the WSGI application (median of ``--rounds``),
then the same with each middleware taken out in turn: the difference is what that middleware
costs per request. With ``--cprofile`` it prints the functions with the most cumulative time.
"""

import argparse
import cProfile
import io
import itertools
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts" / "bench"))

from run import BENCH_ENV  # noqa: E402
from wsgicall import call as _call  # noqa: E402

for key, value in BENCH_ENV.items():
    os.environ.setdefault(key, value)
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="tinybook-profile-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinybook.settings")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from django.conf import settings  # noqa: E402

try:  # the project's handler (it reuses RequestMiddleware's URL match), where there is one
    from tinybook.handlers import TinyBookWSGIHandler as WSGIHandler  # noqa: E402
except ImportError:
    from django.core.handlers.wsgi import WSGIHandler  # noqa: E402


class _Sink(io.TextIOBase):
    def write(self, s):
        return len(s)


def _silence_console():
    # The access log line is still formatted and written, to a sink instead of the terminal.
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(_Sink())


def _time(app, req, n, rounds):
    per = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(n):
            _call(app, *req)
        per.append((time.process_time() - started) / n * 1e6)
    return statistics.median(per)


def _paths():
    """The bench's paths, with the ids and tokens of its data."""
    from articles.models import ArticleStatus, LiveArticle  # noqa: PLC0415
    from users.models import User  # noqa: PLC0415
    from users.services import session_start  # noqa: PLC0415

    article = LiveArticle.objects.filter(status=ArticleStatus.PUBLISHED).order_by("-published_at")[0].id
    token = session_start(user_id=User.objects.order_by("id")[0].id, user_agent="tinybook-bench/1.0")[0]
    from django.db.models import Count  # noqa: PLC0415

    from relations.models import Follow  # noqa: PLC0415

    reader = (Follow.objects.values("follower_id").annotate(n=Count("id")).order_by("-n")
              .values_list("follower_id", flat=True).first())  # the feed's reader: who follows the most
    reader_token = session_start(user_id=reader, user_agent="tinybook-bench/1.0")[0]
    liked = itertools.cycle([b"true", b"false"])
    numbered = itertools.count()
    comment_body = f'{{"biz": "article", "bizId": {article}, "content": "in-process comment %d %d"}}'.encode()
    started = int(time.time())
    like_body = f'{{"id": {article}, "like": %s}}'.encode()
    return {
        "/healthz": ("GET", "/healthz", {}),
        "/articles/pub/<id>": ("GET", f"/articles/pub/{article}", {}),
        "/ranking/hot": ("GET", "/ranking/hot", {}),
        "/users/profile": ("GET", "/users/profile", {"Authorization": f"Bearer {token}"}),
        "like/unlike": ("POST", "/articles/pub/like", {"Authorization": f"Bearer {token}"},
                        lambda: like_body % next(liked)),
        "/comments/create": ("POST", "/comments/create", {"Authorization": f"Bearer {token}"},
                             lambda: comment_body % (started, next(numbered))),
        "/feed": ("GET", "/feed?limit=10", {"Authorization": f"Bearer {reader_token}"}),
        "/search": ("GET", "/search?q=orchard", {}),
    }


def _baseline(requests: int, rounds: int) -> tuple[float, float]:
    """The bare view's (calls, CPU µs) per request, in a process of its own."""
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench" / "baseline.py"), "60", str(requests),
                          str(rounds)], cwd=ROOT, capture_output=True, text=True, check=True)
    calls, cpu = out.stdout.split()
    return float(calls), float(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cprofile", default="", help="a path name of the table: profile it instead")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--calls", action="store_true",
                        help="Python function calls per request of each path (deterministic, unlike timings)")
    args = parser.parse_args()
    _silence_console()
    paths = _paths()
    full = list(settings.MIDDLEWARE)
    app = WSGIHandler()
    for req in paths.values():
        status, body = _call(app, *req)
        assert status.startswith("200"), (req, status, body[:200])
    if args.calls:
        print("| path | Python function calls per request | CPU µs per request (noisy) |")
        print("|---|---:|---:|")
        for name, req in paths.items():
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(200):
                _call(app, *req)
            prof.disable()
            calls = sum(nc for (_cc, nc, _tt, _ct, _callers) in pstats.Stats(prof).stats.values())
            print(f"| {name} | {calls / 200:.0f} | {_time(app, req, args.requests, args.rounds):.0f} |")
        calls, cpu = _baseline(args.requests, args.rounds)
        print(f"| bare DRF view (`scripts/bench/baseline.py`, no middleware) | {calls:.0f} | {cpu:.0f} |")
        return
    if args.cprofile:
        req = paths[args.cprofile]
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.requests):
            _call(app, *req)
        prof.disable()
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out)
        stats.sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())
        # Own time summed by source file: which library the request's time is spent in.
        by_file, total = {}, 0.0
        for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
            key = filename.split("site-packages/")[-1].split("/lib/python3.11/")[-1]
            by_file[key] = by_file.get(key, 0.0) + tottime
            total += tottime
        print(f"own time by file, µs per request (total {total / args.requests * 1e6:.0f} under the profiler):")
        for key, t in sorted(by_file.items(), key=lambda kv: -kv[1])[: args.top]:
            print(f"{t / args.requests * 1e6:8.1f}  {key}")
        return
    print(f"CPU µs per request (process time: what other load on the machine does not inflate), median of {args.rounds} rounds of {args.requests}; "
          "the middleware columns: µs saved when it is taken out")
    print("| middleware | " + " | ".join(paths) + " |")
    print("|---|" + "---:|" * len(paths))
    totals = {name: _time(app, req, args.requests, args.rounds) for name, req in paths.items()}
    print("| (all: µs per request) | " + " | ".join(f"{totals[n]:.0f}" for n in paths) + " |")
    for mw in full:
        settings.MIDDLEWARE = [m for m in full if m != mw]
        try:
            without = WSGIHandler()
            cells = [f"{totals[n] - _time(without, req, args.requests, args.rounds):.0f}" for n, req in paths.items()]
        finally:
            settings.MIDDLEWARE = full
        print(f"| `{mw.rsplit('.', 1)[1]}` | " + " | ".join(cells) + " |")
    settings.MIDDLEWARE = []
    bare = WSGIHandler()
    cells = [f"{_time(bare, req, args.requests, args.rounds):.0f}" for req in paths.values()]
    settings.MIDDLEWARE = full
    print("| (none at all: µs per request) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
