"""OpenTelemetry tracing (docs/tracing.md): one trace per request through Django, the database,
Redis, outbound HTTP and into Celery tasks and read-stream events.

Configured only by OpenTelemetry's own environment variables, and OFF unless
``OTEL_TRACES_EXPORTER`` names an exporter (``otlp`` or ``console``; ``none`` or unset: off).
Off, nothing of OpenTelemetry is even imported: the helpers below answer from one module flag.

Each process calls ``setup()`` once, after any fork: ``manage.py`` (every command, the
read-event consumer included), gunicorn's ``post_fork`` (deploy/gunicorn.conf.py), Celery's
``worker_process_init`` (tinybook/celery.py) and ``tinybook/wsgi.py`` for other WSGI servers.
"""

import os

from django.core.exceptions import ImproperlyConfigured

EXPORTERS = ("otlp", "console")
# Probes and scrapes are not worth a trace each; OTEL_PYTHON_DJANGO_EXCLUDED_URLS replaces this.
DEFAULT_EXCLUDED_URLS = "/healthz,/readyz,/metrics,/static/"

_on = False
_tracer = None
_provider = None
_instrumentors: list = []


class _NoSpan:
    """What ``span()`` gives when tracing is off: a context manager and a span that do nothing."""

    __slots__ = ()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def set_attribute(self, key, value):
        pass


_NO_SPAN = _NoSpan()


def enabled() -> bool:
    return _on


def exporter_names(environ=None) -> list[str]:
    """The exporters ``OTEL_TRACES_EXPORTER`` names (none: tracing is off). An unknown name is
    refused at start rather than tracing nothing in silence."""
    environ = os.environ if environ is None else environ
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return []
    names = [n.strip().lower() for n in environ.get("OTEL_TRACES_EXPORTER", "").split(",")]
    names = [n for n in names if n and n != "none"]
    unknown = sorted(set(names) - set(EXPORTERS))
    if unknown:
        raise ImproperlyConfigured(
            f"OTEL_TRACES_EXPORTER names {', '.join(unknown)}: use otlp, console or none")
    return names


def setup() -> bool:
    """Turn tracing on in this process if the environment asks for it; True when on.

    Idempotent: a second call (gunicorn's post_fork, then wsgi.py) changes nothing.
    """
    if _on:
        return True
    names = exporter_names()
    if not names:
        return False
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    # The batch processor exports from its own thread: a slow or absent collector costs a
    # request nothing beyond queueing (OTEL_BSP_* bound the queue; spans past it are dropped).
    install([BatchSpanProcessor(_exporter(name)) for name in names], set_global=True)
    return True


def _exporter(name: str):
    if name == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter()
    # OTLP over HTTP/protobuf: OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS, _TIMEOUT, …
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


def _resource():
    from opentelemetry.sdk.resources import Resource

    named = os.environ.get("OTEL_SERVICE_NAME") or "service.name=" in os.environ.get("OTEL_RESOURCE_ATTRIBUTES", "")
    # OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES are read by Resource.create itself.
    return Resource.create({} if named else {"service.name": "tinybook"})


def install(processors, *, set_global: bool = True) -> None:
    """A tracer provider with these span processors, and every instrumentation, installed.

    The sampler comes from OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG (the SDK reads them).
    ``set_global=False`` (tests) keeps OpenTelemetry's process-wide provider untouched.
    """
    global _on, _tracer, _provider
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider

    provider = TracerProvider(resource=_resource())
    for processor in processors:
        provider.add_span_processor(processor)
    if set_global:
        trace.set_tracer_provider(provider)
    _instrument(provider)
    _provider, _tracer, _on = provider, provider.get_tracer("tinybook"), True


def _instrument(provider) -> None:
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.mysqlclient import MySQLClientInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor
    from opentelemetry.instrumentation.sqlite3 import SQLite3Instrumentor
    from opentelemetry.instrumentation.urllib3 import URLLib3Instrumentor

    excluded = os.environ.get("OTEL_PYTHON_DJANGO_EXCLUDED_URLS", DEFAULT_EXCLUDED_URLS)
    steps = [
        # Its middleware goes first in MIDDLEWARE: the request span covers every other one.
        (DjangoInstrumentor(), {"excluded_urls": excluded, "request_hook": _server_query_redacted}),
        # The services profile's database (Django calls MySQLdb.connect) and the embedded one's.
        (MySQLClientInstrumentor(), {}),
        (SQLite3Instrumentor(), {}),
        # Every command, pipeline and Lua script (EVALSHA), django-redis's cache included.
        (RedisInstrumentor(), {}),
        # The SMS SDKs, WeChat login and wechatpayv3 speak requests; boto3 speaks urllib3.
        # A call through requests gets one span: its urllib3 span is suppressed.
        (RequestsInstrumentor(), {"request_hook": _url_without_query}),
        (URLLib3Instrumentor(), {"request_hook": _url_without_query}),
        # Publishing puts the trace context in the task's headers; the worker's task span is
        # its child.
        (CeleryInstrumentor(), {}),
    ]
    for instrumentor, options in steps:
        instrumentor.instrument(tracer_provider=provider, **options)
        _instrumentors.append(instrumentor)


_URL_ATTRIBUTES = ("http.url", "url.full")


def _url_without_query(span, *request) -> None:
    """Outbound URLs are recorded without their query string: WeChat's login carries the app
    secret and the user's code there, Aliyun's SMS API the phone numbers and a signature."""
    attributes = getattr(span, "attributes", None) or {}
    for key in _URL_ATTRIBUTES:
        url = attributes.get(key)
        if isinstance(url, str) and "?" in url:
            span.set_attribute(key, url.split("?", 1)[0])


def _server_query_redacted(span, request) -> None:
    """A request's query string is recorded as the access log writes it: codes, tokens and
    passwords redacted (tinybook/redact.py)."""
    from tinybook.redact import redact_query

    attributes = getattr(span, "attributes", None) or {}
    for key in (*_URL_ATTRIBUTES, "http.target"):
        url = attributes.get(key)
        if isinstance(url, str) and "?" in url:
            base, query = url.split("?", 1)
            span.set_attribute(key, f"{base}?{redact_query(query)}")
    if isinstance(attributes.get("url.query"), str):
        span.set_attribute("url.query", redact_query(attributes["url.query"]))


def uninstall() -> None:
    """Remove every instrumentation and flush (tests; a process that ends simply exits)."""
    global _on, _tracer, _provider
    while _instrumentors:
        _instrumentors.pop().uninstrument()
    if _provider is not None:
        _provider.shutdown()
    _on, _tracer, _provider = False, None, None


# --- helpers for the project's code: each costs one flag test when tracing is off ---------------

def span(name: str, attributes: dict | None = None, *, record_errors: bool = True):
    """A span around a block, child of the current one: ``with tracing.span(...) as s:``.

    An exception leaving the block is recorded on it (type, message, stack) and marks it as an
    error; ``record_errors=False`` when a message could carry what a trace must not (a phone
    number): the caller sets ``error.type`` itself."""
    if not _on:
        return _NO_SPAN
    return _tracer.start_as_current_span(name, attributes=attributes, record_exception=record_errors,
                                         set_status_on_exception=record_errors)


def quiet():
    """A block whose database, Redis and HTTP calls are not traced: a polling loop's idle
    rounds would otherwise each be a trace of their own."""
    if not _on:
        return _NO_SPAN
    from opentelemetry.instrumentation.utils import suppress_instrumentation

    return suppress_instrumentation()


def traceparent() -> str:
    """The current trace context as a W3C ``traceparent`` value ("" when off or outside a
    trace), to travel with a message that is handled later (a read-stream entry)."""
    if not _on:
        return ""
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    carrier: dict[str, str] = {}
    TraceContextTextMapPropagator().inject(carrier)
    return carrier.get("traceparent", "")


def consumer_span(name: str, traceparents, attributes: dict | None = None):
    """A span for handling a batch of messages, each with the ``traceparent`` it was sent with
    (str, bytes or empty; ``traceparents`` is only read when tracing is on).

    As OpenTelemetry's messaging conventions have it: a batch from one trace context is handled
    as that context's child (the same trace); a batch from several is a new trace with a link
    to each."""
    if not _on:
        return _NO_SPAN
    from opentelemetry import trace
    from opentelemetry.context import Context
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    propagator, seen = TraceContextTextMapPropagator(), {}
    for value in traceparents:
        if not value:
            continue
        if isinstance(value, bytes):
            value = value.decode("ascii", "replace")
        context = trace.get_current_span(propagator.extract({"traceparent": value})).get_span_context()
        if context.is_valid:
            seen.setdefault((context.trace_id, context.span_id), context)
    contexts = list(seen.values())
    parent = Context()  # a new trace, whatever span is current
    if len(contexts) == 1:
        parent = trace.set_span_in_context(trace.NonRecordingSpan(contexts[0]))
    return _tracer.start_as_current_span(
        name, context=parent, kind=trace.SpanKind.CONSUMER, attributes=attributes,
        links=[trace.Link(c) for c in contexts])


def log_fields() -> dict:
    """``{"trace_id": …}`` for a log line written inside a sampled trace, else ``{}``."""
    if not _on:
        return {}
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    if not (context.is_valid and context.trace_flags.sampled):
        return {}
    return {"trace_id": format(context.trace_id, "032x")}
