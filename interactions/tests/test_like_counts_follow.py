"""The like counter follows the like records through the consumer (docs/interactions.md): a like
writes its record only, readers see the count at once, the counter moves exactly once per change
— with likes racing, the consumer killed, Redis flushed."""

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection

from interactions import cache, services
from interactions.consumer import ReadConsumer
from interactions.models import BIZ_ARTICLE, Counter, Like
from interactions.tests.helpers import consumer_caught_up, published_article
from tinybook import kv
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]

services_only = pytest.mark.skipif(
    not django_settings.SERVICES, reason="separate processes and threads need the services profile (MariaDB)"
)


@pytest.fixture(autouse=True)
def _stream_mode(settings):
    settings.READ_EVENTS_INLINE = False  # as in the services profile: the consumer applies
    settings.READ_EVENTS_BATCH_WAIT_MS = 20


def _counter(article_id):
    return Counter.objects.filter(biz_id=article_id).values_list("like_cnt", flat=True).first() or 0


def _live(article_id):
    return Like.objects.filter(biz_id=article_id, status=True).count()


def _ranked(article_id):
    return dict(cache.ranking_top(BIZ_ARTICLE, 0, -1) or []).get(article_id, 0)


def _assert_exact(article_id):
    live = _live(article_id)
    assert not Like.objects.filter(pending=True).exists()
    assert _counter(article_id) == live
    cached = cache.counts_get_many(BIZ_ARTICLE, [article_id]).get(article_id)
    assert cached is None or cached["like_cnt"] == live
    assert _ranked(article_id) == live


def test_readers_see_a_like_at_once_and_the_consumer_counts_it_once(auth_api):
    aid = published_article()
    assert auth_api.get(f"/articles/pub/{aid}").json()["data"]["likeCnt"] == 0  # the counts are cached
    assert auth_api.post("/articles/pub/like", {"id": aid, "like": True}, format="json").json()["code"] == 0
    assert auth_api.get(f"/articles/pub/{aid}").json()["data"]["likeCnt"] == 1
    assert _counter(aid) == 0  # not locked, not written: the record alone
    assert consumer_caught_up() >= 1
    assert _counter(aid) == 1
    consumer_caught_up()  # nothing is counted twice
    assert _counter(aid) == 1
    assert auth_api.get(f"/articles/pub/{aid}").json()["data"]["likeCnt"] == 1
    _assert_exact(aid)


def test_a_like_taken_back_before_the_consumer_ran_leaves_the_count(auth_api):
    aid = published_article()
    for like in (True, False, True, False):
        auth_api.post("/articles/pub/like", {"id": aid, "like": like}, format="json")
    consumer_caught_up()
    assert _counter(aid) == 0
    _assert_exact(aid)


def test_the_counts_cache_and_ranking_are_rebuilt_from_the_records_after_a_redis_flush(auth_api):
    aid = published_article()
    fans = UserFactory.create_batch(3)
    for fan in fans:
        services.like_set(user_id=fan.id, biz_id=aid, liked=True)
    consumer_caught_up()
    services.like_set(user_id=fans[0].id, biz_id=aid, liked=False)  # changes the counter has not taken in
    services.like_set(user_id=UserFactory.create().id, biz_id=aid, liked=True)
    kv.client().flushdb()  # Redis loses the counts cache, the ranking and the stream
    assert auth_api.get(f"/articles/pub/{aid}").json()["data"]["likeCnt"] == 3  # the live count, at once
    top = auth_api.get("/ranking/likes?n=5").json()["data"]  # rebuilds the ranking
    assert [(a["id"], a["likeCnt"]) for a in top] == [(aid, 3)]
    consumer_caught_up()  # the group is recreated; the pending records are still in the database
    _assert_exact(aid)
    assert auth_api.get(f"/articles/pub/{aid}").json()["data"]["likeCnt"] == 3


@services_only
def test_likes_and_unlikes_racing_with_a_running_consumer_stay_exact():
    aid = published_article()
    users = UserFactory.create_batch(8)
    services.like_ranking_top(n=1)  # the ranking is built: every change goes into it
    consumer = ReadConsumer(name="racing")
    consumer.ensure_group()
    running = threading.Thread(target=lambda: (consumer.run(), connection.close()))
    running.start()
    barrier = threading.Barrier(len(users))
    errors = []

    def toggle(user, seed):
        rng = random.Random(seed)
        try:
            barrier.wait()
            for _ in range(15):
                services.like_set(user_id=user.id, biz_id=aid, liked=rng.random() < 0.6)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=toggle, args=(u, n)) for n, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    consumer.stopping = True
    running.join(timeout=30)
    assert errors == []
    consumer_caught_up()
    _assert_exact(aid)


def _process_env():
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    url = urlsplit(env["DATABASE_URL"])
    env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    env.update(READ_EVENTS_INLINE="0", LIKE_COUNTS_BATCH_SIZE="5", READ_EVENTS_BATCH_WAIT_MS="50",
               READ_EVENTS_CLAIM_IDLE_MS="1500")
    return env


def _consume_events(*extra):
    return subprocess.Popen([sys.executable, "manage.py", "consume_events", *extra], cwd=ROOT, env=_process_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@services_only
def test_a_consumer_killed_while_applying_likes_loses_and_doubles_none():
    ids = [published_article() for _ in range(10)]
    fans = UserFactory.create_batch(40)
    for article_id in ids:
        for fan in fans:
            services.like_set(user_id=fan.id, biz_id=article_id, liked=True)  # 400 changes, 80 batches
    first = _consume_events("--name", "first")
    try:
        deadline = time.monotonic() + 60
        while sum(_counter(i) for i in ids) < 40:  # under way …
            assert first.poll() is None, first.stderr.read()
            assert time.monotonic() < deadline, "the consumer applied nothing"
            time.sleep(0.01)
        os.kill(first.pid, signal.SIGKILL)  # … and killed, most likely between or inside batches
    finally:
        first.wait(timeout=30)
        first.stderr.close()
    assert sum(_counter(i) for i in ids) < 400
    second = _consume_events("--name", "second", "--exit-when-idle", "20")
    _, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert [_counter(i) for i in ids] == [40] * 10
    assert not Like.objects.filter(pending=True).exists()


def test_the_embedded_profile_counts_in_the_request(settings, user):
    settings.READ_EVENTS_INLINE = True  # no consumer there
    aid = published_article()
    assert services.like_set(user_id=user.id, biz_id=aid, liked=True)
    assert _counter(aid) == 1
    assert not Like.objects.filter(pending=True).exists()
