import pytest

from conftest import login_client
from interactions.tests.helpers import published_article
from users.tests.factories import UserFactory


@pytest.fixture
def author(db):
    return UserFactory.create(nickname="writer")


@pytest.fixture
def article(author) -> int:
    return published_article(author)


@pytest.fixture
def alice(db):
    return UserFactory.create(nickname="alice", email="alice.secret@example.test")


@pytest.fixture
def alice_api(alice):
    return login_client(alice)


@pytest.fixture
def redis_down(settings):
    """A real Redis client pointed at a port where nothing listens."""
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"CONNECTION_POOL_KWARGS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    }}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # No test here logs in with a password (tokens and force_login): the users' hashes may be cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
