"""A worker killed between the provider taking an SMS and the row's update (issue 22, item 12).

Aliyun keeps a send record with our OutId: the next attempt asks for it and does not send the
message twice. Tencent has no such lookup: the message is sent again (at-least-once), with the
same SessionContext, so the duplicate is identifiable in its receipts (docs/sms.md).
"""

import os
import signal
import time

import pytest
from django.db import connection

from sms import queue
from sms.models import AsyncSms
from sms.tests.test_processes import Workers, _due_rows, _worker_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "mysql", reason="needs a database server shared by processes"),
]


@pytest.fixture
def workers():
    w = Workers()
    yield w
    w.stop()


def _kill_worker_inside_the_call(workers, fake, provider, settings):
    lease = 2
    settings.SMS_PROVIDERS = [provider]
    settings.SMS_ASYNC_LEASE = lease
    _due_rows(1)
    fake.mode = "take_then_hang"  # the provider takes the message; its answer never arrives
    endpoint = {f"SMS_{provider.upper()}_ENDPOINT": f"http://{fake.endpoint}"}
    proc = workers.start("victim", _worker_env(SMS_PROVIDERS=provider, SMS_ASYNC_LEASE=lease, SMS_PROVIDER_TIMEOUT=30,
                                               **endpoint))
    workers.wait_ready(1)
    from sms.tasks import sms_sweep

    workers.send(sms_sweep, "victim")
    deadline = time.monotonic() + 20
    while not fake.received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(fake.received) == 1  # delivered, as far as the phone is concerned
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    row = AsyncSms.objects.get()
    assert (row.status, row.in_flight_provider) == (AsyncSms.Status.SENDING, provider)
    fake.mode = "ok"
    time.sleep(lease + 0.2)
    assert queue.async_sweep() == 1
    row.refresh_from_db()
    return row


def test_aliyun_a_message_taken_before_the_worker_died_is_not_sent_again(transactional_db, workers, settings,
                                                                        fake_aliyun):
    row = _kill_worker_inside_the_call(workers, fake_aliyun, "aliyun", settings)
    assert (row.status, row.provider) == (AsyncSms.Status.SENT, "aliyun")
    assert len(fake_aliyun.received) == 1, "sent once"
    assert fake_aliyun.out_ids == [row.out_id]


def test_tencent_a_resend_carries_the_same_client_side_id(transactional_db, workers, settings, fake_tencent):
    row = _kill_worker_inside_the_call(workers, fake_tencent, "tencent", settings)
    assert row.status == AsyncSms.Status.SENT
    # At-least-once: Tencent cannot be asked, so the message went again — with the same id.
    assert fake_tencent.out_ids == [row.out_id, row.out_id]
