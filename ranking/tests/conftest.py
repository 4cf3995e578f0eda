from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services as articles
from articles.models import LiveArticle
from interactions import services as interactions
from ranking import copies
from users.tests.factories import UserFactory

REDIS_DOWN = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"CONNECTION_POOL_KWARGS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
}


@pytest.fixture(autouse=True)
def _no_process_copy():
    """Each test starts as a fresh process would: no last-known hot list in memory."""
    copies._last_good = copies._copy = None
    yield
    copies._last_good = copies._copy = None


@pytest.fixture
def author(db):
    return UserFactory.create(nickname="ann")


@pytest.fixture
def publish(author):
    """Publish through the articles service; ``hours_ago`` moves the publication time back
    (the service stamps "now"; only the clock is adjusted), ``likes`` likes by distinct users."""

    def _publish(title="A title", *, hours_ago=0.0, likes=0):
        article_id = articles.article_publish(author_id=author.id, title=title, content=f"<p>{title} text</p>")
        if hours_ago:
            LiveArticle.objects.filter(pk=article_id).update(
                published_at=timezone.now() - timedelta(hours=hours_ago)
            )
        for fan in UserFactory.create_batch(likes):
            interactions.like_set(user_id=fan.id, biz_id=article_id, liked=True)
        return article_id

    return _publish
