"""SMS metrics (prometheus_client).

Send latency and the async counters are recorded where they happen. The queue by
status and the provider state are shared state (database, Redis), so they are read
at scrape time by a collector: every process reports the same truth, however many
gunicorn workers or Celery workers there are.
"""

import logging

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger("sms")

SEND_SECONDS = Histogram(
    "tinybook_sms_send_seconds",
    "Latency of one SMS provider call",
    ["provider", "template", "outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10),
)
ASYNC_ENQUEUED = Counter(
    "tinybook_sms_async_enqueued_total", "SMS stored for asynchronous delivery", ["reason"]
)
ASYNC_RETRIES = Counter("tinybook_sms_async_retries_total", "Queued SMS rescheduled after a failed attempt")
ASYNC_FAILED = Counter("tinybook_sms_async_failed_total", "Queued SMS given up after the last attempt")


class SmsStateCollector:
    """Gauges read at scrape time: the async queue by status, and each provider's state."""

    def collect(self):
        from django.conf import settings

        from sms.selectors import async_counts_by_status, provider_states

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


COLLECTOR = SmsStateCollector()
REGISTRY.register(COLLECTOR)


def _register_for_multiprocess():
    from tinybook.views import STATE_COLLECTORS

    if COLLECTOR not in STATE_COLLECTORS:
        STATE_COLLECTORS.append(COLLECTOR)


_register_for_multiprocess()
