"""Celery work scheduled on the SMS platform's signals (wired in ``SmsConfig.ready``)."""

from django.db import transaction
from django.dispatch import receiver

from sms import queue, signals, tasks


@receiver(signals.delivery_due, dispatch_uid="sms.schedule-delivery")
def schedule_delivery(sender, *, async_id: int, delay: float, **kwargs):
    transaction.on_commit(lambda: tasks.sms_deliver.apply_async((async_id,), countdown=delay))


@receiver(signals.provider_restored, dispatch_uid="sms.wake-sweeper")
def wake_sweeper(sender, *, provider: str, **kwargs):
    def wake():
        queue.async_wake()
        tasks.sms_sweep.delay()

    transaction.on_commit(wake)
