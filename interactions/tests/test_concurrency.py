"""Real threads on the real database: the unique indexes and row locks decide, not luck."""


import pytest

from interactions import services
from interactions.models import CollectedItem, Counter, Like
from interactions.tests.helpers import consumer_caught_up, published_article
from tinybook.tests.concurrency import (
    all_at_once,
    mariadb_only,  # noqa: F401 (autouse)
)
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

N = 12






def test_twelve_users_liking_at_once_count_twelve():
    aid = published_article()
    users = UserFactory.create_batch(N)
    all_at_once([lambda u=u: services.like_set(user_id=u.id, biz_id=aid, liked=True) for u in users])
    consumer_caught_up()
    assert Counter.objects.get(biz_id=aid).like_cnt == N
    assert Like.objects.filter(biz_id=aid, status=True).count() == N


def test_one_user_liking_twelve_times_at_once_counts_one():
    aid = published_article()
    user = UserFactory.create()
    all_at_once([lambda: services.like_set(user_id=user.id, biz_id=aid, liked=True)] * N)
    consumer_caught_up()
    assert Counter.objects.get(biz_id=aid).like_cnt == 1
    assert Like.objects.filter(biz_id=aid).count() == 1


def test_one_user_unliking_twelve_times_at_once_counts_down_once():
    aid = published_article()
    users = UserFactory.create_batch(2)
    for u in users:
        services.like_set(user_id=u.id, biz_id=aid, liked=True)
    all_at_once([lambda: services.like_set(user_id=users[0].id, biz_id=aid, liked=False)] * N)
    consumer_caught_up()
    assert Counter.objects.get(biz_id=aid).like_cnt == 1


def test_collects_at_once_count_each_user_once():
    aid = published_article()
    users = UserFactory.create_batch(6)
    fns = [lambda u=u: services.collect_set(user_id=u.id, biz_id=aid, collected=True) for u in users for _ in range(2)]
    all_at_once(fns)
    assert Counter.objects.get(biz_id=aid).collect_cnt == 6
    assert CollectedItem.objects.filter(biz_id=aid).count() == 6
