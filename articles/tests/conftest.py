import pytest

from users.tests.factories import UserFactory

REDIS_DOWN = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"CONNECTION_POOL_KWARGS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
}


@pytest.fixture
def author(db):
    return UserFactory.create(nickname="ann")


@pytest.fixture
def other(db):
    return UserFactory.create(nickname="bob")


@pytest.fixture
def redis_down(settings):
    """A real Redis client pointed at a port where nothing listens."""
    settings.CACHES = {**settings.CACHES, "default": REDIS_DOWN}
