"""/ranking/likes: top articles by likes, kept in step, never a withdrawn one."""

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from articles import services as articles
from interactions import cache, services
from interactions.models import BIZ_ARTICLE
from tinybook import kv
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _publish_with_likes(author, likes):
    article_id = articles.article_publish(author_id=author.id, title=f"{likes} likes", content="<p>x</p>")
    for fan in UserFactory.create_batch(likes):
        services.like_set(user_id=fan.id, biz_id=article_id, liked=True)
    return article_id


def _top(n=10):
    body = APIClient().get(f"/ranking/likes?n={n}").json()
    assert body["code"] == 0
    return [item["id"] for item in body["data"]]


def test_top_articles_by_likes_best_first_and_n_is_honoured():
    author = UserFactory.create()
    one, three, two = (_publish_with_likes(author, n) for n in (1, 3, 2))
    assert _top() == [three, two, one]
    assert _top(2) == [three, two]


def test_unlike_moves_an_article_down():
    author = UserFactory.create()
    a, b = _publish_with_likes(author, 2), _publish_with_likes(author, 1)
    fan = UserFactory.create()
    services.like_set(user_id=fan.id, biz_id=b, liked=True)
    services.like_set(user_id=fan.id, biz_id=b, liked=False)
    kv.client().delete(kv.like_ranking_generation_key(BIZ_ARTICLE))  # no help from a withdrawal
    assert dict(cache.ranking_top(BIZ_ARTICLE, 0, -1)) == {a: 2, b: 1}


def test_a_withdrawn_article_leaves_at_once_even_from_a_warm_in_process_copy():
    author = UserFactory.create()
    gone, stays = _publish_with_likes(author, 3), _publish_with_likes(author, 1)
    assert _top() == [gone, stays]  # the copy is now warm for LIKE_RANKING_LOCAL_TTL
    articles.article_withdraw(author_id=author.id, article_id=gone)
    assert _top() == [stays]


def test_a_republished_article_comes_back_with_its_likes_not_from_zero():
    author = UserFactory.create()
    back, other = _publish_with_likes(author, 3), _publish_with_likes(author, 2)
    articles.article_withdraw(author_id=author.id, article_id=back)
    articles.article_publish(author_id=author.id, article_id=back, title="back", content="<p>x</p>")
    assert _top() == [back, other]
    services.like_set(user_id=UserFactory.create().id, biz_id=back, liked=True)
    assert dict(cache.ranking_top(BIZ_ARTICLE, 0, -1)) == {back: 4, other: 2}


@pytest.mark.parametrize("n", ["0", "101", "abc", "-1", "1e3"])
def test_bad_n_is_code_4(n):
    assert APIClient().get(f"/ranking/likes?n={n}").json()["code"] == 4


def test_rebuild_restores_the_ranking_from_the_counters():
    author = UserFactory.create()
    a, b = _publish_with_likes(author, 2), _publish_with_likes(author, 1)
    kv.client().delete(kv.like_ranking_key(BIZ_ARTICLE))
    call_command("rebuild_like_ranking", "-v", "0", stdout=StringIO())
    assert dict(cache.ranking_top(BIZ_ARTICLE, 0, -1)) == {a: 2, b: 1}
