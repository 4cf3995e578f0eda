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
