"""Project-wide fixtures. Tests use the real database and Redis of the active profile."""

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from tinybook import kv


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
