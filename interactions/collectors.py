"""The read-event stream's state, read from Redis at scrape time so every process reports the
same truth: its length, entries delivered but not acknowledged, entries not yet delivered.
Registered by ``InteractionsConfig.ready``."""

import logging

from django.conf import settings
from prometheus_client.core import GaugeMetricFamily

from interactions.consumer import GROUP
from tinybook import kv

logger = logging.getLogger(__name__)


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
    conn = kv.client()
    stream = kv.read_stream_key()
    length = conn.xlen(stream)
    for group in conn.xinfo_groups(stream) if length else []:
        name = group["name"].decode() if isinstance(group["name"], bytes) else group["name"]
        if name == GROUP:
            return {"length": length, "pending": group["pending"], "lag": group.get("lag")}
    return {"length": length, "pending": 0, "lag": length}
