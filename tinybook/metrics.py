"""The registry of state collectors, and the Celery metrics: task duration and failures by
task, and the broker queue depth.

A *state collector* reads shared state (the database, Redis, the broker) at scrape time, so
every process reports the same truth. Apps register theirs with ``register_state_collector``;
``/metrics`` merges them with the per-process files in multiprocess mode (several gunicorn
workers), where the default registry's collectors are not included.

Duration and failures are recorded by Celery's signals in the process that ran the task
(a worker; give it the same ``PROMETHEUS_MULTIPROC_DIR`` as gunicorn so /metrics merges
them). The queue depth is shared state, read from the broker at scrape time.
"""

import logging
import time

from celery import signals
from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

from tinybook.celery import app

logger = logging.getLogger(__name__)

_state_collectors: list = []


def register_state_collector(collector) -> None:
    """Register a collector of shared state, once, with the default registry and for /metrics."""
    if collector not in _state_collectors:
        _state_collectors.append(collector)
        REGISTRY.register(collector)


def state_registry() -> CollectorRegistry:
    """A registry of the state collectors alone (merged into /metrics in multiprocess mode)."""
    registry = CollectorRegistry()
    for collector in _state_collectors:
        registry.register(collector)
    return registry

TASK_SECONDS = Histogram(
    "tinybook_celery_task_seconds",
    "Duration of one Celery task run, by task and outcome",
    ["task", "outcome"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120),
)
TASK_FAILURES = Counter("tinybook_celery_task_failures_total", "Celery task runs that raised, by task", ["task"])

_started: dict[str, float] = {}


@signals.task_prerun.connect
def _task_started(task_id=None, **_):
    _started[task_id] = time.monotonic()


@signals.task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, **_):
    began = _started.pop(task_id, None)
    if task is None:
        return
    if state == "FAILURE":
        TASK_FAILURES.labels(task.name).inc()
    if began is not None:
        outcome = "success" if state == "SUCCESS" else (state or "unknown").lower()
        TASK_SECONDS.labels(task.name, outcome).observe(time.monotonic() - began)


class CeleryQueueCollector:
    """``tinybook_celery_queue_length``: messages waiting in each queue of ``METRICS_CELERY_QUEUES``."""

    def collect(self):
        family = GaugeMetricFamily("tinybook_celery_queue_length", "Messages waiting in a Celery queue",
                                   labels=["queue"])
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            for queue, length in celery_queue_lengths().items():
                family.add_metric([queue], length)
        yield family

    def describe(self):
        return []


def celery_queue_lengths() -> dict[str, int]:
    """A passive declare per queue (AMQP or Redis broker alike); a queue not declared yet is 0."""
    lengths = {}
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.METRICS_BROKER_TIMEOUT)
            for queue in settings.METRICS_CELERY_QUEUES:
                channel = conn.channel()
                try:
                    lengths[queue] = channel.queue_declare(queue=queue, passive=True).message_count
                except conn.channel_errors:
                    lengths[queue] = 0  # not declared yet: nothing waiting
                finally:
                    try:
                        channel.close()
                    except Exception:  # noqa: S110 - the channel may already be closed by the error above
                        pass
    except Exception as exc:  # a scrape must not fail because the broker is away
        logger.warning("celery metrics: broker unavailable: %s", type(exc).__name__)
    return lengths


register_state_collector(CeleryQueueCollector())
