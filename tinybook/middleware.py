import functools
import logging
import time
import uuid
from functools import wraps

from corsheaders import middleware as cors
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.signals import setting_changed
from django.http import JsonResponse
from django.middleware import locale
from django.urls import Resolver404, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext as _

from tinybook import kv, tracing
from tinybook.envelope import CODE_INVALID, envelope
from tinybook.logging import request_id_var
from tinybook.net import client_ip
from tinybook.redact import redact_body, redact_query

access_logger = logging.getLogger("tinybook.access")
logger = logging.getLogger("tinybook")

# Paths that must answer even when a client is being limited (probes, scrapes, assets).
UNLIMITED_PREFIXES = ("/healthz", "/readyz", "/metrics", "/static/")


def _user_id(request):
    """The user id if authentication already ran; never triggers a session lookup."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject):
        if user._wrapped is empty:
            return None
        user = user._wrapped
    return getattr(user, "pk", None)


def body_not_logged(view):
    """For a view whose request body must never reach a log line, even with ``ACCESS_LOG_BODIES``
    on (a payment notification: signed, encrypted, nobody's business)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.access_log_bodies = False
        return view(request, *args, **kwargs)

    return wrapped


def sessionless(view):
    """For a function view that needs no session, messages, CSRF cookie or clickjacking header
    (probes, metrics, images): it skips the page middleware (``PageMiddleware``)."""
    view.sessionless = True
    return view


_page_needs_by_view: dict = {}

# What a view needs of the page middleware (``_page_needs``), decided once per view.
NEVER, WITH_SESSION_COOKIE, ALWAYS = 0, 1, 2


def _page_needs(func) -> int:
    """Whether a view needs the page middleware: ``NEVER``, ``ALWAYS``, or only for a request
    that carries a session cookie (``WITH_SESSION_COOKIE``).

    A DRF view that does not accept the browser session (``SessionAuthentication``) is the JSON
    API: it reads its own token, answers JSON and is never framed (``NEVER``). A DRF view that
    accepts either (the buttons' ``MemberAPIView``) needs the session, and with it CSRF, only
    when the request carries a session cookie: without one there is no session to find, DRF's
    session authentication finds no user (and so enforces no CSRF), and a JSON view neither
    writes the session nor adds messages — a token client's like is plain JSON API
    (``WITH_SESSION_COOKIE``). Anything else is a page (or may be): admin, templates, error
    pages, and an API view that logs a browser into its session (``uses_session = True`` on
    the class) (``ALWAYS``).
    """
    try:
        return _page_needs_by_view[func]
    except KeyError:
        pass
    from rest_framework.authentication import SessionAuthentication  # noqa: PLC0415
    from rest_framework.views import APIView  # noqa: PLC0415

    cls = getattr(func, "view_class", None)
    if getattr(func, "sessionless", False):
        answer = NEVER
    elif cls is not None and issubclass(cls, APIView) and not getattr(cls, "uses_session", False):
        accepts_session = any(issubclass(a, SessionAuthentication) for a in cls.authentication_classes)
        answer = WITH_SESSION_COOKIE if accepts_session else NEVER
    else:
        answer = ALWAYS
    _page_needs_by_view[func] = answer
    return answer


@functools.lru_cache(maxsize=settings.URL_RESOLVE_CACHE_SIZE)
def _resolve(urlconf: str, path: str):
    """Django's URL resolution, remembered per path (bounded, least recently used first out).

    The URL patterns are tried in order, one regular expression each, and webook's paths share
    no prefix Django could branch on: ``/users/profile`` was matched after about fifty patterns
    (resolving was 13 % of ``/articles/pub/<id>`` under the profiler). A path resolves to the same match while the URLconf stays, so the
    match is kept (a ``Resolver404`` is not, so unknown paths cannot fill the cache). The match
    is shared by the requests of that path: nothing may change it (Django's handler and the
    middleware only read it).
    """
    return get_resolver(urlconf).resolve(path)


def _clear_resolved(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":  # tests swap the URLconf
        _resolve.cache_clear()


setting_changed.connect(_clear_resolved)

_METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "CONNECT", "PATCH"))


class RequestMiddleware:
    """The first thing every request meets: its request id, its Prometheus metrics and its
    access-log line, in one pass (docs/performance.md).

    It resolves the URL once, up front (``tinybook.handlers`` reuses the match instead of
    resolving again), so the view's name is known for the metrics and ``PageMiddleware`` can
    tell the JSON API from pages. The metrics are django-prometheus's own (same names, same
    labels as its Before/After middleware pair); the labelled children are looked up once per
    view, method, status and charset, then reused.

    The access log: one line per request (method, path, status, duration, user id, request id).
    Bodies are logged only with ``ACCESS_LOG_BODIES`` on, redacted and cut at
    ``ACCESS_LOG_BODY_MAX`` bytes; query strings are always redacted. The line's fields are
    built in one place, ``access_record``.
    """

    def __init__(self, get_response):
        from django_prometheus.middleware import Metrics  # noqa: PLC0415

        self.get_response = get_response
        self.metrics = Metrics.get_instance()
        self._children: dict = {}
        self._by_method: dict = {}

    def __call__(self, request):
        started = time.perf_counter()
        rid = request.META.get("HTTP_X_REQUEST_ID", "")[:64] or uuid.uuid4().hex
        request.request_id = rid
        token = request_id_var.set(rid)
        m = self.metrics
        m.requests_total.inc()
        try:
            request.resolver_match = _resolve(settings.ROOT_URLCONF, request.path_info)
        except Resolver404:
            pass  # the handler resolves again and answers 404
        method = request.method if request.method in _METHODS else "<invalid method>"
        self._request_metrics(request, method)
        request_body = b""
        if settings.ACCESS_LOG_BODIES and request.content_type == "application/json":
            try:
                request_body = request.body[: settings.API_MAX_BODY_BYTES]
            except Exception:  # too large or already read: the body is not worth a failure
                request_body = b""
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            duration = time.perf_counter() - started
            self._response_metrics(request, response, method, duration)
            try:
                if access_logger.isEnabledFor(logging.INFO):
                    _access_log(access_record(request, response, duration, request_body))
            except Exception:  # the answer (and any write it made) stands; only the line is lost
                logger.warning("access log line could not be written", exc_info=True)
        finally:
            request_id_var.reset(token)
        return response

    def _request_metrics(self, request, method):
        m = self.metrics
        try:
            by_method = self._by_method[method]
        except KeyError:
            by_method = self._by_method[method] = (
                m.requests_by_method.labels(method=method), m.requests_by_transport.labels(transport="http"),
                m.requests_by_transport.labels(transport="https"))
        by_method[0].inc()
        by_method[2 if request.is_secure() else 1].inc()
        if request.META.get("HTTP_X_REQUESTED_WITH") == "XMLHttpRequest":
            m.requests_ajax.inc()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        m.requests_body_bytes.observe(length)

    def _response_metrics(self, request, response, method, duration):
        m = self.metrics
        match = request.resolver_match
        view = (match.view_name or "<unnamed view>") if match is not None else "<unnamed view>"
        status = response.status_code
        charset = getattr(response, "charset", None)
        key = (view, method, status, charset, request.is_secure(), match is not None)
        try:
            children = self._children[key]
        except KeyError:
            transport = "https" if key[4] else "http"
            children = self._children[key] = (
                m.responses_by_status.labels(status=str(status)),
                m.responses_by_status_view_method.labels(status=str(status), view=view, method=method),
                m.requests_latency_by_view_method.labels(view=view, method=request.method),
                m.responses_by_charset.labels(charset=str(charset)) if charset is not None else None,
                m.requests_by_view_transport_method.labels(view=view, transport=transport, method=method)
                if key[5] else None,
            )
        by_status, by_status_view, latency, by_charset, by_view = children
        if by_view is not None:
            by_view.inc()
        template_name = getattr(response, "template_name", _ABSENT)
        if template_name is not _ABSENT:
            m.responses_by_templatename.labels(templatename=str(template_name)).inc()
        m.responses_total.inc()
        by_status.inc()
        by_status_view.inc()
        if by_charset is not None:
            by_charset.inc()
        if getattr(response, "streaming", False):
            m.responses_streaming.inc()
        else:
            m.responses_body_bytes.observe(len(response.content))
        latency.observe(duration)
        m.requests_latency_before.observe(duration)

    def process_exception(self, request, exception):
        m = self.metrics
        m.exceptions_by_type.labels(type=type(exception).__name__).inc()
        match = request.resolver_match
        if match is not None:
            m.exceptions_by_view.labels(view=match.view_name or "<unnamed view>").inc()


_ABSENT = object()


def access_record(request, response, duration: float, request_body: bytes) -> dict:
    """The fields of one access-log line: the one place the line is built."""
    query = request.META.get("QUERY_STRING", "")
    record = {
        "method": request.method,
        "path": request.path,
        "query": redact_query(query) if query else "",
        "status": response.status_code,
        "duration_ms": round(duration * 1000, 2),
        "user_id": _user_id(request),
        "request_id": request.request_id,
        "ip": client_ip(request),
        **tracing.log_fields(),  # trace_id, when tracing is on
    }
    if settings.ACCESS_LOG_BODIES and getattr(request, "access_log_bodies", True):
        limit = settings.ACCESS_LOG_BODY_MAX
        record["request_body"] = redact_body(request_body, limit)
        if not getattr(response, "streaming", False):
            record["response_body"] = redact_body(response.content, limit, envelope=True)
    return record


ACCESS_FORMAT = "%s %s%s %s %.1fms uid=%s"


def _access_log(record: dict) -> None:
    # What ``access_logger.info(...)`` does, minus its search of the call stack for the caller's
    # file and line, which no formatter of ours prints.
    args = (record["method"], record["path"], f"?{record['query']}" if record["query"] else "",
            record["status"], record["duration_ms"], record["user_id"])
    access_logger.handle(access_logger.makeRecord(access_logger.name, logging.INFO, "(unknown file)", 0,
                                                  ACCESS_FORMAT, args, None, extra=record))


class IPRateLimitMiddleware:
    """The global per-IP limiter: ``IP_RATE_LIMIT`` requests per ``IP_RATE_LIMIT_WINDOW``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.IP_RATE_LIMIT
        if limit > 0 and not request.path.startswith(UNLIMITED_PREFIXES):
            ip = client_ip(request)
            try:
                allowed = kv.sliding_window_hit(
                    kv.ip_rate_key(ip), limit=limit, window=settings.IP_RATE_LIMIT_WINDOW
                )
            except kv.REDIS_ERRORS:
                logger.warning("rate limiter unavailable (Redis); fail_open=%s", settings.IP_RATE_LIMIT_FAIL_OPEN)
                allowed = settings.IP_RATE_LIMIT_FAIL_OPEN
            if not allowed:
                response = JsonResponse(envelope(CODE_INVALID, _("too many requests")), status=429)
                response["Retry-After"] = str(max(1, int(settings.IP_RATE_LIMIT_WINDOW)))
                return response
        return self.get_response(request)


class CorsMiddleware(cors.CorsMiddleware):
    """django-cors-headers' middleware, without building ``request.headers`` for a request that
    has no ``Origin`` header (most of them: every client that is not a browser on another
    origin).

    Its answer to such a request is only ``Vary: origin`` (when CORS applies to the path), but
    it reads the header through ``request.headers``, which copies every header of the request
    first: half of the middleware's cost (docs/performance.md, round five). A request with an
    ``Origin`` is handled by django-cors-headers, unchanged.
    """

    def add_response_headers(self, request, response):
        if "HTTP_ORIGIN" in request.META:
            return super().add_response_headers(request, response)
        enabled = getattr(request, "_cors_enabled", None)
        if enabled is None:
            enabled = self.is_enabled(request)
        if enabled:
            patch_vary_headers(response, ("origin",))
        return response


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's ``LocaleMiddleware``, minus the work for a language in the URL when the URLconf
    has no ``i18n_patterns`` (ours has none).

    Django's looks for a language prefix in the path twice per request (a regular expression
    and a lookup of the supported variants each time) and only uses the answer when
    ``i18n_patterns`` are in use; that was about a quarter of its cost (docs/performance.md,
    round five). Without them this does what Django's does: the language from the cookie or
    ``Accept-Language`` (else ``LANGUAGE_CODE``) is activated, and the answer gets
    ``Content-Language`` and ``Vary: Accept-Language``. With them it is Django's, unchanged.
    """

    @staticmethod
    def _i18n_patterns_used(request) -> bool:
        return is_language_prefix_patterns_used(getattr(request, "urlconf", settings.ROOT_URLCONF))[0]

    def process_request(self, request):
        if self._i18n_patterns_used(request):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if self._i18n_patterns_used(request):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


# The middleware only pages need, in their usual order, run by ``PageMiddleware``.
PAGE_MIDDLEWARE = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
)


class PageMiddleware:
    """Sessions, CSRF, the user, messages and the clickjacking header — for pages only.

    The JSON API (see ``_page_needs``) goes straight past them: it has no session, no
    messages, no CSRF cookie and is never framed; so does a call of the buttons' API that
    carries no session cookie (a token client). Every other request (pages, admin, the
    buttons' API called by a browser with its session, anything that did not resolve) runs through Django's
    own middleware classes, unchanged, in ``PAGE_MIDDLEWARE`` order. ``RequestMiddleware`` has
    resolved the URL already.
    """

    def __init__(self, get_response):
        from django.core.handlers.exception import convert_exception_to_response  # noqa: PLC0415
        from django.utils.module_loading import import_string  # noqa: PLC0415

        self.get_response = get_response
        chain = get_response
        self.page_middleware = []
        for path in reversed(PAGE_MIDDLEWARE):
            instance = import_string(path)(chain)
            self.page_middleware.insert(0, instance)
            chain = convert_exception_to_response(instance)
        self.pages = chain
        self._view_hooks = [mw.process_view for mw in self.page_middleware if hasattr(mw, "process_view")]

    def __call__(self, request):
        match = request.resolver_match
        if match is not None:
            needs = _page_needs(match.func)
            if needs == NEVER or (needs == WITH_SESSION_COOKIE
                                  and settings.SESSION_COOKIE_NAME not in request.COOKIES):
                request.sessionless = True
                return self.get_response(request)
        return self.pages(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(request, "sessionless", False):
            return None
        for hook in self._view_hooks:
            response = hook(request, view_func, view_args, view_kwargs)
            if response is not None:
                return response
        return None
