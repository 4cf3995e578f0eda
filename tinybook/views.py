import logging
import os

import prometheus_client
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import multiprocess

from articles.engagement import articles_engagement
from articles.selectors import articles_live_list
from ranking.selectors import hot_list_for_home
from tinybook import kv
from tinybook.envelope import CODE_INVALID, envelope
from tinybook.net import client_ip, ip_allowed

logger = logging.getLogger(__name__)

# Collectors that read shared state (database, Redis) at scrape time. Apps append to
# this list; in multiprocess mode (several gunicorn workers) the merged registry of
# per-process files does not include the default registry's collectors, so these are
# added to it here.
STATE_COLLECTORS = []


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
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ and STATE_COLLECTORS:
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        for collector in STATE_COLLECTORS:
            registry.register(collector)
        return HttpResponse(prometheus_client.generate_latest(registry),
                            content_type=prometheus_client.CONTENT_TYPE_LATEST)
    return ExportToDjangoView(request)


def _home_page_number(request) -> int:
    """``?page=``: absent means 1; anything but 1..UI_HOME_MAX_PAGES is a 404 (docs/ui.md)."""
    raw = request.GET.get("page")
    if raw is None:
        return 1
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6) or not 1 <= int(raw) <= settings.UI_HOME_MAX_PAGES:
        raise Http404
    return int(raw)


@require_safe
def home(request):
    """The hot list (first page only) and the newest live articles, paginated."""
    page = _home_page_number(request)
    size = settings.UI_HOME_PAGE_SIZE
    # One row more than a page tells whether there is a next page.
    newest = articles_live_list(offset=(page - 1) * size, limit=size + 1)
    has_next = len(newest) > size and page < settings.UI_HOME_MAX_PAGES
    newest = newest[:size]
    if page > 1 and not newest:
        raise Http404
    counts = articles_engagement(article_ids=[a.id for a in newest], viewer_id=None)
    items = [
        {
            "id": a.id,
            "title": a.title,
            "abstract": a.abstract,
            "author_name": a.author_name,
            "published_at": a.published_at,
            "read_cnt": counts[a.id].read_cnt,
            "like_cnt": counts[a.id].like_cnt,
            "collect_cnt": counts[a.id].collect_cnt,
        }
        for a in newest
    ]
    hot = hot_list_for_home()[: settings.UI_HOME_HOT_COUNT] if page == 1 else []
    return render(
        request,
        "home.html",
        {
            "hot": hot,
            "newest": items,
            "page": page,
            "prev_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if has_next else None,
        },
    )


def not_found(request, exception=None):
    if "text/html" in request.META.get("HTTP_ACCEPT", ""):
        return render(request, "404.html", status=404)
    return JsonResponse(envelope(CODE_INVALID, _("not found")), status=404)


def server_error(request):
    if "text/html" in request.META.get("HTTP_ACCEPT", ""):
        return render(request, "500.html", status=500)
    return JsonResponse(envelope(5, _("system error")), status=500)
