"""Celery shells around the payments services. Rows carry their own state: the tasks are idempotent."""

from django.conf import settings
from django.db import OperationalError

from payments import outbox, services
from tinybook.celery import app as celery_app


@celery_app.task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, retry_jitter=True,
                 max_retries=3)
def payments_relay(event_id: int):
    outbox.outbox_deliver_one(event_id=event_id)


@celery_app.task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, retry_jitter=True,
                 max_retries=3)
def payments_relay_sweep():
    return outbox.outbox_sweep()


@celery_app.task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, retry_jitter=True,
                 max_retries=3)
def payments_sync():
    return services.payment_sync_due()


@celery_app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    sender.add_periodic_task(settings.PAYMENT_OUTBOX_SWEEP_INTERVAL, payments_relay_sweep.s(),
                             name="payments: relay due outbox events")
    sender.add_periodic_task(settings.PAYMENT_SYNC_INTERVAL, payments_sync.s(),
                             name="payments: ask about unpaid orders, close expired ones")
