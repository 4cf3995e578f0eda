"""A replayed batch brings the counts cache to the database's truth; dead consumers are pruned
(issue 22, items 11 and 16)."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection
from rest_framework.test import APIClient

from interactions import cache
from interactions.consumer import GROUP, ReadConsumer
from interactions.models import BIZ_ARTICLE, Counter
from interactions.tests.helpers import published_article
from tinybook import kv
from tinybook.tests.faults import TcpProxy, kill_group

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _stream_mode(settings):
    settings.READ_EVENTS_INLINE = False
    settings.READ_EVENTS_BATCH_WAIT_MS = 50


def _events(article_id, n):
    pipe = kv.client().pipeline(transaction=False)
    for _ in range(n):
        pipe.xadd(kv.read_stream_key(), {"biz": BIZ_ARTICLE, "id": str(article_id)})
    pipe.execute()


def _db_reads(article_id):
    return Counter.objects.filter(biz_id=article_id).values_list("read_cnt", flat=True).first() or 0


def _shown_reads(article_id):
    return APIClient().get(f"/articles/pub/{article_id}").json()["data"]["readCnt"]


def test_a_replayed_batch_drops_the_cached_counts_it_never_bumped():
    a = published_article()
    consumer = ReadConsumer(name="one")
    consumer.ensure_group()
    consumer.step()  # take over
    _events(a, 5)
    batch = consumer.read_batch()
    consumer.apply(batch)
    # As a crash between the commit and the cache update leaves it: the database has the five
    # reads, the cache the count from before them.
    cache.counts_fill_many(BIZ_ARTICLE, {a: {"read_cnt": 0, "like_cnt": 0, "collect_cnt": 0}})
    assert _shown_reads(a) == 0
    assert consumer.apply(batch) == 0  # the replay counts nothing …
    assert _shown_reads(a) == _db_reads(a) == 5  # … and readers see the database's truth


def test_pruning_removes_dead_consumers_and_keeps_the_leader(settings):
    settings.READ_EVENTS_CONSUMER_PRUNE_IDLE_MS = 0
    conn = kv.client()
    stream = kv.read_stream_key()
    conn.xgroup_create(stream, GROUP, id="0", mkstream=True)
    for ghost in ("host-101", "host-102", "host-103"):  # processes long gone
        conn.xgroup_createconsumer(stream, GROUP, ghost)
    assert len(conn.xinfo_consumers(stream, GROUP)) == 3
    a = published_article()
    _events(a, 2)
    heir = ReadConsumer(name="heir")
    heir.step()
    names = {c["name"].decode() if isinstance(c["name"], bytes) else c["name"]
             for c in conn.xinfo_consumers(stream, GROUP)}
    assert not names & {"host-101", "host-102", "host-103"}
    assert _db_reads(a) == 2


def test_pruning_keeps_consumers_idle_for_less_than_the_setting():
    conn = kv.client()
    stream = kv.read_stream_key()
    conn.xgroup_create(stream, GROUP, id="0", mkstream=True)
    conn.xgroup_createconsumer(stream, GROUP, "recent")
    ReadConsumer(name="heir").step()
    names = {c["name"].decode() if isinstance(c["name"], bytes) else c["name"]
             for c in conn.xinfo_consumers(stream, GROUP)}
    assert "recent" in names


# --- a real consumer killed after its commit, before its acknowledgement (services profile) ----

def _script_sha(name):
    return hashlib.sha1((ROOT / "tinybook" / "lua" / f"{name}.lua").read_bytes(), usedforsecurity=False).hexdigest().encode()


@pytest.mark.slow
@pytest.mark.skipif(not django_settings.SERVICES or connection.vendor != "mysql",
                    reason="separate processes share no database or Redis in the embedded profile")
def test_a_consumer_killed_between_commit_and_acknowledgement_leaves_readers_converging():
    a = published_article()
    assert _shown_reads(a) == 0  # the counts are cached (and this read is an event too)
    _events(a, 200)
    redis = urlsplit(os.environ["REDIS_URL"])
    proxy = TcpProxy(redis.hostname, redis.port or 6379)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    db = urlsplit(env["DATABASE_URL"])
    env.update(DATABASE_URL=urlunsplit(db._replace(path="/" + connection.settings_dict["NAME"])),
               REDIS_URL=urlunsplit(redis._replace(netloc=f"127.0.0.1:{proxy.port}")),
               READ_EVENTS_INLINE="0", READ_EVENTS_BATCH_SIZE="500", READ_EVENTS_BATCH_WAIT_MS="50",
               READ_EVENTS_CLAIM_IDLE_MS="1500", LOG_LEVEL="WARNING")
    first = subprocess.Popen([sys.executable, "manage.py", "consume_events", "--name", "first"], cwd=ROOT,
                             env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # The batch-done script (acknowledgement + cache update) is only ever sent after the commit:
    # the proxy holds it back and the consumer is killed right there.
    killed = []
    proxy.on_pattern(_script_sha("read_batch_done"), lambda: killed.append(os.killpg(first.pid, signal.SIGKILL)))
    try:
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline:
            time.sleep(0.05)
        assert killed, "the consumer never finished a batch"
    finally:
        kill_group(first)
        proxy.close()
    assert _db_reads(a) == 201  # committed …
    assert _shown_reads(a) == 0  # … but the cache never heard

    # Idle rounds (50 ms each) also count while the killed consumer's lease (READ_EVENTS_CLAIM_IDLE_MS,
    # 1.5 s) has not run out: wait out three leases before calling the stream idle.
    second = subprocess.Popen([sys.executable, "manage.py", "consume_events", "--name", "second",
                               "--exit-when-idle", "90"],
                              cwd=ROOT, env={**env, "REDIS_URL": os.environ["REDIS_URL"]}, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert _db_reads(a) >= 201
    assert _shown_reads(a) == _db_reads(a)  # readers converge on the database's count
