"""Read-event stream metrics recorded where they happen: publishing (latency, failures) and
consuming (rate, failures). The stream's state is read at scrape time by
``interactions.collectors``."""

from prometheus_client import Counter, Histogram

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
LIKES_APPLIED = Counter(
    "tinybook_like_changes_applied_total", "Changed like records the consumer moved into the like counters"
)
