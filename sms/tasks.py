"""Celery shells around sms.queue. Rows carry their own state, so the tasks are idempotent."""

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from tinybook.celery import app as celery_app


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, retry_jitter=True,
             max_retries=3)
def sms_deliver(async_id: int):
    from sms.queue import async_deliver_one

    async_deliver_one(row_id=async_id)


_sweeping = False


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, retry_jitter=True,
             max_retries=3)
def sms_sweep():
    global _sweeping
    from sms.queue import async_sweep

    if _sweeping:  # eager mode: a restore seen inside a sweep must not start a nested one
        return 0
    _sweeping = True
    try:
        return async_sweep()
    finally:
        _sweeping = False


@celery_app.on_after_finalize.connect
def _schedule_sweeper(sender, **kwargs):
    sender.add_periodic_task(settings.SMS_ASYNC_SWEEP_INTERVAL, sms_sweep.s(), name="sms: sweep due queued SMS")
