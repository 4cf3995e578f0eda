"""The read-event consumer: exact counts, replays, take-over, fencing, failures, a killed process."""

import os
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
from prometheus_client import REGISTRY

from interactions import cache
from interactions.consumer import FencedError, ReadConsumer
from interactions.models import BIZ_ARTICLE, Counter
from interactions.tests.helpers import published_article
from tinybook import kv

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _stream_mode(settings):
    settings.READ_EVENTS_INLINE = False  # views go to the stream, as in the services profile
    settings.READ_EVENTS_BATCH_WAIT_MS = 50


def _events(*article_ids):
    conn = kv.client()
    for article_id in article_ids:
        conn.xadd(kv.read_stream_key(), {"biz": BIZ_ARTICLE, "id": str(article_id)})


def _reads(article_id):
    return Counter.objects.filter(biz_id=article_id).values_list("read_cnt", flat=True).first() or 0


def _pending():
    return kv.client().xpending(kv.read_stream_key(), "counters")["pending"]


def _until_idle(consumer, rounds=3):
    total, idle = 0, 0
    while idle < rounds:
        counted = consumer.step()
        total += counted
        idle = 0 if counted else idle + 1
    return total


def _lease_lost():
    """The leader's lease expires (it stalled): the next consumer may take over."""
    kv.client().delete(kv.read_consumer_lease_key(kv.read_stream_key(), "counters"))


def test_a_batch_is_counted_exactly_and_acknowledged():
    a, b = published_article(), published_article()
    consumer = ReadConsumer(name="one")
    consumer.ensure_group()
    _events(a, b, a, a)
    assert _until_idle(consumer) == 4
    assert (_reads(a), _reads(b)) == (3, 1)
    assert _pending() == 0


def test_the_counts_cache_is_incremented_only_when_present():
    a, b = published_article(), published_article()
    cache.counts_fill_many(BIZ_ARTICLE, {a: {"read_cnt": 0, "like_cnt": 0, "collect_cnt": 0}})
    consumer = ReadConsumer(name="one")
    consumer.ensure_group()
    _events(a, b, b)
    _until_idle(consumer)
    assert kv.client().hget(kv.counts_key(BIZ_ARTICLE, a), "read_cnt") == b"1"
    assert not kv.client().exists(kv.counts_key(BIZ_ARTICLE, b))  # never a partial hash


def test_a_replayed_batch_is_not_counted_twice():
    a = published_article()
    consumer = ReadConsumer(name="one")
    consumer.ensure_group()
    consumer.step()  # take over
    _events(a, a)
    batch = consumer.read_batch()
    assert consumer.apply(batch) == 2
    # As after a crash between the commit and the XACK: the same entries come again.
    assert consumer.apply(batch) == 0
    assert _reads(a) == 2


def test_a_new_consumer_applies_the_pending_events_of_a_crashed_one():
    a = published_article()
    crashed = ReadConsumer(name="crashed")
    crashed.ensure_group()
    crashed.step()
    _events(a, a, a)
    assert len(crashed.read_batch()) == 3  # delivered, then the process dies before applying
    _lease_lost()
    heir = ReadConsumer(name="heir")
    _until_idle(heir)
    assert _reads(a) == 3
    assert _pending() == 0


def test_a_fenced_off_leader_loses_no_event_it_had_read():
    a = published_article()
    old = ReadConsumer(name="old")
    old.ensure_group()
    old.step()
    _lease_lost()
    new = ReadConsumer(name="new")
    new.step()  # takes over; nothing is pending yet
    _events(a, a, a, a, a)
    stale = old.read_batch()  # the old leader still believes it leads, and reads
    assert len(stale) == 5
    with pytest.raises(FencedError):
        old.apply(stale)  # refused by the cursor's owner fence
    _events(a, a)  # newer events: the new leader must not move past the stale ones
    _until_idle(new)
    assert _reads(a) == 7
    assert _pending() == 0


def test_malformed_events_are_skipped_without_stopping_the_consumer():
    a = published_article()
    consumer = ReadConsumer(name="one")
    consumer.ensure_group()
    kv.client().xadd(kv.read_stream_key(), {"biz": BIZ_ARTICLE, "id": "not-a-number"})
    kv.client().xadd(kv.read_stream_key(), {"nothing": "useful"})
    _events(a)
    _until_idle(consumer)
    assert _reads(a) == 1
    assert _pending() == 0


def test_redis_away_fails_rounds_but_not_the_consumer(settings):
    from articles.tests.conftest import REDIS_DOWN

    settings.READ_EVENTS_RETRY_WAIT_MS = 20
    settings.CACHES = {**settings.CACHES, "default": REDIS_DOWN}
    before = REGISTRY.get_sample_value("tinybook_read_event_consume_failures_total") or 0
    consumer = ReadConsumer(name="patient")
    stopper = threading.Timer(1.0, lambda: setattr(consumer, "stopping", True))
    stopper.start()
    consumer.run()  # returns when told to stop, not with an exception
    stopper.join()
    assert (REGISTRY.get_sample_value("tinybook_read_event_consume_failures_total") or 0) >= before + 2


# --- a real consume_events process, killed mid-stream (services profile) ---------------------

services_only = pytest.mark.skipif(
    not django_settings.SERVICES, reason="separate processes share no database or Redis in the embedded profile"
)


def _process_env():
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    url = urlsplit(env["DATABASE_URL"])
    env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    env.update(READ_EVENTS_INLINE="0", READ_EVENTS_BATCH_SIZE="10", READ_EVENTS_BATCH_WAIT_MS="50",
               READ_EVENTS_CLAIM_IDLE_MS="1500")
    return env


def _consume_events(*extra):
    return subprocess.Popen([sys.executable, "manage.py", "consume_events", *extra], cwd=ROOT, env=_process_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@services_only
def test_a_consumer_process_killed_mid_stream_loses_and_doubles_no_read():
    ids = [published_article() for _ in range(3)]
    events = [ids[n % 3] for n in range(9000)]  # hundreds of batches: the kill lands mid-stream
    _events(*events)
    first = _consume_events("--name", "first")
    try:
        deadline = time.monotonic() + 60
        while sum(_reads(i) for i in ids) < 200:  # well under way …
            assert first.poll() is None, first.stderr.read()
            assert time.monotonic() < deadline, "the consumer applied nothing"
            time.sleep(0.01)
        os.kill(first.pid, signal.SIGKILL)  # … and killed, most likely inside a batch
    finally:
        first.wait(timeout=30)
        first.stderr.close()
    assert sum(_reads(i) for i in ids) < 9000

    second = _consume_events("--name", "second", "--exit-when-idle", "20")
    _, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert [_reads(i) for i in ids] == [3000, 3000, 3000]
    assert _pending() == 0


def test_an_idle_stream_longer_than_the_socket_timeout_is_not_a_failure(settings):
    settings.READ_EVENTS_BATCH_WAIT_MS = int(settings.REDIS_SOCKET_TIMEOUT * 1000 * 2.5)
    before = REGISTRY.get_sample_value("tinybook_read_event_consume_failures_total") or 0
    consumer = ReadConsumer(name="idle")
    stopper = threading.Timer(settings.READ_EVENTS_BATCH_WAIT_MS / 1000 * 2, lambda: setattr(consumer, "stopping", True))
    stopper.start()
    consumer.run()
    stopper.join()
    assert (REGISTRY.get_sample_value("tinybook_read_event_consume_failures_total") or 0) == before
