"""Read-event stream metrics: publishing (latency, failures), consuming (rate, failures), and
the stream's state (length, pending entries, lag) read from Redis at scrape time, so every
process reports the same truth."""

import logging

from django.conf import settings
from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

from tinybook import kv

logger = logging.getLogger(__name__)

READ_PUBLISH_SECONDS = Histogram(
    "tinybook_read_event_publish_seconds",
    "Time to record one article view in Redis (dedup, stream append, cached counts)",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5),
)
READ_PUBLISH_FAILURES = Counter(
    "tinybook_read_event_publish_failures_total",
    "Views Redis could not take (applied straight to the database instead)",
)
READ_CONSUMED = Counter("tinybook_read_events_consumed_total", "Read events applied to the counters by the consumer")
READ_CONSUME_FAILURES = Counter(
    "tinybook_read_event_consume_failures_total", "Consumer rounds that failed (database or Redis error), retried"
)


class ReadStreamCollector:
    """Stream length, entries delivered but not acknowledged, and entries not yet delivered."""

    def collect(self):
        length = GaugeMetricFamily("tinybook_read_stream_length", "Entries in the read-event stream")
        pending = GaugeMetricFamily("tinybook_read_stream_pending", "Read events delivered but not acknowledged")
        lag = GaugeMetricFamily("tinybook_read_stream_lag", "Read events not yet delivered to the consumer group")
        if not settings.READ_EVENTS_INLINE:
            try:
                state = stream_state()
            except kv.REDIS_ERRORS as exc:  # a scrape must not fail because Redis is away
                logger.warning("read stream metrics unavailable: %s", type(exc).__name__)
            else:
                length.add_metric([], state["length"])
                pending.add_metric([], state["pending"])
                if state["lag"] is not None:
                    lag.add_metric([], state["lag"])
        yield length
        yield pending
        yield lag

    def describe(self):
        return []


def stream_state() -> dict:
    """``length``, ``pending`` and ``lag`` (None when Redis cannot tell) of the consumer group."""
    from interactions.consumer import GROUP

    conn = kv.client()
    stream = kv.read_stream_key()
    length = conn.xlen(stream)
    for group in conn.xinfo_groups(stream) if length else []:
        name = group["name"].decode() if isinstance(group["name"], bytes) else group["name"]
        if name == GROUP:
            return {"length": length, "pending": group["pending"], "lag": group.get("lag")}
    return {"length": length, "pending": 0, "lag": length}


COLLECTOR = ReadStreamCollector()
REGISTRY.register(COLLECTOR)


def _register_for_multiprocess():
    from tinybook.views import STATE_COLLECTORS

    if COLLECTOR not in STATE_COLLECTORS:
        STATE_COLLECTORS.append(COLLECTOR)
