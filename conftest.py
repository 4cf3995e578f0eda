"""Project-wide fixtures. Tests use the real database and Redis of the active profile."""

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from tinybook import kv

# Browser fixtures (Playwright + Debian's chromium), shared by every app's browser tests;
# faults (own Redis/MariaDB proxies, issue 22); media storage (a temporary MEDIA_ROOT, or a
# local fake S3 in the services profile); the fake WeChat Pay server and the payment settings.
pytest_plugins = ["tinybook.tests.browser.fixtures", "tinybook.tests.faults", "tinybook.tests.media",
                  "payments.tests.fixtures"]


@pytest.fixture(autouse=True, scope="session")
def _static_files_without_manifest():
    """Pages render ``{% static %}`` without collectstatic's manifest.

    With DEBUG off (the services profile) production settings pick ManifestStaticFilesStorage,
    which needs ``staticfiles/staticfiles.json``; tests must not depend on a collectstatic run.
    The plain storage gives unhashed URLs that the test server (live_server) serves from the
    finders. Production behaviour is checked by ``manage.py check --deploy`` and collectstatic.
    """
    from django.test.utils import override_settings

    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=True,
    ):
        yield


@pytest.fixture(autouse=True)
def _clean_redis_and_local_cache():
    """Every test starts with an empty Redis (the profile's own) and empty process caches."""
    kv.client().flushdb()
    caches["local"].clear()
    yield


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    from users.tests.factories import UserFactory

    return UserFactory.create()


TEST_USER_AGENT = "pytest-client/1.0"


def login_client(user, user_agent: str = TEST_USER_AGENT) -> APIClient:
    """An API client logged in as ``user`` through a real login session (ssid + tokens)."""
    from users.services import session_start

    access, refresh = session_start(user_id=user.id, user_agent=user_agent)
    client = APIClient(HTTP_USER_AGENT=user_agent)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    client.access_token, client.refresh_token = access, refresh
    return client


@pytest.fixture
def auth_api(user) -> APIClient:
    """``api`` logged in as ``user``; the tokens are on ``.access_token``/``.refresh_token``."""
    return login_client(user)
