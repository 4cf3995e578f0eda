"""The SMS state read at scrape time: the async queue by status (database) and each provider's
state (Redis). Shared state, so every process reports the same truth however many gunicorn
or Celery workers there are; registered by ``SmsConfig.ready``."""

import logging

from django.conf import settings
from prometheus_client.core import GaugeMetricFamily

from sms.selectors import async_counts_by_status, provider_states

logger = logging.getLogger("sms")


class SmsStateCollector:
    """Gauges read at scrape time: the async queue by status, and each provider's state."""

    def collect(self):
        queue = GaugeMetricFamily("tinybook_sms_async_queue", "Queued SMS by status", labels=["status"])
        state = GaugeMetricFamily(
            "tinybook_sms_provider_up", "1 when the provider takes traffic, 0 while it is down", labels=["provider"]
        )
        try:
            for status, count in async_counts_by_status().items():
                queue.add_metric([status], count)
        except Exception as exc:  # a scrape must not fail because the database is away
            logger.warning("sms metrics: queue counts unavailable: %s", type(exc).__name__)
        for name, up in provider_states(providers=settings.SMS_PROVIDERS).items():
            if up is not None:
                state.add_metric([name], 1 if up else 0)
        yield queue
        yield state

    def describe(self):
        return []
