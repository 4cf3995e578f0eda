"""A real Celery worker killed between the payment's commit and the delivery of its event: the
reward still becomes paid and the author is credited exactly once.

Needs a database server that processes share (the services profile), like sms/tests/test_processes.py,
whose worker helpers this uses.
"""

import os
import signal
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Credit
from payments import outbox
from payments.models import Payment, PaymentEvent
from payments.tasks import payments_sync
from payments.tests.fixtures import post_notification, wechat_settings
from rewards import services
from rewards.models import Reward
from rewards.tests.helpers import balances, ledger_holds, order_of
from sms.tests.test_processes import Workers, _worker_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "mysql", reason="needs a database server shared by processes"),
]
LEASE = 2  # seconds: PAYMENT_OUTBOX_LEASE of the worker and of this process


@pytest.fixture
def workers():
    w = Workers()
    yield w
    w.stop()


class RowHolder(threading.Thread):
    """Holds ``SELECT … FOR UPDATE`` on a reward row from its own connection until released, so the
    worker's delivery waits inside the receiver's transaction: after the commit, before delivery."""

    def __init__(self, reward_id):
        super().__init__(daemon=True)
        self.reward_id = reward_id
        self.holding, self.release = threading.Event(), threading.Event()

    def run(self):
        try:
            with transaction.atomic():
                Reward.objects.select_for_update().get(id=self.reward_id)
                self.holding.set()
                self.release.wait(60)
        finally:
            connection.close()


def _wait(condition, what, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_worker_killed_between_commit_and_delivery_still_pays_and_credits_once(
        transactional_db, workers, settings, wechat, merchant, apiv3_key, tmp_path, reader, author, article, client):
    settings.PAYMENT_OUTBOX_LEASE = LEASE
    order = services.reward_create(payer_id=reader.id, article_id=article, amount=999_999, site_url="http://x/")
    no = order_of(order.rid).out_trade_no
    wechat.pay(no)  # paid at WeChat Pay; its notification is lost
    Payment.objects.filter(out_trade_no=no).update(next_check_at=timezone.now())

    holder = RowHolder(order.rid)
    holder.start()
    assert holder.holding.wait(10)
    proc = workers.start("victim", _worker_env(PAYMENT_OUTBOX_LEASE=LEASE, PAYMENT_SYNC_DELAY=0,
                                               **wechat_settings(wechat, merchant, apiv3_key, tmp_path)))
    workers.wait_ready(1)
    workers.send(payments_sync, "victim")  # the beat task: asks WeChat Pay, settles, relays inline

    # The worker committed the payment and its event, claimed the event, and waits in the receiver.
    _wait(lambda: PaymentEvent.objects.filter(status=PaymentEvent.Status.RELAYING).exists(), "the worker's claim")
    assert Payment.objects.get(out_trade_no=no).status == "paid"
    assert Reward.objects.get(id=order.rid).status == Reward.Status.INIT
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    killed_at = time.monotonic()
    holder.release.set()
    holder.join(10)

    event = PaymentEvent.objects.get()
    assert (event.status, event.attempts) == (PaymentEvent.Status.RELAYING, 1)  # leased to the dead worker
    assert Reward.objects.get(id=order.rid).status == Reward.Status.INIT
    assert not Credit.objects.exists()

    assert outbox.outbox_sweep() == 0  # still leased
    time.sleep(max(0.0, LEASE + 0.2 - (time.monotonic() - killed_at)))
    assert outbox.outbox_sweep() == 1  # the sweeper takes it over
    event.refresh_from_db()
    assert (event.status, event.attempts) == (PaymentEvent.Status.DELIVERED, 2)
    assert Reward.objects.get(id=order.rid).status == Reward.Status.PAYED
    assert Credit.objects.filter(biz="reward", biz_id=order.rid).count() == 1
    assert balances() == {f"user:{author.id}": 900_000, "platform": 99_999, "channel:wechat": -999_999}

    # The notification arriving late, and another sweep, change nothing.
    assert post_notification(client, wechat.notification_for(no)).status_code == 204
    assert outbox.outbox_sweep() == 0
    assert Credit.objects.count() == 1 and ledger_holds()
