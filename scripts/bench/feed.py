#!/usr/bin/env python
"""`make bench BENCH_FEED=1`: the feed at scale, in MariaDB and Redis (issue 17).

Seeds (once; reused when the rows are there) a big author with --followers followers (default
100,000), 1,000 small authors with a few live articles each, and a reader who follows all of
them plus 3 big authors. Then, in this process, with the real services:

1. publish latency: ``article_publish`` by the big author vs. by an author nobody follows
   (median of --runs each, alternating; the fan-out is only queued: a real broker, purged after);
2. push: the big author under the threshold (raised for the bench), every follower's inbox
   existing, the fan-out task's work (``relations.feed.fanout``) timed, and the Redis memory
   of the inboxes (MEMORY USAGE of a sample, extrapolated);
3. pull: the same author above the threshold, a follower's first feed page, vs. the same
   page served from a pushed inbox;
4. the reader following 1,000 authors (3 above the threshold) reads the first feed page,
   vs. the bare baseline query (the newest page of one author's live articles, by primary keys
   only): the ratio of their throughputs.

Figures are ratios measured side by side on this machine; the absolute numbers are for scale.
Environment: BENCH_FEED_DATABASE_URL (default mysql://root@127.0.0.1:3306/tinybook_feedbench),
BENCH_FEED_REDIS_URL (default redis://127.0.0.1:6379/9, keys under the prefix "tbfeed"),
BENCH_FEED_BROKER_URL (default redis://127.0.0.1:6379/10).
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
DB_URL = os.environ.get("BENCH_FEED_DATABASE_URL", "mysql://root@127.0.0.1:3306/tinybook_feedbench")
ENV = {
    "DATABASE_URL": DB_URL,
    "REDIS_URL": os.environ.get("BENCH_FEED_REDIS_URL", "redis://127.0.0.1:6379/9"),
    "REDIS_KEY_PREFIX": "tbfeed",
    "CELERY_BROKER_URL": os.environ.get("BENCH_FEED_BROKER_URL", "redis://127.0.0.1:6379/10"),
    "CELERY_TASK_ALWAYS_EAGER": "0",
    "TINYBOOK_SECRET_KEY": "bench-only-fake-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "TINYBOOK_DEBUG": "0",
    "LOG_LEVEL": "WARNING",
    "SLOW_QUERY_MS": "60000",
}
CHUNK = 10_000
SMALL_AUTHORS = 1000
BIG_AUTHORS = 3


def _django():
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinybook.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _database(sql: str) -> None:
    import MySQLdb

    url = urlsplit(DB_URL)
    conn = MySQLdb.connect(host=url.hostname, port=url.port or 3306, user=url.username or "root",
                           passwd=url.password or "")
    conn.cursor().execute(sql.format(name=url.path.lstrip("/")))
    conn.close()


def seed(followers: int) -> dict:
    _database("CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4")
    _django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from articles.models import Article, ArticleStatus, LiveArticle
    from relations.models import Follow, FollowCounter
    from users.models import User

    call_command("migrate", verbosity=0)
    names = {"big": "feedbench-big@example.com", "lonely": "feedbench-lonely@example.com",
             "reader": "feedbench-reader@example.com"}
    if User.objects.filter(email=names["reader"]).exists():
        print("seed: already there")
    else:
        started = time.monotonic()
        users = {k: User.objects.create(email=v, nickname=k).pk for k, v in names.items()}
        bigs = [User.objects.create(email=f"feedbench-big{n}@example.com", nickname=f"big{n}").pk
                for n in range(BIG_AUTHORS)]
        first = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        with connection.cursor() as cur:
            # Followers of the big author (also the audience of the 3 other big authors).
            cols = ("id, password, email, wechat_union_id, nickname, about_me, is_active, is_staff, is_superuser, "
                    "date_joined, updated_at")
            sql = f"INSERT INTO {User._meta.db_table} ({cols}) VALUES (%s, '!', %s, '', '', '', 1, 0, 0, %s, %s)"  # noqa: S608
            now = timezone.now().replace(tzinfo=None)
            total = followers + SMALL_AUTHORS
            for start in range(first, first + total, CHUNK):
                cur.executemany(sql, [(i, f"feedbench{i}@example.com", now, now)
                                      for i in range(start, min(start + CHUNK, first + total))])
        fans = list(range(first, first + followers))
        smalls = list(range(first + followers, first + total))
        rows = [Follow(follower_id=f, followee_id=users["big"]) for f in fans]
        rows += [Follow(follower_id=f, followee_id=b) for b in bigs for f in fans[:2000]]
        rows += [Follow(follower_id=users["reader"], followee_id=a) for a in [*smalls[: SMALL_AUTHORS - 3], *bigs]]
        for i in range(0, len(rows), CHUNK):
            Follow.objects.bulk_create(rows[i : i + CHUNK])
        counts = {users["big"]: (followers, 0), users["reader"]: (0, SMALL_AUTHORS)}
        counts.update({b: (2000, 0) for b in bigs})
        counts.update({a: (1, 0) for a in smalls[: SMALL_AUTHORS - 3]})
        FollowCounter.objects.bulk_create([FollowCounter(user_id=u, follower_cnt=a, followee_cnt=b)
                                           for u, (a, b) in counts.items()], batch_size=CHUNK)
        # 5 live articles per small and big author, over the last 30 days.
        now = timezone.now()  # aware, for the ORM
        articles, lives = [], []
        for n, author in enumerate([*smalls, *bigs]):
            for k in range(5):
                when = now - timedelta(minutes=(n * 5 + k) * 7)
                articles.append(Article(author_id=author, title=f"a{n}.{k}", content="<p>x</p>", abstract="x",
                                        status=ArticleStatus.PUBLISHED, ctime=when, utime=when))
        Article.objects.bulk_create(articles, batch_size=CHUNK)
        for a in articles:
            lives.append(LiveArticle(id=a.pk, author_id=a.author_id, title=a.title, content=a.content,
                                     abstract=a.abstract, status=ArticleStatus.PUBLISHED, ctime=a.ctime,
                                     utime=a.utime, published_at=a.ctime))
        LiveArticle.objects.bulk_create(lives, batch_size=CHUNK)
        print(f"seed: {followers} followers, {SMALL_AUTHORS} authors, {len(lives)} live articles "
              f"in {time.monotonic() - started:.1f} s")
    return {k: User.objects.get(email=v).pk for k, v in names.items()}


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _throughput(fn, seconds: float) -> float:
    n, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        fn()
        n += 1
    return n / (time.perf_counter() - started)


def measure(ids: dict, runs: int, followers: int) -> dict:
    from django.conf import settings

    from articles import selectors as articles
    from articles import services as publishing
    from relations import feed
    from relations.models import Follow
    from tinybook import kv
    from tinybook.celery import app as celery_app

    conn = kv.client()
    out: dict = {"followers": followers}

    def publish(author):
        return lambda: publishing.article_publish(author_id=author, title="bench", content="<p>bench</p>")

    # 1. Publish latency, the big author under the threshold (the fan-out is queued, not run).
    settings.FEED_PUSH_MAX_FOLLOWERS = followers * 2
    big, lonely = [], []
    for _ in range(runs):
        big.append(_median_ms(publish(ids["big"]), 1))
        lonely.append(_median_ms(publish(ids["lonely"]), 1))
    out["publish_ms_followed"] = round(statistics.median(big), 2)
    out["publish_ms_unfollowed"] = round(statistics.median(lonely), 2)
    out["publish_ratio"] = round(statistics.median(big) / statistics.median(lonely), 2)
    celery_app.control.purge()

    # 2. Push: every follower's inbox exists (built marker), then one fan-out, timed.
    fans = list(Follow.objects.filter(followee_id=ids["big"]).values_list("follower_id", flat=True))
    for i in range(0, len(fans), CHUNK):
        pipe = conn.pipeline(transaction=False)
        for f in fans[i : i + CHUNK]:
            pipe.delete(kv.feed_inbox_key(f))
            pipe.zadd(kv.feed_inbox_key(f), {feed.BUILT: "+inf"})
        pipe.execute()
    article = publishing.article_publish(author_id=ids["big"], title="pushed", content="<p>p</p>")
    celery_app.control.purge()
    started = time.perf_counter()
    pushed = feed.fanout(article_id=article, author_id=ids["big"])
    out["fanout_seconds"] = round(time.perf_counter() - started, 2)
    out["fanout_inboxes"] = pushed
    out["fanout_batch_size"] = settings.FEED_FANOUT_BATCH_SIZE
    sample = fans[:: max(1, len(fans) // 1000)]
    per_inbox = statistics.mean(conn.memory_usage(kv.feed_inbox_key(f)) or 0 for f in sample)
    out["inbox_bytes_one_article"] = round(per_inbox)
    out["inboxes_mb_one_article"] = round(per_inbox * len(fans) / 2**20, 1)
    full = fans[0]
    feed.inbox_rebuild(full)
    pairs = {str(10**9 + n): n for n in range(settings.FEED_INBOX_SIZE)}
    conn.zadd(kv.feed_inbox_key(full), pairs)
    out["inbox_bytes_full"] = conn.memory_usage(kv.feed_inbox_key(full))
    feed.inbox_rebuild(full)

    # 3. A follower's first page: pushed (from the inbox) vs. pulled (the author above the threshold).
    reader = fans[1]
    feed.inbox_rebuild(reader)
    page = lambda: feed.feed_page(user_id=reader, before=None, limit=10)  # noqa: E731
    pushed_rps = _throughput(page, 3)
    settings.FEED_PUSH_MAX_FOLLOWERS = followers - 1
    feed.inbox_rebuild(reader)
    pulled_rps = _throughput(page, 3)
    out["follower_page_pushed_per_s"] = round(pushed_rps)
    out["follower_page_pulled_per_s"] = round(pulled_rps)
    out["pull_vs_push_ratio"] = round(pulled_rps / pushed_rps, 2)

    # 4. The reader following 1,000 authors, 3 above the threshold (2,000 followers each).
    settings.FEED_PUSH_MAX_FOLLOWERS = 1000
    feed.inbox_rebuild(ids["reader"])
    one = Follow.objects.filter(follower_id=ids["reader"]).values_list("followee_id", flat=True).first()
    bare = lambda: articles.articles_live_for_author(author_id=one, offset=0, limit=10)  # noqa: E731
    reader_page = lambda: feed.feed_items(user_id=ids["reader"], before=None, limit=10)  # noqa: E731
    ratios = []
    for _ in range(3):
        ratios.append(_throughput(reader_page, 2) / _throughput(bare, 2))
    out["reader_1000_first_page_ratio"] = round(statistics.median(ratios), 2)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--followers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database at the end")
    args = parser.parse_args()
    ids = seed(args.followers)
    result = measure(ids, args.runs, args.followers)
    print(json.dumps(result))
    from tinybook import kv

    conn = kv.client()
    for key in conn.scan_iter(match=f"{ENV['REDIS_KEY_PREFIX']}:*", count=10_000):
        conn.delete(key)
    if args.drop:
        _database("DROP DATABASE IF EXISTS `{name}`")


if __name__ == "__main__":
    main()
