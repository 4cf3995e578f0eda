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
