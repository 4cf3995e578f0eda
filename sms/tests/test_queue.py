"""The async queue: backoff, claims, leases, failure, re-queueing, admin, command, metrics."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from sms import queue
from sms.models import AsyncSms
from sms.services import sms_send
from sms.tests.conftest import PHONE

pytestmark = pytest.mark.django_db
S = AsyncSms.Status


def _queue_one(settings, fake, args=("123456",)):
    settings.SMS_PROVIDERS = ["tencent"]
    fake.mode = "error"
    result = sms_send(tpl_id="login_code", args=list(args), numbers=[PHONE])
    assert result.status == "accepted"
    return AsyncSms.objects.get(id=result.async_id)


def _make_due(row):
    AsyncSms.objects.filter(id=row.id).update(next_attempt_at=timezone.now())


def test_backoff_is_full_jitter_capped_exponential(settings):
    settings.SMS_ASYNC_BACKOFF_BASE, settings.SMS_ASYNC_BACKOFF_FACTOR, settings.SMS_ASYNC_BACKOFF_CAP = 2, 2, 300
    for attempt, ceiling in [(1, 2), (2, 4), (3, 8), (8, 256), (9, 300), (30, 300)]:
        delays = [queue.backoff_delay(attempt) for _ in range(400)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.9 and min(delays) < ceiling * 0.1  # spread over the range


def test_queued_row_waits_for_its_time_then_is_sent_once(settings, fake_tencent):
    settings.SMS_ASYNC_BACKOFF_BASE = settings.SMS_ASYNC_BACKOFF_CAP = 60
    row = _queue_one(settings, fake_tencent)
    fake_tencent.mode = "ok"
    assert queue.async_sweep() == 0  # not due yet
    assert queue.async_deliver_one(row_id=row.id) is None  # a task arriving early does nothing
    _make_due(row)
    assert queue.async_sweep() == 1
    row.refresh_from_db()
    assert (row.status, row.provider, row.attempts) == (S.SENT, "tencent", 1)
    assert fake_tencent.received == [("tencent", [PHONE], ["123456"])]
    assert queue.async_sweep() == 0
    assert queue.async_deliver_one(row_id=row.id) is None
    assert len(fake_tencent.received) == 1


def test_failing_row_backs_off_then_fails_and_can_be_requeued(settings, fake_tencent, capsys):
    settings.SMS_ASYNC_MAX_ATTEMPTS = 3
    row = _queue_one(settings, fake_tencent)
    assert row.max_attempts == 3
    for attempt in (1, 2):
        _make_due(row)
        before = timezone.now()
        assert queue.async_deliver_one(row_id=row.id) == S.PENDING
        row.refresh_from_db()
        assert row.attempts == attempt and row.status == S.PENDING
        assert before <= row.next_attempt_at <= before + timedelta(seconds=settings.SMS_ASYNC_BACKOFF_CAP + 0.1)
        assert "LimitExceeded" in row.last_error
    _make_due(row)
    assert queue.async_deliver_one(row_id=row.id) == S.FAILED
    row.refresh_from_db()
    assert (row.status, row.attempts) == (S.FAILED, 3)
    assert queue.async_sweep() == 0  # failed rows are kept, not retried
    fake_tencent.mode = "ok"
    call_command("sms_queue", "retry", "--sweep")
    row.refresh_from_db()
    assert (row.status, row.attempts) == (S.SENT, 1)
    assert len(fake_tencent.received) == 1
    assert "requeued 1" in capsys.readouterr().out


def test_limited_delivery_does_not_use_up_attempts(settings, fake_tencent):
    row = _queue_one(settings, fake_tencent)
    fake_tencent.mode = "ok"
    settings.SMS_TENCENT_RATE_LIMIT = 0
    for _ in range(3):
        _make_due(row)
        assert queue.async_deliver_one(row_id=row.id) == S.PENDING
    row.refresh_from_db()
    assert row.attempts == 0 and row.last_error.startswith("limited")
    assert fake_tencent.requests == 1  # only the first, synchronous try


def test_a_claimed_row_is_not_claimed_again_until_its_lease_ends(settings, fake_tencent):
    settings.SMS_ASYNC_LEASE = 1
    row = _queue_one(settings, fake_tencent)
    fake_tencent.mode = "ok"
    _make_due(row)
    # Worker A claims the row, then dies before sending anything.
    claimed = queue.async_claim_due(owner="worker-a", limit=10)
    assert [r.id for r in claimed] == [row.id]
    assert queue.async_claim_due(owner="worker-b", limit=10) == []
    assert queue.async_sweep() == 0
    time.sleep(1.05)
    assert queue.async_sweep() == 1  # re-claimed after the lease
    row.refresh_from_db()
    assert (row.status, row.attempts) == (S.SENT, 2)
    # Worker A wakes up late: its lease is gone, it must not send again.
    assert queue.async_deliver(row=claimed[0], owner="worker-a") == S.SENDING
    assert len(fake_tencent.received) == 1


def test_conditional_claim_gives_each_row_to_one_owner(settings, fake_tencent):
    settings.SMS_PROVIDERS = ["tencent"]
    fake_tencent.mode = "error"
    for i in range(5):
        sms_send(tpl_id="login_code", args=[str(i)], numbers=[PHONE])
    AsyncSms.objects.update(next_attempt_at=timezone.now())
    a = queue.async_claim_due(owner="a", limit=3)
    b = queue.async_claim_due(owner="b", limit=10)
    assert len(a) == 3 and len(b) == 2
    assert not {r.id for r in a} & {r.id for r in b}


def test_sms_queue_status_and_purge(settings, fake_tencent, capsys):
    row = _queue_one(settings, fake_tencent)
    call_command("sms_queue", "status")
    out = capsys.readouterr().out
    assert "pending  1" in out and "provider tencent: up" in out
    fake_tencent.mode = "ok"
    _make_due(row)
    queue.async_sweep()
    AsyncSms.objects.filter(id=row.id).update(updated_at=timezone.now() - timedelta(days=8))
    call_command("sms_queue", "purge", "--days", "7")
    assert "purged 1" in capsys.readouterr().out
    assert not AsyncSms.objects.exists()


def test_admin_filters_by_status_and_retries_or_fails_rows(settings, fake_tencent, admin_client):
    settings.SMS_ASYNC_BACKOFF_BASE = settings.SMS_ASYNC_BACKOFF_CAP = 60
    row = _queue_one(settings, fake_tencent, args=("1",))
    other = _queue_one(settings, fake_tencent, args=("2",))
    resp = admin_client.get("/admin/sms/asyncsms/?status__exact=pending")
    assert resp.status_code == 200 and b"login_code" in resp.content
    resp = admin_client.post(
        "/admin/sms/asyncsms/", {"action": "mark_failed", "_selected_action": [other.id]}, follow=True
    )
    assert resp.status_code == 200
    other.refresh_from_db()
    assert other.status == S.FAILED
    resp = admin_client.post(
        "/admin/sms/asyncsms/", {"action": "retry_now", "_selected_action": [row.id, other.id]}, follow=True
    )
    assert resp.status_code == 200
    for r in (row, other):
        r.refresh_from_db()
        assert r.status == S.PENDING and r.attempts == 0 and r.next_attempt_at <= timezone.now()
    fake_tencent.mode = "ok"
    assert queue.async_sweep() == 2


def test_metrics_show_latency_queue_and_provider_state(settings, fake_tencent, client):
    _queue_one(settings, fake_tencent)
    body = client.get("/metrics").content.decode()
    assert 'tinybook_sms_async_queue{status="pending"} 1.0' in body
    assert 'tinybook_sms_provider_up{provider="tencent"} 1.0' in body
    assert 'tinybook_sms_send_seconds_count{outcome="error",provider="tencent",template="login_code"}' in body
    assert 'tinybook_sms_async_enqueued_total{reason="error"}' in body


def test_metrics_include_queue_gauges_in_multiprocess_mode(settings, fake_tencent, client, tmp_path,
                                                           monkeypatch):
    _queue_one(settings, fake_tencent)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    body = client.get("/metrics").content.decode()
    assert 'tinybook_sms_async_queue{status="pending"} 1.0' in body
    assert 'tinybook_sms_provider_up{provider="tencent"} 1.0' in body
