#!/usr/bin/env python
"""`make bench BENCH_SEARCH=1`: search over 100,000 live articles of mixed English and Chinese text.

Seeds (once; reused when the rows are there) live articles with HTML content drawn from an
English and a Chinese vocabulary, then:
1. runs ``manage.py search_reindex --kind article`` in a fresh process and prints its wall time
   and peak memory (``ru_maxrss``);
2. serves TinyBook and the bare DRF baseline (scripts/bench/baseline.py) side by side under
   gunicorn and measures ``GET /search?q=redis`` (one word) and ``q=redis 缓存`` (two words,
   English and Chinese), warm, with wrk: req/s, p50, p99 and the ratio to the baseline answer
   of the same size (as ``make bench`` does for every endpoint).
``--drop`` removes the database afterwards.

Environment: BENCH_SEARCH_DATABASE_URL (default mysql://root@127.0.0.1:3306/tinybook_searchbench),
BENCH_SEARCH_REDIS_URL (default redis://127.0.0.1:6379/10).
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from scripts.bench.run import GUNICORN, Stack, measure, wait_up  # noqa: E402

DB_URL = os.environ.get("BENCH_SEARCH_DATABASE_URL", "mysql://root@127.0.0.1:3306/tinybook_searchbench")
ENV = {
    "DATABASE_URL": DB_URL,
    "REDIS_URL": os.environ.get("BENCH_SEARCH_REDIS_URL", "redis://127.0.0.1:6379/10"),
    "REDIS_KEY_PREFIX": "tbsearch",
    "CELERY_BROKER_URL": "memory://",
    "TINYBOOK_SECRET_KEY": "bench-only-fake-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "TINYBOOK_DEBUG": "0",
    "LOG_LEVEL": "WARNING",
    "SLOW_QUERY_MS": "60000",
    "IP_RATE_LIMIT": "0",
}
CHUNK = 2_000
EN = ("redis cache caching database index query latency consistency cluster python django kafka mysql "
      "server replica shard queue worker memory disk network design pattern service deploy monitor log "
      "trace request response thread process lock timeout retry backoff storage stream event").split()
ZH = ("缓存 一致性 分布式 数据库 索引 查询 延迟 集群 服务器 副本 分片 队列 内存 磁盘 网络 实战 设计 架构 性能 "
      "优化 并发 事务 日志 监控 部署 服务 请求 响应 线程 进程 锁 超时 重试 存储 事件 消息 订阅 发布").split()


def _django():
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinybook.settings")
    import django

    django.setup()


def _mysql(sql: str) -> None:
    import MySQLdb

    url = urlsplit(DB_URL)
    conn = MySQLdb.connect(host=url.hostname, port=url.port or 3306, user=url.username or "root",
                           passwd=url.password or "")
    conn.cursor().execute(sql)
    conn.close()


def _vocabulary(rng: random.Random) -> tuple[list[str], list[str]]:
    """Named words (EN, ZH) plus 5,000 made-up ones per language, so that a named word such as
    "redis" or "缓存" is in a few percent of the articles, as a common term of a tech site is."""
    syllables = "ba ce di fo gu ha ke li mo nu pa qi ro su ta vo we xi yu za".split()
    made_en = ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(5000)]
    made_zh = [chr(0x4E00 + rng.randrange(0x5000)) + chr(0x4E00 + rng.randrange(0x5000)) for _ in range(5000)]
    return EN + made_en, ZH + made_zh


def _text(rng: random.Random, vocab: tuple[list[str], list[str]], words: int) -> str:
    out = []
    for _ in range(words):
        english = rng.random() < 0.5
        pool = vocab[0] if english else vocab[1]
        # One word in ten is a named one (of about 40); the rest spread over the made-up ones.
        word = rng.choice(pool[:40]) if rng.random() < 0.1 else rng.choice(pool[40:])
        out.append(f" {word} " if english else word)
    return "".join(out).strip()


def seed(articles: int) -> None:
    _mysql(f"CREATE DATABASE IF NOT EXISTS `{urlsplit(DB_URL).path.lstrip('/')}` CHARACTER SET utf8mb4 "
           "COLLATE utf8mb4_unicode_ci")
    _django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from articles.content import abstract_of
    from articles.models import LiveArticle
    from users.models import User

    call_command("migrate", verbosity=0)
    have = LiveArticle.objects.count()
    if have >= articles:
        print(f"seed: {have} live articles already there")
        return
    started = time.monotonic()
    LiveArticle.objects.all().delete()
    authors = [User.objects.get_or_create(email=f"search{n}@example.com", defaults={"nickname": f"作者{n}"})[0].pk
               for n in range(100)]
    now = timezone.now().replace(tzinfo=None)
    rng = random.Random(18)
    vocab = _vocabulary(rng)
    cols = "id, author_id, title, content, abstract, status, ctime, utime, published_at"
    sql = f"INSERT INTO {LiveArticle._meta.db_table} ({cols}) VALUES (%s, %s, %s, %s, %s, 2, %s, %s, %s)"  # noqa: S608
    with connection.cursor() as cur:
        for start in range(1, articles + 1, CHUNK):
            rows = []
            for article_id in range(start, min(start + CHUNK, articles + 1)):
                content = "".join(f"<p>{_text(rng, vocab, 40)}</p>" for _ in range(4))  # about 1 KB of text
                when = now - timedelta(seconds=rng.randrange(86400 * 90))
                rows.append((article_id, rng.choice(authors), _text(rng, vocab, 5)[:200], content, abstract_of(content),
                             when, when, when))
            cur.executemany(sql, rows)
    print(f"seed: {articles} live articles in {time.monotonic() - started:.1f} s", flush=True)


def reindex() -> None:
    """In its own process, so ru_maxrss is the reindex's."""
    _django()
    from django.conf import settings

    from search import services

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    written = services.reindex("article")
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"written": written, "seconds": round(seconds, 1), "rss_before_mb": round(before / 1024, 1),
                      "peak_rss_mb": round(peak / 1024, 1), "batch_size": settings.SEARCH_REINDEX_BATCH_SIZE}))


def serve_and_measure(args) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TINYBOOK_")}
    env.update(ENV)
    workdir = Path(tempfile.mkdtemp(prefix="tinybook-searchbench-"))
    (workdir / "prom").mkdir()
    env["PROMETHEUS_MULTIPROC_DIR"] = str(workdir / "prom")
    stack, rows = Stack(), []
    try:
        log = open(workdir / "servers.log", "w")
        stack.start([GUNICORN, "-c", "deploy/gunicorn.conf.py", "tinybook.wsgi:application"],
                    {**env, "GUNICORN_BIND": "127.0.0.1:18031", "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "1"}, log)
        stack.start([GUNICORN, "-w", "2", "-b", "127.0.0.1:18032", "scripts.bench.baseline:application"],
                    {k: v for k, v in os.environ.items() if not k.startswith("TINYBOOK_")}, log)
        deadline = time.monotonic() + 120
        wait_up("http://127.0.0.1:18031/healthz", deadline)
        wait_up("http://127.0.0.1:18032/b/100", deadline)
        print(f"\n{'endpoint':<38} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'base r/s':>9} {'ratio':>6}", flush=True)
        for name, q in (("search one word", "redis"), ("search two words", "redis 缓存")):
            path = "/search?" + urllib.parse.urlencode({"q": q, "limit": 10})

            with urllib.request.urlopen("http://127.0.0.1:18031" + path, timeout=30) as resp:  # warm, and its size
                body = resp.read()
            answer = json.loads(body)
            assert answer["code"] == 0 and answer["data"]["items"], answer
            print(f"   {name}: total {answer['data']['total']}", flush=True)
            rows.append(measure(name, "http://127.0.0.1:18031" + path, f"http://127.0.0.1:18032/b/{len(body)}", args))
    finally:
        stack.stop()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--skip-reindex", action="store_true", help="measure the queries over the index as it is")
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database at the end")
    parser.add_argument("--reindex-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reindex_only:
        reindex()
        return
    seed(args.articles)
    if not args.skip_reindex:
        proc = subprocess.run([sys.executable, __file__, "--reindex-only"], cwd=ROOT, env={**os.environ, **ENV},
                              capture_output=True, text=True)
        if proc.returncode:
            sys.exit(f"reindex failed:\n{proc.stderr[-3000:]}")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"search_reindex of {result['written']} articles: {result['seconds']} s, peak RSS "
              f"{result['peak_rss_mb']} MB (process before the run {result['rss_before_mb']} MB, "
              f"batches of {result['batch_size']})", flush=True)
    serve_and_measure(args)
    if args.drop:
        _mysql(f"DROP DATABASE IF EXISTS `{urlsplit(DB_URL).path.lstrip('/')}`")


if __name__ == "__main__":
    main()
