"""Payment metrics recorded where they happen. Orders by status and the outbox's depth and age
are shared state, read at scrape time by ``payments.collectors``."""

from prometheus_client import Counter, Histogram

NOTIFICATIONS = Counter(
    "tinybook_payment_notifications_total",
    "Payment notifications by outcome (accepted, duplicate, ignored, refused, unknown_order, unavailable)",
    ["outcome"],
)
SYNC = Counter(
    "tinybook_payment_sync_total",
    "Unpaid orders asked about by the beat task, by outcome (paid, failed, closed, unchanged, refused, error)",
    ["outcome"],
)
RELAY_DELIVERIES = Counter(
    "tinybook_payment_relay_deliveries_total", "Outbox events relayed, by outcome (delivered, failed)", ["outcome"]
)
RELAY_LAG = Histogram(
    "tinybook_payment_relay_lag_seconds",
    "From the payment's commit to the acknowledgement of its event",
    buckets=(0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800),
)
