"""The baseline: the cheapest DRF view answering a webook envelope, in one file.

Served by gunicorn beside TinyBook (``gunicorn scripts.bench.baseline:application``);
``GET|POST /b/<n>`` answers ``{"code":0,"msg":"ok","data":"xxx…"}`` whose body is about
``n`` bytes, so each TinyBook endpoint is compared with a baseline answer of its own size.
"""

import functools

import django
from django.conf import settings
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-baseline-fake-key-0123456789-abcdefghijklmnopqrstuvwxyz",  # noqa: S106
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["*"],
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"],
    MIDDLEWARE=[],
    DATABASES={},
    REST_FRAMEWORK={
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_AUTHENTICATION_CLASSES": [],
        "DEFAULT_PERMISSION_CLASSES": [],
        "UNAUTHENTICATED_USER": None,
    },
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

ENVELOPE_OVERHEAD = len('{"code":0,"msg":"ok","data":""}')


@functools.lru_cache(maxsize=64)
def filler(size: int) -> str:
    return "x" * max(0, size - ENVELOPE_OVERHEAD)


class Baseline(APIView):
    def get(self, request, size):
        return Response({"code": 0, "msg": "ok", "data": filler(size)})

    def post(self, request, size):
        return self.get(request, size)


urlpatterns = [path("b/<int:size>", Baseline.as_view())]
application = get_wsgi_application()


def _time_in_process(size: int, requests: int, rounds: int) -> tuple[float, float]:
    """(Python calls, CPU µs) per request of the view called as WSGI, in this process: the
    bare view's share of ``scripts/bench/inprocess.py --calls`` (Django is configured here, so
    it runs in a process of its own)."""
    import cProfile  # noqa: PLC0415
    import pstats  # noqa: PLC0415
    import statistics  # noqa: PLC0415
    import time  # noqa: PLC0415

    from wsgicall import call as wsgi_call  # noqa: PLC0415 - beside this file

    def call():
        wsgi_call(application, "GET", f"/b/{size}", {})

    for _ in range(200):
        call()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(200):
        call()
    prof.disable()
    calls = sum(nc for (_cc, nc, _tt, _ct, _callers) in pstats.Stats(prof).stats.values()) / 200
    per = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(requests):
            call()
        per.append((time.process_time() - started) / requests * 1e6)
    return calls, statistics.median(per)


if __name__ == "__main__":  # python scripts/bench/baseline.py SIZE REQUESTS ROUNDS: "calls µs"
    import sys

    print(*_time_in_process(*map(int, sys.argv[1:4])))

