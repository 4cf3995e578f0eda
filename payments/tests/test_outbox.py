"""The outbox relay: events commit with the payment's change, are delivered until acknowledged,
survive a dead relay (lease), and are delivered once by concurrent sweepers."""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.utils import timezone

from payments import outbox, services
from payments.models import Payment, PaymentEvent
from payments.signals import payment_settled

pytestmark = pytest.mark.django_db(transaction=True)
S = PaymentEvent.Status


class Recorder:
    """A subscriber of ``payment_settled`` that can be made to fail its next deliveries."""

    def __init__(self):
        self.calls = []
        self.failures_left = 0
        self._lock = threading.Lock()

    def receive(self, sender, *, event, **kwargs):
        with self._lock:
            self.calls.append(event)
            if self.failures_left:
                self.failures_left -= 1
                raise RuntimeError("the receiving app is down")


@pytest.fixture
def recorder(settings):
    settings.PAYMENT_OUTBOX_BACKOFF_BASE = 0.05
    settings.PAYMENT_OUTBOX_BACKOFF_CAP = 0.1
    rec = Recorder()
    payment_settled.connect(rec.receive, dispatch_uid="payments-test-recorder")
    yield rec
    payment_settled.disconnect(dispatch_uid="payments-test-recorder")


def _paid_event(dev, n=1, amount=700) -> list[int]:
    """Payments settled as paid without relaying (what a relay that never ran leaves)."""
    ids = []
    for i in range(n):
        pid = services.payment_create(biz="test", biz_id=i + 1, amount=amount, description="x")
        ids.append(services._settle(out_trade_no=Payment.objects.get(id=pid).out_trade_no, paid=True, amount=amount))
    return ids


def test_the_status_change_and_its_event_commit_or_roll_back_together(dev):
    pid = services.payment_create(biz="test", biz_id=1, amount=5, description="x")
    no = Payment.objects.get(id=pid).out_trade_no
    with pytest.raises(RuntimeError), transaction.atomic():
        services._settle(out_trade_no=no, paid=True, amount=5)
        raise RuntimeError("the caller's transaction fails after the settlement")
    assert Payment.objects.get(id=pid).status == "unpaid"
    assert not PaymentEvent.objects.exists()
    event_id = services._settle(out_trade_no=no, paid=True, amount=5)
    assert Payment.objects.get(id=pid).status == "paid"
    assert PaymentEvent.objects.get().id == event_id


def test_an_event_is_delivered_with_the_orders_amount_and_acknowledged(dev, recorder):
    [event_id] = _paid_event(dev, amount=999_999)
    assert outbox.outbox_deliver_one(event_id=event_id) is True
    [told] = recorder.calls
    assert (told.biz, told.biz_id, told.amount, told.paid, told.provider) == ("test", 1, 999_999, True, "dev")
    event = PaymentEvent.objects.get()
    assert (event.status, event.attempts, event.delivered_at is not None) == (S.DELIVERED, 1, True)
    assert outbox.outbox_deliver_one(event_id=event_id) is None  # delivered: not due again
    assert outbox.outbox_sweep() == 0 and len(recorder.calls) == 1


def test_a_failing_receiver_gets_the_event_again_until_it_acknowledges(dev, recorder):
    [event_id] = _paid_event(dev)
    recorder.failures_left = 3
    assert outbox.outbox_deliver_one(event_id=event_id) is False
    event = PaymentEvent.objects.get()
    assert (event.status, event.attempts, event.last_error) == (S.PENDING, 1, "RuntimeError")
    deadline = time.monotonic() + 10
    while PaymentEvent.objects.get().status != S.DELIVERED:
        assert time.monotonic() < deadline, "never acknowledged"
        outbox.outbox_sweep()  # the beat sweeper, after each backoff
        time.sleep(0.05)
    event.refresh_from_db()
    assert (event.attempts, event.last_error) == (4, "")
    assert len(recorder.calls) == 4


def test_an_event_held_by_a_dead_relay_is_taken_over_after_its_lease(dev, recorder, settings):
    settings.PAYMENT_OUTBOX_LEASE = 1
    [event_id] = _paid_event(dev)
    assert outbox.OUTBOX.claim_one(row_id=event_id, owner="a-relay-that-dies")
    assert outbox.outbox_sweep() == 0  # still leased
    assert recorder.calls == []
    time.sleep(1.1)
    assert outbox.outbox_sweep() == 1
    event = PaymentEvent.objects.get()
    assert (event.status, event.attempts) == (S.DELIVERED, 2)
    assert len(recorder.calls) == 1


def test_concurrent_sweepers_deliver_every_event_once(dev, recorder, settings):
    settings.PAYMENT_OUTBOX_BATCH = 5
    ids = _paid_event(dev, n=40)

    def sweep(_):
        try:
            return outbox.outbox_sweep()
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        handled = sum(pool.map(sweep, range(4)))
    assert handled == 40
    assert sorted(e.event_id for e in recorder.calls) == sorted(ids)
    assert PaymentEvent.objects.filter(status=S.DELIVERED).count() == 40


def test_a_lease_that_ran_out_while_waiting_in_a_batch_is_left_to_its_new_owner(dev, recorder, settings):
    [event_id] = _paid_event(dev)
    owner = uuid.uuid4().hex
    [event] = outbox.outbox_claim_due(owner=owner, limit=10)
    PaymentEvent.objects.filter(id=event_id).update(lease_until=timezone.now())  # ran out meanwhile
    assert outbox.OUTBOX.claim_one(row_id=event_id, owner="the-new-owner")
    assert outbox.outbox_deliver(event=event, owner=owner) is False  # not ours any more
    assert recorder.calls == []
