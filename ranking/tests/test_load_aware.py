"""HOT_LOAD_AWARE: a busy node does not compute, unless every node stayed busy too long."""

import time

import pytest

from ranking import services
from tinybook import kv

pytestmark = pytest.mark.django_db


@pytest.fixture
def load_aware(settings, publish):
    settings.HOT_LOAD_AWARE = True
    settings.HOT_LOAD_BUSY_INTERVALS = 3
    publish("x", likes=2)
    return settings


def test_a_quiet_node_computes_and_reports_its_load(load_aware):
    load_aware.HOT_LOAD_THRESHOLD = 1_000
    assert services.hot_list_refresh() == "success"
    assert len(kv.client().hgetall(kv.hot_load_key())) == 1


def test_when_every_node_stays_busy_the_threshold_is_ignored_once_every_n_intervals(load_aware):
    load_aware.HOT_LOAD_THRESHOLD = -1  # any load is above it: this (only) node is always busy
    outcomes = [services.hot_list_refresh() for _ in range(4)]
    assert outcomes == ["skipped_busy", "skipped_busy", "success", "skipped_busy"]


def test_a_busy_node_leaves_the_run_to_a_quiet_peer(load_aware):
    load_aware.HOT_LOAD_THRESHOLD = -1
    # Another node reported a quiet load just now.
    kv.client().hset(kv.hot_load_key(), "peer-host:1", f"-5:{time.time()}")
    outcomes = [services.hot_list_refresh() for _ in range(4)]
    assert outcomes == ["skipped_busy"] * 4
    assert kv.client().get(kv.hot_list_key()) is None


def test_a_peer_that_stopped_reporting_is_not_counted_as_quiet(load_aware):
    load_aware.HOT_LOAD_THRESHOLD = -1
    long_ago = time.time() - 10 * load_aware.HOT_REFRESH_INTERVAL
    kv.client().hset(kv.hot_load_key(), "gone-host:1", f"-5:{long_ago}")
    outcomes = [services.hot_list_refresh() for _ in range(3)]
    assert outcomes[-1] == "success"
