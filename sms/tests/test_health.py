"""Provider health: a sliding window in Redis, down on error rate or p90, probes restore."""

import time

import pytest

from sms.models import AsyncSms
from sms.selectors import provider_states
from sms.services import sms_send
from sms.tests.conftest import PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def health(settings):
    settings.SMS_HEALTH_WINDOW = 60
    settings.SMS_HEALTH_MIN_SAMPLES = 4
    settings.SMS_HEALTH_MAX_ERROR_RATE = 0.3
    # Margins wide enough for a loaded CI machine: a normal send to the local fake takes
    # milliseconds but may take a few hundred under load; "slow" is 1.5 s, well past 0.8 s.
    settings.SMS_HEALTH_MAX_P90 = 0.8
    settings.SMS_HEALTH_PROBE_INTERVAL = PROBE_INTERVAL


PROBE_INTERVAL = 1.5


def _send(i):
    return sms_send(tpl_id="login_code", args=[f"{i:06d}"], numbers=[PHONE])


def test_provider_turning_slow_is_marked_down_then_restored_by_a_probe(
    settings, health, fake_tencent, fake_aliyun, eager_celery, django_capture_on_commit_callbacks
):
    settings.SMS_PROVIDERS = ["tencent", "aliyun"]
    settings.SMS_FEE_TIERS = {"tencent": [[0, 0.01]], "aliyun": [[0, 0.02]]}  # tencent preferred
    for i in range(4):
        assert _send(i).provider == "tencent"
    fake_tencent.mode, fake_tencent.delay = "slow", 1.5  # slower than p90 0.8 s, inside the timeout
    assert _send(4).provider == "tencent"  # 1 slow of 5: the nearest-rank p90 of 5 is the slowest
    assert provider_states(providers=["tencent"]) == {"tencent": False}
    before = fake_tencent.requests
    for i in range(6, 9):
        assert _send(i).provider == "aliyun"  # down: no traffic...
    # ...except exactly one probe per interval: the first send after the interval.
    fake_tencent.mode = "ok"
    time.sleep(PROBE_INTERVAL + 0.05)
    with django_capture_on_commit_callbacks(execute=True):
        assert _send(9).provider == "tencent"
    assert fake_tencent.requests == before + 1
    assert provider_states(providers=["tencent"]) == {"tencent": True}
    assert _send(10).provider == "tencent"


def test_failed_probe_keeps_provider_down(settings, health, fake_tencent, fake_aliyun):
    settings.SMS_PROVIDERS = ["tencent", "aliyun"]
    settings.SMS_FEE_TIERS = {"tencent": [[0, 0.01]], "aliyun": [[0, 0.02]]}
    fake_tencent.mode = "error"
    for i in range(4):
        assert _send(i).provider == "aliyun"  # tencent tried first, failed over
    assert provider_states(providers=["tencent"]) == {"tencent": False}
    requests = fake_tencent.requests
    assert _send(4).provider == "aliyun"
    assert fake_tencent.requests == requests  # no traffic, probe interval not yet over
    time.sleep(PROBE_INTERVAL + 0.05)
    assert _send(5).provider == "aliyun"  # the probe failed; the message still went out
    assert fake_tencent.requests == requests + 1
    assert provider_states(providers=["tencent"]) == {"tencent": False}


def test_errors_below_min_samples_do_not_mark_down(settings, health, fake_tencent, fake_aliyun):
    settings.SMS_PROVIDERS = ["tencent", "aliyun"]
    settings.SMS_FEE_TIERS = {"tencent": [[0, 0.01]], "aliyun": [[0, 0.02]]}
    fake_tencent.mode = "error"
    for i in range(3):
        _send(i)
    assert provider_states(providers=["tencent"]) == {"tencent": True}
    assert fake_tencent.requests == 3


def test_error_rate_under_threshold_keeps_provider_up(settings, health, fake_tencent, fake_aliyun):
    settings.SMS_PROVIDERS = ["tencent", "aliyun"]
    settings.SMS_FEE_TIERS = {"tencent": [[0, 0.01]], "aliyun": [[0, 0.02]]}
    for i in range(8):
        _send(i)
    fake_tencent.mode = "error"
    for i in range(8, 11):  # 3 errors of 11 = 27 % < 30 %
        _send(i)
    assert provider_states(providers=["tencent"]) == {"tencent": True}
    _send(11)  # 4 of 12 = 33 %
    assert provider_states(providers=["tencent"]) == {"tencent": False}


def test_all_down_queues_and_a_restore_wakes_the_sweeper(
    settings, health, fake_tencent, eager_celery, django_capture_on_commit_callbacks
):
    settings.SMS_PROVIDERS = ["tencent"]
    settings.SMS_ASYNC_BACKOFF_BASE = settings.SMS_ASYNC_BACKOFF_CAP = 60  # would wait a minute
    fake_tencent.mode = "error"
    for i in range(4):
        assert _send(i).status == "accepted"
    assert provider_states(providers=["tencent"]) == {"tencent": False}
    queued = _send(4)  # down, the first probe waits an interval: not even tried
    assert queued.status == "accepted"
    assert AsyncSms.objects.get(id=queued.async_id).last_error.startswith("down")
    fake_tencent.mode = "ok"
    time.sleep(PROBE_INTERVAL + 0.05)
    with django_capture_on_commit_callbacks(execute=True):
        assert _send(5).status == "sent"  # the probe succeeds...
    # ...and the sweeper ran at once, not a minute later: every queued row is out.
    assert set(AsyncSms.objects.values_list("status", flat=True)) == {"sent"}
    assert len(fake_tencent.received) == 6
