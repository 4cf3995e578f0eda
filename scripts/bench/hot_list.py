#!/usr/bin/env python
"""`make bench BENCH_HOT=1`: the hot-list computation over 1,000,000 live articles in MariaDB.

Seeds (once; reused when the rows are there) live articles spread over twice the hot
window and counters for a fraction of them, with multi-row INSERTs, then runs the real
job (``ranking.services.hot_list_refresh``, lock included) in a fresh process and prints
its wall time and peak memory (``ru_maxrss``) next to the same process's memory before
the run. ``--drop`` removes the database afterwards.

Environment: BENCH_HOT_DATABASE_URL (default mysql://root@127.0.0.1:3306/tinybook_rankbench),
BENCH_HOT_REDIS_URL (default redis://127.0.0.1:6379/9).
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
DB_URL = os.environ.get("BENCH_HOT_DATABASE_URL", "mysql://root@127.0.0.1:3306/tinybook_rankbench")
ENV = {
    "DATABASE_URL": DB_URL,
    "REDIS_URL": os.environ.get("BENCH_HOT_REDIS_URL", "redis://127.0.0.1:6379/9"),
    "REDIS_KEY_PREFIX": "tbbench",
    "CELERY_BROKER_URL": "memory://",
    "TINYBOOK_SECRET_KEY": "bench-only-fake-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "TINYBOOK_DEBUG": "0",
    "LOG_LEVEL": "WARNING",
    "SLOW_QUERY_MS": "60000",  # the seeding INSERTs are slow by design
}
CHUNK = 10_000


def _django():
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinybook.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _create_database():
    import MySQLdb

    url = urlsplit(DB_URL)
    conn = MySQLdb.connect(host=url.hostname, port=url.port or 3306, user=url.username or "root",
                           passwd=url.password or "")
    conn.cursor().execute(f"CREATE DATABASE IF NOT EXISTS `{url.path.lstrip('/')}` CHARACTER SET utf8mb4")
    conn.close()


def seed(articles: int, liked_fraction: float) -> None:
    _create_database()
    _django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from articles.models import LiveArticle
    from interactions.models import BIZ_ARTICLE, Counter
    from users.models import User

    call_command("migrate", verbosity=0)
    have = LiveArticle.objects.count()
    if have >= articles:
        print(f"seed: {have} live articles already there")
        return
    started = time.monotonic()
    LiveArticle.objects.all().delete()
    Counter.objects.all().delete()
    authors = [User.objects.get_or_create(email=f"bench{n}@example.com", defaults={"nickname": f"b{n}"})[0].pk
               for n in range(100)]
    now = timezone.now().replace(tzinfo=None)  # naive UTC, as the database stores it
    span = 2 * settings.HOT_WINDOW_DAYS * 86400  # half the rows fall outside the window
    rng = random.Random(8)
    # Table names come from our own models, never from input.
    live_cols = "id, author_id, title, content, abstract, status, ctime, utime, published_at"
    live_sql = f"INSERT INTO {LiveArticle._meta.db_table} ({live_cols}) VALUES (%s, %s, %s, '', %s, 2, %s, %s, %s)"  # noqa: S608
    counter_cols = "biz, biz_id, read_cnt, like_cnt, collect_cnt, ctime, utime"
    counter_sql = f"INSERT INTO {Counter._meta.db_table} ({counter_cols}) VALUES (%s, %s, %s, %s, %s, %s, %s)"  # noqa: S608
    with connection.cursor() as cur:
        for start in range(1, articles + 1, CHUNK):
            rows, counters = [], []
            for article_id in range(start, min(start + CHUNK, articles + 1)):
                published = now - timedelta(seconds=rng.randrange(span))
                rows.append((article_id, rng.choice(authors), f"Article {article_id}",
                             f"Abstract of article {article_id}", published, published, published))
                if rng.random() < liked_fraction:
                    likes = int(rng.paretovariate(1.2))  # a few articles get most likes
                    counters.append((BIZ_ARTICLE, article_id, likes * 3, likes, likes // 4, now, now))
            cur.executemany(live_sql, rows)  # mysqlclient sends one multi-row INSERT per call
            if counters:
                cur.executemany(counter_sql, counters)
    print(f"seed: {articles} live articles, {Counter.objects.count()} counters "
          f"in {time.monotonic() - started:.1f} s")


def compute() -> None:
    """Runs in its own process so ru_maxrss is this run's, not the seeding's."""
    _django()
    from django.conf import settings

    from ranking import services
    from tinybook import kv

    kv.client().delete(kv.hot_lock_key())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    outcome = services.hot_list_refresh(trigger="bench")
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    items = json.loads(kv.client().get(kv.hot_list_key()) or b"[]")
    print(json.dumps({"outcome": outcome, "seconds": round(seconds, 2), "rss_before_mb": round(before / 1024, 1),
                      "peak_rss_mb": round(peak / 1024, 1), "items": len(items),
                      "batch_size": settings.HOT_BATCH_SIZE, "timeout": settings.HOT_JOB_TIMEOUT}))


def drop() -> None:
    import MySQLdb

    url = urlsplit(DB_URL)
    conn = MySQLdb.connect(host=url.hostname, port=url.port or 3306, user=url.username or "root",
                           passwd=url.password or "")
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{url.path.lstrip('/')}`")
    conn.close()
    print("dropped", url.path.lstrip("/"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--liked-fraction", type=float, default=0.2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database at the end")
    parser.add_argument("--compute-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compute_only:
        compute()
        return
    seed(args.articles, args.liked_fraction)
    results = []
    for _ in range(args.runs):
        proc = subprocess.run([sys.executable, __file__, "--compute-only"], cwd=ROOT, env={**os.environ, **ENV},
                              capture_output=True, text=True, check=True)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print("run:", results[-1])
    failed = [r for r in results if r["outcome"] != "success"]
    if failed:
        sys.exit(f"runs did not succeed: {failed} (another process flushing this Redis db, or over the timeout)")
    best = min(r["seconds"] for r in results)
    print(f"hot list over {args.articles} live articles: best {best:.2f} s, "
          f"peak RSS {max(r['peak_rss_mb'] for r in results)} MB "
          f"(process before the run {results[0]['rss_before_mb']} MB)")
    if args.drop:
        drop()


if __name__ == "__main__":
    main()
