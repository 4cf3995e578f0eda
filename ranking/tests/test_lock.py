"""Exactly one worker computes: the token lock, its renewal, expiry on crash, abandonment."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from prometheus_client import REGISTRY

from articles.models import ArticleStatus, LiveArticle
from ranking import selectors, services
from ranking.lock import HeldLock
from tinybook import kv
from users.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _runs(outcome):
    return REGISTRY.get_sample_value("tinybook_hot_list_job_runs_total", {"outcome": outcome}) or 0


def _other_worker_lock(ttl=30.0):
    return HeldLock(key=kv.hot_lock_key(), ttl=ttl, deadline=float("inf"))


def test_a_held_lock_makes_the_run_skip_and_store_nothing(publish):
    publish("x", likes=2)
    other = _other_worker_lock()
    assert other.acquire()
    before = _runs("skipped_locked")

    assert services.hot_list_refresh() == "skipped_locked"
    assert _runs("skipped_locked") - before == 1
    assert kv.client().get(kv.hot_list_key()) is None
    assert other.still_held()


def test_a_lock_left_by_a_crashed_holder_expires_and_the_next_run_computes(publish):
    publish("x", likes=2)
    crashed = _other_worker_lock(ttl=0.3)
    assert crashed.acquire()  # never renewed, never released: its process died
    assert services.hot_list_refresh() == "skipped_locked"

    time.sleep(0.5)
    assert services.hot_list_refresh() == "success"
    assert len(selectors.hot_list()) == 1


def test_renewal_keeps_the_lock_past_its_lifetime_and_release_frees_it():
    lock = _other_worker_lock(ttl=0.3)
    assert lock.acquire()
    lock.start_renewing()
    time.sleep(1.0)
    assert lock.still_held()
    lock.release()
    assert kv.client().get(kv.hot_lock_key()) is None


def test_a_holder_told_to_yield_stops_renewing_and_the_lock_expires():
    lock = HeldLock(key=kv.hot_lock_key(), ttl=0.3, deadline=float("inf"), should_yield=lambda: True)
    assert lock.acquire()
    lock.start_renewing()
    time.sleep(0.5)
    assert lock.stop_reason == "yielded"
    assert kv.client().get(kv.hot_lock_key()) is None
    lock.release()


def test_a_holder_past_its_deadline_stops_renewing():
    lock = HeldLock(key=kv.hot_lock_key(), ttl=0.3, deadline=time.monotonic())
    assert lock.acquire()
    lock.start_renewing()
    time.sleep(0.5)
    assert lock.stop_reason == "abandoned"
    assert kv.client().get(kv.hot_lock_key()) is None
    lock.release()


def test_release_never_deletes_a_lock_someone_else_took_after_expiry():
    first = _other_worker_lock(ttl=0.2)
    assert first.acquire()
    time.sleep(0.3)
    second = _other_worker_lock()
    assert second.acquire()

    first.release()
    assert second.still_held()


def test_a_run_over_the_job_timeout_is_abandoned_counted_and_stores_nothing(publish, settings):
    publish("x", likes=2)
    settings.HOT_JOB_TIMEOUT = 0
    before = _runs("abandoned")

    assert services.hot_list_refresh() == "abandoned"
    assert _runs("abandoned") - before == 1
    assert kv.client().get(kv.hot_list_key()) is None
    assert kv.client().get(kv.hot_lock_key()) is None  # released for the next run


def test_successful_run_records_duration_and_last_success(publish):
    publish("x", likes=2)
    count_before = REGISTRY.get_sample_value("tinybook_hot_list_job_seconds_count", {"outcome": "success"}) or 0
    started = time.time()

    assert services.hot_list_refresh() == "success"
    assert REGISTRY.get_sample_value("tinybook_hot_list_job_seconds_count", {"outcome": "success"}) == count_before + 1
    assert REGISTRY.get_sample_value("tinybook_hot_list_last_success_timestamp_seconds") >= int(started)


def test_refresh_command_prints_the_outcome(publish, capsys):
    from django.core.management import call_command

    publish("x", likes=2)
    call_command("refresh_hot_list")
    assert capsys.readouterr().out.strip() == "success"


# --- real worker processes (they need the shared MariaDB and Redis of the services profile) ---

services_only = pytest.mark.skipif(
    not django_settings.SERVICES, reason="separate processes share no database or Redis in the embedded profile"
)


def _worker_env(**overrides):
    env = dict(os.environ)
    env.pop("PYTEST_CURRENT_TEST", None)
    url = urlsplit(env["DATABASE_URL"])
    # The subprocess must read the test database this test wrote to.
    env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    env.update(overrides)
    return env


def _seed_live_articles(count):
    author = UserFactory.create()
    now = timezone.now()
    LiveArticle.objects.bulk_create(
        [
            LiveArticle(id=10_000 + n, author=author, title=f"t{n}", content="", abstract=f"a{n}",
                        status=ArticleStatus.PUBLISHED, ctime=now, utime=now,
                        published_at=now - timedelta(minutes=n))
            for n in range(count)
        ],
        batch_size=1000,
    )


def _start_worker(env):
    return subprocess.Popen([sys.executable, "manage.py", "refresh_hot_list"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@services_only
@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_competing_for_the_lock_compute_once():
    # One row per batch makes each run last seconds, so the two runs overlap.
    _seed_live_articles(3000)
    env = _worker_env(HOT_BATCH_SIZE="1")
    workers = [_start_worker(env), _start_worker(env)]
    outputs = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outputs.append(out.strip().splitlines()[-1])

    assert sorted(outputs) == ["skipped_locked", "success"]
    assert len(selectors.hot_list()) == django_settings.HOT_LIST_SIZE


@services_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_holding_the_lock_lets_the_next_run_compute_after_expiry():
    _seed_live_articles(3000)
    worker = _start_worker(_worker_env(HOT_BATCH_SIZE="1", HOT_LOCK_TTL="2"))
    conn = kv.client()
    try:
        deadline = time.monotonic() + 60
        while conn.get(kv.hot_lock_key()) is None:
            assert worker.poll() is None, worker.stderr.read()
            assert time.monotonic() < deadline, "the worker never took the lock"
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
        worker.stdout.close()
        worker.stderr.close()

    assert conn.get(kv.hot_list_key()) is None  # it died before storing
    assert services.hot_list_refresh() == "skipped_locked"  # its lock outlives it …
    time.sleep(2.5)  # … for at most HOT_LOCK_TTL
    assert services.hot_list_refresh() == "success"
    assert len(selectors.hot_list()) == django_settings.HOT_LIST_SIZE
