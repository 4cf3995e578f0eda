"""/ranking/likes rebuilds itself after Redis lost the ranking (issue 22, item 10)."""

import pytest

from conftest import login_client
from interactions.models import BIZ_ARTICLE
from interactions.tests.helpers import published_article
from tinybook import kv
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _liked(article, times):
    for _ in range(times):
        login_client(UserFactory()).post("/articles/pub/like", {"id": article, "like": True}, format="json")


def _top(client):
    return [(item["id"], item["likeCnt"]) for item in client.get("/ranking/likes?n=10").json()["data"]]


@pytest.fixture
def ranked(api):
    a, b, c = published_article(), published_article(), published_article()
    _liked(a, 3)
    _liked(b, 1)
    _liked(c, 2)
    assert _top(api) == [(a, 3), (c, 2), (b, 1)]
    return a, b, c


def test_the_ranking_rebuilds_itself_after_redis_lost_its_keys(api, ranked, caches_clear):
    a, b, c = ranked
    kv.client().flushdb()
    assert _top(api) == [(a, 3), (c, 2), (b, 1)]
    assert kv.client().zcard(kv.like_ranking_key(BIZ_ARTICLE)) == 3
    assert kv.client().exists(kv.like_ranking_built_key(BIZ_ARTICLE))


def test_a_like_after_the_loss_does_not_pass_for_the_whole_ranking(api, ranked, caches_clear):
    a, b, c = ranked
    kv.client().flushdb()
    _liked(b, 1)  # the set now exists again, holding b alone
    top = _top(api)
    assert top[0] == (a, 3)
    assert sorted(top[1:]) == sorted([(b, 2), (c, 2)])  # a tie: either order


@pytest.mark.slow
def test_the_ranking_comes_back_after_a_real_redis_restart(api, own_redis, caches_clear):
    a, b = published_article(), published_article()
    _liked(a, 2)
    _liked(b, 1)
    assert _top(api) == [(a, 2), (b, 1)]
    own_redis.restart()
    caches_clear()
    assert _top(api) == [(a, 2), (b, 1)]


@pytest.fixture
def caches_clear():
    """Forget this process's short-lived copy of the list, as another process would not have it."""
    from django.core.cache import caches

    caches["local"].clear()
    yield caches["local"].clear
