import logging
import os

import prometheus_client
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe
from django.views.static import serve
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import multiprocess

from tinybook import kv
from tinybook.envelope import CODE_INVALID, CODE_SYSTEM, envelope
from tinybook.metrics import state_registry
from tinybook.middleware import sessionless
from tinybook.net import client_ip, ip_allowed
from tinybook.storage import MEDIA_CACHE_CONTROL

logger = logging.getLogger(__name__)


@sessionless
@require_GET
def healthz(request):
    """Liveness: the process answers. Touches nothing else on purpose."""
    return JsonResponse({"status": "ok"})


@sessionless
@require_GET
def readyz(request):
    """Readiness: the database and Redis both answer; 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any failure means "not ready"; say which
        logger.warning("readiness: database unavailable: %s", type(exc).__name__)
        checks["database"] = "unavailable"
    try:
        kv.client().ping()
        checks["redis"] = "ok"
    except kv.REDIS_ERRORS as exc:
        logger.warning("readiness: redis unavailable: %s", type(exc).__name__)
        checks["redis"] = "unavailable"
    ready = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


@sessionless
@require_GET
def metrics(request):
    """Prometheus exposition, to ``METRICS_ALLOWED_IPS`` only (multiprocess-aware)."""
    if not ip_allowed(client_ip(request), settings.METRICS_ALLOWED_IPS):
        return HttpResponseForbidden(b"forbidden\n", content_type="text/plain")
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        # The per-process files do not include the state collectors: add them to the merge.
        registry = state_registry()
        multiprocess.MultiProcessCollector(registry)
        return HttpResponse(prometheus_client.generate_latest(registry),
                            content_type=prometheus_client.CONTENT_TYPE_LATEST)
    return ExportToDjangoView(request)


# As DRF's JSONRenderer writes every other answer: compact, UTF-8 (not \uXXXX escapes).
_LIKE_DRF = {"ensure_ascii": False, "separators": (",", ":")}


def bad_request(request, exception=None):
    """What Django refuses before any view (a Host not allowed, too many fields): the envelope."""
    if "text/html" in request.META.get("HTTP_ACCEPT", ""):
        return HttpResponse(b"<h1>Bad Request (400)</h1>", status=400)
    return JsonResponse(envelope(CODE_INVALID, _("bad request")), status=400, json_dumps_params=_LIKE_DRF)


def not_found(request, exception=None):
    if "text/html" in request.META.get("HTTP_ACCEPT", ""):
        return render(request, "404.html", status=404)
    return JsonResponse(envelope(CODE_INVALID, _("not found")), status=404, json_dumps_params=_LIKE_DRF)


def server_error(request):
    if "text/html" in request.META.get("HTTP_ACCEPT", ""):
        return render(request, "500.html", status=500)
    return JsonResponse(envelope(CODE_SYSTEM, _("system error")), status=500, json_dumps_params=_LIKE_DRF)


@sessionless
@require_safe
def media(request, path: str):
    """Uploaded images of local storage (``MEDIA_STORAGE=local``), DEBUG or not: the embedded
    profile has no other web server. Names are random and never rewritten, so a copy is good
    for a year. ``serve`` keeps the path inside MEDIA_ROOT and lists no directory."""
    if settings.MEDIA_STORAGE != "local":
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = MEDIA_CACHE_CONTROL
    return response


@sessionless
@require_safe
@cache_control(public=True, max_age=24 * 3600)
def favicon(request):
    """``/favicon.ico``, which browsers ask for on pages that name no icon (the admin, API docs)."""
    return HttpResponseRedirect(static("favicon.ico"))
