import logging
import os

import prometheus_client
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import multiprocess

from tinybook import kv
from tinybook.envelope import CODE_INVALID, CODE_SYSTEM, envelope
from tinybook.metrics import state_registry
from tinybook.net import client_ip, ip_allowed

logger = logging.getLogger(__name__)


@require_GET
def healthz(request):
    """Liveness: the process answers. Touches nothing else on purpose."""
    return JsonResponse({"status": "ok"})


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


def not_found(request, exception=None):
    if "text/html" in request.META.get("HTTP_ACCEPT", ""):
        return render(request, "404.html", status=404)
    return JsonResponse(envelope(CODE_INVALID, _("not found")), status=404, json_dumps_params=_LIKE_DRF)


def server_error(request):
    if "text/html" in request.META.get("HTTP_ACCEPT", ""):
        return render(request, "500.html", status=500)
    return JsonResponse(envelope(CODE_SYSTEM, _("system error")), status=500, json_dumps_params=_LIKE_DRF)
