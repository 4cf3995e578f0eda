"""Celery work scheduled on the payments app's own signals (wired in ``PaymentsConfig.ready``)."""

from django.db import transaction
from django.dispatch import receiver

from payments import signals, tasks


@receiver(signals.outbox_due, dispatch_uid="payments.schedule-relay")
def schedule_relay(sender, *, event_id: int, **kwargs):
    # robust: a broker that is away must not fail the request whose payment already committed;
    # the sweeper relays the event later.
    transaction.on_commit(lambda: tasks.payments_relay.delay(event_id), robust=True)
