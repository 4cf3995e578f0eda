import logging
import time
import uuid
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
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


class AccessLogMiddleware:
    """One line per request: method, path, status, duration, user id, request id.

    Bodies are logged only with ``ACCESS_LOG_BODIES`` on, redacted and cut at
    ``ACCESS_LOG_BODY_MAX`` bytes; query strings are always redacted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.META.get("HTTP_X_REQUEST_ID", "")[:64] or uuid.uuid4().hex
        request.request_id = rid
        token = request_id_var.set(rid)
        started = time.perf_counter()
        request_body = b""
        if settings.ACCESS_LOG_BODIES and request.content_type == "application/json":
            try:
                request_body = request.body[: settings.API_MAX_BODY_BYTES]
            except Exception:  # too large or already read: the body is not worth a failure
                request_body = b""
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            try:
                self._log(request, response, started, request_body)
            except Exception:  # the answer (and any write it made) stands; only the line is lost
                logger.warning("access log line could not be written", exc_info=True)
        finally:
            request_id_var.reset(token)
        return response

    def _log(self, request, response, started, request_body):
        rid = request.request_id
        duration_ms = (time.perf_counter() - started) * 1000
        query = redact_query(request.META.get("QUERY_STRING", ""))
        extra = {
            "method": request.method,
            "path": request.path,
            "query": query,
            "status": response.status_code,
            "duration_ms": round(duration_ms, 2),
            "user_id": _user_id(request),
            "request_id": rid,
            "ip": client_ip(request),
            **tracing.log_fields(),  # trace_id, when tracing is on
        }
        if settings.ACCESS_LOG_BODIES and getattr(request, "access_log_bodies", True):
            limit = settings.ACCESS_LOG_BODY_MAX
            extra["request_body"] = redact_body(request_body, limit)
            if not getattr(response, "streaming", False):
                extra["response_body"] = redact_body(response.content, limit, envelope=True)
        access_logger.info(
            "%s %s%s %s %.1fms uid=%s",
            request.method,
            request.path,
            f"?{query}" if query else "",
            response.status_code,
            duration_ms,
            extra["user_id"],
            extra={k: v for k, v in extra.items() if k != "request_id"},
        )


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
