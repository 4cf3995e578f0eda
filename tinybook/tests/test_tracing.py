"""Tracing (issue 21, docs/tracing.md): one trace per request through the database, Redis,
outbound HTTP, Celery and the read-event stream; nothing of OpenTelemetry when it is off.

In-process tests install tracing with the SDK's in-memory exporter (``tracing.install``, the
code ``setup()`` runs, minus the batch exporter); subprocess tests run the real entry point
with OpenTelemetry's own environment variables.
"""

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tinybook import tracing

ROOT = Path(__file__).resolve().parents[2]
PHONE = "+8613800000000"


def _instrument_open_connection(provider):
    """The test database connection was opened before tracing was installed (a process that
    traces opens its connections after): give it what a new connection gets."""
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "mysql":
        from opentelemetry.instrumentation.mysqlclient import MySQLClientInstrumentor

        connection.connection = MySQLClientInstrumentor.instrument_connection(raw, tracer_provider=provider)
    else:
        from opentelemetry.instrumentation.sqlite3 import SQLite3Instrumentor

        connection.connection = SQLite3Instrumentor.instrument_connection(raw, tracer_provider=provider)
    return raw


@pytest.fixture
def spans(db):
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    tracing.install([SimpleSpanProcessor(exporter)], set_global=False)
    raw = _instrument_open_connection(tracing._provider)
    try:
        yield exporter
    finally:
        connection.connection = raw
        tracing.uninstall()


def _server_span(finished, route_part):
    servers = [s for s in finished if s.kind.name == "SERVER" and route_part in s.name]
    assert len(servers) == 1, [s.name for s in finished]
    return servers[0]


def _descendants(finished, root):
    """Every span under ``root`` in its trace."""
    by_parent = {}
    for s in finished:
        if s.parent is not None:
            by_parent.setdefault(s.parent.span_id, []).append(s)
    out, todo = [], [root.context.span_id]
    while todo:
        for child in by_parent.get(todo.pop(), []):
            out.append(child)
            todo.append(child.context.span_id)
    return out


def _all_values(finished) -> str:
    """Every attribute value, event attribute and status text of these spans, as one text."""
    parts = []
    for s in finished:
        parts.extend(str(v) for v in (s.attributes or {}).values())
        parts.append(s.name)
        parts.append(str(s.status.description or ""))
        for event in s.events:
            parts.extend(str(v) for v in (event.attributes or {}).values())
    return "\n".join(parts)


# --- a request: the database, Redis, the access log -------------------------------------------------

def test_a_request_traces_its_sql_and_redis_calls_as_children(spans, auth_api, settings, caplog):
    from interactions.tests.helpers import published_article

    settings.READ_EVENTS_INLINE = False
    article_id = published_article()
    spans.clear()
    with caplog.at_level(logging.INFO, logger="tinybook.access"):
        answer = auth_api.get(f"/articles/pub/{article_id}", HTTP_X_REQUEST_ID="rid-trace-1")
    assert answer.status_code == 200 and answer.json()["code"] == 0

    finished = spans.get_finished_spans()
    server = _server_span(finished, "articles/pub")
    assert server.parent is None
    under = _descendants(finished, server)
    sql = [s for s in under if s.attributes.get("db.system") in ("mysql", "sqlite")]
    redis = [s for s in under if s.attributes.get("db.system") == "redis"]
    assert sql and any("SELECT" in s.attributes.get("db.statement", "") for s in sql)
    # the read is recorded by a Lua script: one EVALSHA (or EVAL) in the request's trace
    assert any(s.name in ("EVALSHA", "EVAL") for s in redis), [s.name for s in redis]
    assert {s.context.trace_id for s in under} == {server.context.trace_id}

    lines = [r for r in caplog.records if r.name == "tinybook.access" and "/articles/pub/" in r.getMessage()]
    assert len(lines) == 1
    assert lines[0].trace_id == format(server.context.trace_id, "032x")
    assert lines[0].request_id == "rid-trace-1"  # the request id stays


def test_a_query_string_secret_is_redacted_in_the_request_span(spans, api):
    answer = api.get("/articles/pub/list?code=123456&token=abc", HTTP_X_REQUEST_ID="rid-trace-2")
    assert answer.status_code in (200, 405)
    finished = spans.get_finished_spans()
    server = _server_span(finished, "")
    text = _all_values([server])
    assert "123456" not in text and "abc" not in text.replace("[redacted]", "")


# --- the read-event stream: the consumer's span joins the reader's trace ------------------------------

@pytest.mark.django_db(transaction=True)
def test_the_consumer_applies_a_read_in_the_readers_trace(spans, auth_api, settings):
    from interactions.consumer import ReadConsumer
    from interactions.models import Counter
    from interactions.tests.helpers import published_article

    settings.READ_EVENTS_INLINE = False  # the services profile's way: through the stream
    settings.READ_EVENTS_BATCH_WAIT_MS = 50
    article_id = published_article()
    spans.clear()
    assert auth_api.get(f"/articles/pub/{article_id}").json()["code"] == 0
    server = _server_span(spans.get_finished_spans(), "articles/pub")

    ReadConsumer(name="traced").run(max_idle_rounds=2)
    assert Counter.objects.get(biz_id=article_id).read_cnt == 1

    applies = [s for s in spans.get_finished_spans() if s.name == "read_events apply"]
    assert len(applies) == 1
    apply = applies[0]
    assert apply.context.trace_id == server.context.trace_id  # the same trace as the read
    assert apply.parent is not None and apply.parent.is_remote
    assert [link.context.trace_id for link in apply.links] == [server.context.trace_id]
    assert apply.attributes["messaging.batch.message_count"] == 1
    assert apply.attributes["tinybook.read_events.counted"] == 1
    # its own database and Redis work is under it
    under = _descendants(spans.get_finished_spans(), apply)
    assert any(s.attributes.get("db.system") in ("mysql", "sqlite") for s in under)
    assert any(s.attributes.get("db.system") == "redis" for s in under)
    # its polling rounds (lease, XREADGROUP) are not a trace each
    polls = [s.name for s in spans.get_finished_spans() if s.parent is None
             and s.attributes.get("db.system") == "redis" and ("XREADGROUP" in s.name or "EVALSHA" in s.name)]
    assert polls == []


@pytest.mark.django_db(transaction=True)
def test_a_batch_from_several_reads_links_to_each(spans, settings):
    from interactions.consumer import ReadConsumer
    from interactions.services import read_view
    from interactions.tests.helpers import published_article

    settings.READ_EVENTS_INLINE = False
    settings.READ_EVENTS_BATCH_WAIT_MS = 50
    first, second = published_article(), published_article()
    traces = []
    for article_id in (first, second):
        with tracing.span("a reader") as reader:
            read_view(biz_id=article_id, viewer=f"v{article_id}", user_id=None)
            traces.append(reader.get_span_context().trace_id)
    spans.clear()
    ReadConsumer(name="batch").run(max_idle_rounds=2)
    applies = [s for s in spans.get_finished_spans() if s.name == "read_events apply"]
    assert len(applies) == 1
    assert applies[0].parent is None  # a trace of its own…
    assert sorted(link.context.trace_id for link in applies[0].links) == sorted(traces)  # …linked to both
    assert applies[0].context.trace_id not in traces


# --- SMS: a span per send, the provider's HTTP call under it, no phone number anywhere --------------

@pytest.fixture
def fake_tencent(settings):
    from sms.tests.fakes import FakeSmsServer

    server = FakeSmsServer().start()
    settings.SMS_PROVIDERS = ["tencent"]
    settings.SMS_TENCENT_ENDPOINT = f"http://{server.endpoint}"
    settings.SMS_TENCENT_SECRET_ID = "fake-id"
    settings.SMS_TENCENT_SECRET_KEY = "fake-key"
    settings.SMS_TENCENT_APP_ID = "1400000000"
    settings.SMS_TENCENT_SIGN_NAME = "TinyBook"
    settings.SMS_PROVIDER_TIMEOUT = 2.0
    settings.SMS_REQUIRE_TEMPLATE_TOKEN = False
    yield server
    server.stop()


def test_an_sms_send_is_a_span_with_provider_template_and_outcome_never_the_phone(spans, api, fake_tencent,
                                                                                 settings):
    answer = api.post("/users/login_sms/code/send", {"phone": PHONE}, format="json")
    assert answer.json()["code"] == 0, answer.json()
    assert fake_tencent.sent_numbers() == [PHONE]
    code = fake_tencent.received[0][2][0]  # the login code is the template's first parameter

    finished = spans.get_finished_spans()
    server = _server_span(finished, "login_sms")
    under = _descendants(finished, server)
    send = [s for s in under if s.name == "sms send"]
    assert len(send) == 1
    assert send[0].attributes["sms.template"] == settings.SMS_LOGIN_TEMPLATE_ID
    assert send[0].attributes["sms.outcome"] == "sent"
    assert send[0].attributes["sms.provider"] == "tencent"
    attempt = [s for s in _descendants(finished, send[0]) if s.name == "sms send tencent"]
    assert len(attempt) == 1 and attempt[0].attributes["sms.outcome"] == "ok"
    # the SDK's HTTP call to the (fake) provider, under the attempt, to where it really went
    http = [s for s in _descendants(finished, attempt[0]) if s.kind.name == "CLIENT"
            and (s.attributes.get("http.method") or s.attributes.get("http.request.method"))]
    assert len(http) == 1
    url = http[0].attributes.get("http.url") or http[0].attributes.get("url.full")
    assert fake_tencent.endpoint in url
    assert http[0].attributes.get("http.status_code", http[0].attributes.get("http.response.status_code")) == 200

    text = _all_values(finished)
    national = PHONE.removeprefix("+86")
    assert national not in text and code not in text


def test_a_failed_sms_send_says_why_without_the_phone(spans, fake_tencent, settings):
    from sms import senders

    fake_tencent.mode = "error"
    msg = senders.Message(tpl_id="login_code", args=("123456",), numbers=(PHONE,))
    with pytest.raises(senders.NotSent):
        senders.send_now(msg)
    finished = spans.get_finished_spans()
    send = [s for s in finished if s.name == "sms send"]
    assert len(send) == 1 and send[0].attributes["sms.outcome"] == "error"
    attempt = [s for s in finished if s.name == "sms send tencent"]
    assert attempt[0].attributes["sms.outcome"] == "error"
    text = _all_values(finished)
    assert PHONE.removeprefix("+86") not in text and "123456" not in text


def test_outbound_urls_lose_their_query_string(spans):
    """WeChat's login puts the app secret in the query string; Aliyun the phone numbers."""
    import requests

    from sms.tests.fakes import FakeSmsServer

    server = FakeSmsServer().start()
    try:
        requests.post(f"http://{server.endpoint}/?secret=s3cr3t&PhoneNumbers=13800000000", data=b"{}", timeout=5)
    finally:
        server.stop()
    http = [s for s in spans.get_finished_spans() if s.kind.name == "CLIENT"]
    assert len(http) == 1
    text = _all_values(http)
    assert server.endpoint in text
    assert "s3cr3t" not in text and "13800000000" not in text


# --- Celery: the task a request enqueued runs in the request's trace --------------------------------

@pytest.fixture
def eager_celery():
    from tinybook.celery import app as celery_app

    old = celery_app.conf.task_always_eager
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = old


@pytest.mark.django_db(transaction=True)
def test_the_celery_task_a_request_enqueued_is_in_its_trace(spans, api, fake_tencent, settings, eager_celery):
    from sms.models import AsyncSms

    fake_tencent.mode = "error"  # the provider fails: the code is queued for the workers
    settings.SMS_ASYNC_MAX_ATTEMPTS = 1
    settings.SMS_ASYNC_BACKOFF_BASE = settings.SMS_ASYNC_BACKOFF_CAP = 0.0  # due at once
    answer = api.post("/users/login_sms/code/send", {"phone": PHONE}, format="json")
    assert answer.json()["code"] == 0, answer.json()
    assert AsyncSms.objects.get().attempts == 1  # the task ran (and failed again: one attempt)

    finished = spans.get_finished_spans()
    server = _server_span(finished, "login_sms")
    tasks = [s for s in finished if s.name == "run/sms.tasks.sms_deliver" or s.name.endswith("sms_deliver")]
    assert len(tasks) == 1, [s.name for s in finished]
    assert tasks[0].context.trace_id == server.context.trace_id
    assert tasks[0] in _descendants(finished, server)
    # the task's own provider attempt is under the task span
    assert any(s.name == "sms send" for s in _descendants(finished, tasks[0]))
    assert PHONE.removeprefix("+86") not in _all_values(finished)


# --- an exporter that is down -----------------------------------------------------------------------

def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(code: str, env_extra: dict, tmp_path: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(env_extra)
    env["PYTHONPATH"] = str(ROOT)
    # the embedded profile's database file, if this profile is the embedded one: not the checkout's
    env["TINYBOOK_SQLITE_PATH"] = str(tmp_path / "probe.sqlite3")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


# A request through the real WSGI entry point (tinybook/wsgi.py, which calls tracing.setup()).
PROBE = """
import json, sys, time
import tinybook.wsgi
from django.conf import settings
from django.test import Client
started = time.monotonic()
answer = Client().get("/readyz")
took = time.monotonic() - started
loaded = sorted(m for m in sys.modules if m.startswith("opentelemetry"))
from tinybook import tracing
if tracing.enabled():
    tracing._provider.force_flush()
print("RESULT " + json.dumps({"status": answer.status_code, "took": took, "loaded": loaded,
      "middleware": [m for m in settings.MIDDLEWARE if "opentelemetry" in m]}))
"""


def _result(done: subprocess.CompletedProcess) -> dict:
    assert done.returncode == 0, done.stderr[-3000:]
    line = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    assert line, done.stdout[-2000:] + done.stderr[-2000:]
    return json.loads(line[-1].removeprefix("RESULT "))


def test_off_nothing_of_opentelemetry_is_loaded_or_installed(tmp_path):
    for env in ({}, {"OTEL_TRACES_EXPORTER": "none"}):
        result = _result(_run(PROBE, env, tmp_path))
        assert result["status"] == 200
        assert result["loaded"] == [] and result["middleware"] == [], env


def test_console_exporter_prints_the_request_trace_with_the_service_name(tmp_path):
    done = _run(PROBE, {"OTEL_TRACES_EXPORTER": "console", "OTEL_SERVICE_NAME": "tinybook-test",
                        "OTEL_PYTHON_DJANGO_EXCLUDED_URLS": "nothing-excluded"}, tmp_path)
    result = _result(done)
    assert result["status"] == 200 and result["middleware"]
    decoder, text, found = json.JSONDecoder(), done.stdout, []
    at = text.find("{")
    while at != -1:
        obj, end = decoder.raw_decode(text, at)
        found.append(obj)
        at = text.find("{", end)
    exported = [o for o in found if "context" in o and "name" in o]
    server = [o for o in exported if o["kind"] == "SpanKind.SERVER"]
    assert len(server) == 1 and server[0]["resource"]["attributes"]["service.name"] == "tinybook-test"
    children = [o for o in exported if o["parent_id"] == server[0]["context"]["span_id"]]
    assert {o["attributes"].get("db.system") for o in children} >= {"redis"}
    assert any(o["attributes"].get("db.statement") == "SELECT 1" for o in children)


def test_a_collector_that_is_down_never_fails_or_holds_a_request(tmp_path):
    result = _result(_run(PROBE, {
        "OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{_closed_port()}",
        "OTEL_PYTHON_DJANGO_EXCLUDED_URLS": "nothing-excluded", "OTEL_EXPORTER_OTLP_TIMEOUT": "2",
    }, tmp_path))
    assert result["status"] == 200 and result["middleware"]
    # exporting happens on the batch processor's thread: the request never waits for it
    assert result["took"] < 2


def test_an_unknown_exporter_is_refused_at_start(tmp_path):
    done = _run("import tinybook.wsgi", {"OTEL_TRACES_EXPORTER": "jaegr"}, tmp_path)
    assert done.returncode != 0 and "OTEL_TRACES_EXPORTER names jaegr" in done.stderr


def test_off_the_helpers_do_nothing():
    assert not tracing.enabled()
    assert tracing.traceparent() == "" and tracing.log_fields() == {}
    with tracing.span("x", {"a": 1}) as s:
        s.set_attribute("b", 2)
    with tracing.consumer_span("y", iter(()), {}) as s:
        s.set_attribute("c", 3)


def test_exporters_come_from_opentelemetrys_own_variables():
    assert tracing.exporter_names({}) == []
    assert tracing.exporter_names({"OTEL_TRACES_EXPORTER": "none"}) == []
    assert tracing.exporter_names({"OTEL_TRACES_EXPORTER": " OTLP, console"}) == ["otlp", "console"]
    assert tracing.exporter_names({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_SDK_DISABLED": "true"}) == []


# --- a real worker process: the trace context crosses the broker ------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "mysql", reason="needs a database server shared by processes")
@pytest.mark.django_db(transaction=True)
def test_a_task_published_here_runs_in_a_worker_process_in_the_same_trace(spans):
    """A prefork worker (tracing set up in worker_process_init) runs a task this process
    published inside a span: its run span is a child of the publish span, across RabbitMQ."""
    import threading
    import uuid

    from tinybook.celery import app as celery_app
    from users.tasks import sessions_purge

    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "OTEL_"))}
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env["DATABASE_URL"] = f"mysql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 3306}/{db['NAME']}"
    env.update(OTEL_TRACES_EXPORTER="console", OTEL_BSP_SCHEDULE_DELAY="100", LOG_LEVEL="WARNING")
    queue = f"tracing-test-{uuid.uuid4().hex[:8]}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tinybook", "worker", "-P", "prefork", "-c", "1", "-Q", queue,
         "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.extend(iter(worker.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # consuming its queue: a message sent before would be dropped
            active = celery_app.control.inspect(timeout=0.5).active_queues() or {}
            if any(queue in name for name in active):
                break
            assert worker.poll() is None, "".join(out)[-3000:]
        else:
            pytest.fail("the worker did not start: " + "".join(out)[-3000:])

        with tracing.span("publisher") as publisher:
            sessions_purge.apply_async(queue=queue)
        trace_id = f"0x{publisher.get_span_context().trace_id:032x}"
        produced = [s for s in spans.get_finished_spans() if s.kind.name == "PRODUCER"]
        assert len(produced) == 1 and produced[0].parent.span_id == publisher.get_span_context().span_id

        run = None
        while run is None and time.monotonic() < deadline + 30:
            time.sleep(0.2)
            text = "".join(out)
            at = text.find('"name": "run/users.tasks.sessions_purge"')
            if at != -1:  # "name" is a span's first key (the worker logs stdout: a prefix may precede it)
                run, _end = json.JSONDecoder().raw_decode(text, text.rfind("{\n", 0, at))
        assert run is not None, "".join(out)[-3000:]
        assert run["context"]["trace_id"] == trace_id
        assert run["parent_id"] == f"0x{produced[0].context.span_id:016x}"
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
