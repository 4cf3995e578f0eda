import pytest

from sms.tests.fakes import FakeSmsServer
from tinybook.celery import app as celery_app

PHONE = "+8613800000000"


@pytest.fixture
def fake_tencent(settings):
    server = FakeSmsServer().start()
    settings.SMS_TENCENT_ENDPOINT = f"http://{server.endpoint}"
    settings.SMS_TENCENT_SECRET_ID = "fake-id"
    settings.SMS_TENCENT_SECRET_KEY = "fake-key"
    settings.SMS_TENCENT_APP_ID = "1400000000"
    settings.SMS_TENCENT_SIGN_NAME = "TinyBook"
    yield server
    server.stop()


@pytest.fixture
def fake_aliyun(settings):
    server = FakeSmsServer().start()
    settings.SMS_ALIYUN_ENDPOINT = f"http://{server.endpoint}"
    settings.SMS_ALIYUN_ACCESS_KEY_ID = "fake-id"
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "fake-secret"
    settings.SMS_ALIYUN_SIGN_NAME = "TinyBook"
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _short_sms_settings(settings):
    """Short, test-sized values; individual tests tighten what they exercise."""
    settings.SMS_PROVIDER_TIMEOUT = 2.0
    settings.SMS_ASYNC_BACKOFF_BASE = 0.05
    settings.SMS_ASYNC_BACKOFF_CAP = 0.2
    settings.SMS_FEE_TIERS = {}
    settings.SMS_REQUIRE_TEMPLATE_TOKEN = False


@pytest.fixture
def eager_celery():
    """Run tasks inline (the embedded profile's mode) whatever the profile."""
    # The app reads Django settings under the CELERY_ namespace: set the namespaced key.
    old = celery_app.conf.task_always_eager
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    assert celery_app.conf.task_always_eager
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = old


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"CONNECTION_POOL_KWARGS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
        },
    }
