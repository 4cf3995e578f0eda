"""Celery shells around sms.queue. Rows carry their own state, so the tasks are idempotent."""

from django.conf import settings
from django.db import OperationalError

from sms import queue
from tinybook.celery import app as celery_app


@celery_app.task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, retry_jitter=True,
                 max_retries=3)
def sms_deliver(async_id: int):
    queue.async_deliver_one(row_id=async_id)


_sweeping = False


@celery_app.task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, retry_jitter=True,
                 max_retries=3)
def sms_sweep():
    global _sweeping
    if _sweeping:  # eager mode: a restore seen inside a sweep must not start a nested one
        return 0
    _sweeping = True
    try:
        return queue.async_sweep()
    finally:
        _sweeping = False


@celery_app.on_after_finalize.connect
def _schedule_sweeper(sender, **kwargs):
    sender.add_periodic_task(settings.SMS_ASYNC_SWEEP_INTERVAL, sms_sweep.s(), name="sms: sweep due queued SMS")
