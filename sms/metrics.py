"""SMS metrics recorded where they happen: send latency and the async counters.

The queue by status and the provider state are shared state, read at scrape time by
``sms.collectors``.
"""

from prometheus_client import Counter, Histogram

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
