"""The WSGI handler: Django's, reusing the URL match ``RequestMiddleware`` made up front; and
the request signals' receivers that can do nothing here, left unconnected
(``drop_idle_request_receivers``, docs/performance.md)."""

from django.conf import settings
from django.core import signals
from django.core.cache import close_caches
from django.core.cache.backends.base import BaseCache
from django.core.handlers.wsgi import WSGIHandler
from django.db import reset_queries
from django.utils.module_loading import import_string


class TinyBookWSGIHandler(WSGIHandler):
    def resolve_request(self, request):
        match = request.resolver_match
        return match if match is not None else super().resolve_request(request)


def _close_does_nothing(conf: dict) -> bool:
    """Whether a cache configured as ``conf`` (one entry of ``CACHES``) does nothing when
    closed: Django's base backends (local memory, database, file, dummy) do nothing, and
    django-redis's ``RedisCache`` with its ``DefaultClient`` disconnects only when
    ``CLOSE_CONNECTION`` (or ``DJANGO_REDIS_CLOSE_CONNECTION``) asks it to. Anything else
    (memcached, another client or subclass) is assumed to need it."""
    backend = import_string(conf["BACKEND"])
    if backend.close is BaseCache.close:
        return True
    try:
        from django_redis.cache import RedisCache  # noqa: PLC0415
        from django_redis.client import DefaultClient  # noqa: PLC0415
    except ImportError:  # pragma: no cover - django-redis is a requirement
        return False
    options = conf.get("OPTIONS", {})
    client = options.get("CLIENT_CLASS", "django_redis.client.DefaultClient")
    client = import_string(client) if isinstance(client, str) else client
    return (backend.close is RedisCache.close and client.close is DefaultClient.close
            and not options.get("CLOSE_CONNECTION", settings.DJANGO_REDIS_CLOSE_CONNECTION))


def drop_idle_request_receivers() -> None:
    """Leave unconnected two of Django's per-request signal receivers that can do nothing here.

    Both walk the per-thread connections (``asgiref.local``) on every request, about 40 µs of
    the 390 µs a request to ``/healthz`` costs in process (docs/performance.md, round five):

    - ``close_caches`` (``request_finished``) calls ``close()`` on every cache in use. It is
      for backends that hold a connection per request (memcached); when every cache in
      ``CACHES`` closes as a no-op (``_close_does_nothing``) it has nothing to do.
    - ``reset_queries`` (``request_started``) empties each connection's query log, which is
      written only with ``DEBUG`` on or inside ``CaptureQueriesContext`` (``assertNumQueries``),
      which disconnects and reconnects this receiver itself. With ``DEBUG`` off at start-up
      the log stays empty.

    Decided once, at start-up (``TinybookConfig.ready``), from the settings.
    """
    if all(_close_does_nothing(conf) for conf in settings.CACHES.values()):
        signals.request_finished.disconnect(close_caches)
    if not settings.DEBUG:
        signals.request_started.disconnect(reset_queries)
