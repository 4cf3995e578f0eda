"""Operations metrics on /metrics: Celery tasks, the Celery queue, the read-event stream."""

import re
import time
import uuid

import pytest
from django.conf import settings as django_settings

from articles.tests.conftest import REDIS_DOWN
from interactions.tests.helpers import published_article
from tinybook import kv
from tinybook.celery import app

pytestmark = pytest.mark.django_db


def _sample(client, name, labels=""):
    """The value of one sample on /metrics, or None when it is absent."""
    text = client.get("/metrics").content.decode()
    match = re.search(rf"^{re.escape(name)}{re.escape(labels)} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else None


@app.task(name="tinybook.tests.metrics_ok")
def _ok_task():
    return 1


@app.task(name="tinybook.tests.metrics_boom")
def _boom_task():
    raise RuntimeError("expected by the test")


def test_celery_task_duration_and_failures_are_counted_by_task(client):
    runs = '_count{outcome="success",task="tinybook.tests.metrics_ok"}'
    failures = '{task="tinybook.tests.metrics_boom"}'
    before_runs = _sample(client, "tinybook_celery_task_seconds", runs) or 0
    before_failures = _sample(client, "tinybook_celery_task_failures_total", failures) or 0

    _ok_task.apply()
    assert _boom_task.apply(throw=False).state == "FAILURE"  # as a worker runs it: recorded, not raised

    assert _sample(client, "tinybook_celery_task_seconds", runs) == before_runs + 1
    assert _sample(client, "tinybook_celery_task_failures_total", failures) == before_failures + 1


def test_read_stream_length_pending_and_lag_are_reported(client, settings):
    settings.READ_EVENTS_INLINE = False  # the services profile's path: views go to the stream
    kv.client().delete(kv.read_stream_key())
    article_id = published_article()
    for n in range(3):
        client.get(f"/articles/pub/{article_id}", HTTP_USER_AGENT=f"reader-{n}")

    assert _sample(client, "tinybook_read_stream_length") == 3
    assert _sample(client, "tinybook_read_stream_pending") == 0
    assert _sample(client, "tinybook_read_event_publish_seconds_count") >= 3


def test_a_read_redis_cannot_take_is_counted_as_a_publish_failure(client, settings):
    article_id = published_article()
    before = _sample(client, "tinybook_read_event_publish_failures_total") or 0
    healthy = settings.CACHES
    settings.CACHES = {**healthy, "default": REDIS_DOWN}
    resp = client.get(f"/articles/pub/{article_id}")
    assert resp.json()["code"] == 0  # the reader still gets the article
    settings.CACHES = healthy
    assert _sample(client, "tinybook_read_event_publish_failures_total") == before + 1


@pytest.mark.skipif(django_settings.CELERY_TASK_ALWAYS_EAGER,
                    reason="the embedded profile has no broker queue (tasks run in-process)")
def test_celery_queue_length_is_read_from_the_broker(client, settings):
    queue = f"tinybook-test-{uuid.uuid4().hex[:8]}"
    settings.METRICS_CELERY_QUEUES = [queue]
    assert _sample(client, "tinybook_celery_queue_length", f'{{queue="{queue}"}}') == 0  # not declared yet
    for _ in range(2):
        app.send_task("tinybook.tests.metrics_ok", queue=queue)
    try:
        # Publishing is asynchronous: the broker counts a message once it has routed it.
        deadline = time.monotonic() + 10
        while (seen := _sample(client, "tinybook_celery_queue_length", f'{{queue="{queue}"}}')) != 2:
            assert time.monotonic() < deadline, f"the queue length stayed at {seen}"
            time.sleep(0.1)
    finally:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


def test_every_alert_rule_uses_metrics_that_exist(client):
    """deploy/prometheus/alerts.yml must not watch a metric name we never export."""
    import yaml

    rules_file = django_settings.BASE_DIR / "deploy" / "prometheus" / "alerts.yml"
    groups = yaml.safe_load(rules_file.read_text())["groups"]
    exprs = [rule["expr"] for group in groups for rule in group["rules"]]
    assert len(exprs) >= 10
    client.get("/healthz")  # so the request metrics have samples
    from prometheus_client import REGISTRY

    families = list(REGISTRY.collect())
    exported = {s.name for m in families for s in m.samples} | {m.name for m in families} | {
        f"{m.name}_total" for m in families if m.type == "counter"  # a labelled counter not yet incremented
    }
    used = {name for expr in exprs for name in re.findall(r"\b((?:tinybook|django)_[a-z_]+)\b", expr)}
    assert used, "no metric names found in the rules"
    assert not sorted(used - exported)
