"""Payment state read at scrape time from the database: orders by status, the outbox's depth and
the age of its oldest undelivered event (the relay's lag). Registered by ``PaymentsConfig.ready``."""

import logging

from prometheus_client.core import GaugeMetricFamily

from payments.selectors import outbox_state, payment_counts_by_status

logger = logging.getLogger("payments")


class PaymentStateCollector:
    def collect(self):
        orders = GaugeMetricFamily("tinybook_payment_orders", "Payment orders by status", labels=["status"])
        depth = GaugeMetricFamily("tinybook_payment_outbox_depth", "Outbox events not yet acknowledged")
        lag = GaugeMetricFamily("tinybook_payment_outbox_lag_seconds",
                                "Age of the oldest outbox event not yet acknowledged (0 when none)")
        try:
            for status, count in payment_counts_by_status().items():
                orders.add_metric([status], count)
            n, age = outbox_state()
            depth.add_metric([], n)
            lag.add_metric([], age)
        except Exception as exc:  # a scrape must not fail because the database is away
            logger.warning("payment metrics unavailable: %s", type(exc).__name__)
        yield orders
        yield depth
        yield lag

    def describe(self):
        return []
