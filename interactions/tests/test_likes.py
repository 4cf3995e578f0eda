import pytest
from django.db import connection

from articles import services as articles
from conftest import login_client
from interactions import selectors, services
from interactions.models import Counter, Like
from interactions.tests.helpers import consumer_caught_up, published_article
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit cache updates run


def like_cnt(article_id):
    consumer_caught_up()  # the counter follows the like records through the consumer's rounds
    return Counter.objects.get(biz="article", biz_id=article_id).like_cnt


def test_liking_twice_counts_once_and_unlike_takes_it_back(auth_api, user):
    aid = published_article()
    for _ in range(2):
        r = auth_api.post("/articles/pub/like", {"id": aid, "like": True}, format="json")
        assert r.json()["code"] == 0
    assert like_cnt(aid) == 1
    detail = auth_api.get(f"/articles/pub/{aid}").json()["data"]
    assert detail["likeCnt"] == 1 and detail["liked"] is True
    auth_api.post("/articles/pub/like", {"id": aid, "like": False}, format="json")
    auth_api.post("/articles/pub/like", {"id": aid, "like": False}, format="json")
    assert like_cnt(aid) == 0
    assert Like.objects.get(user=user, biz_id=aid).status is False  # soft-deleted, kept
    detail = auth_api.get(f"/articles/pub/{aid}").json()["data"]
    assert detail["likeCnt"] == 0 and detail["liked"] is False


def test_unliking_never_liked_changes_nothing(user):
    aid = published_article()
    assert services.like_set(user_id=user.id, biz_id=aid, liked=False) is False
    assert not Like.objects.exists()
    assert not Counter.objects.filter(biz_id=aid, like_cnt__lt=0).exists()
    assert selectors.interaction_stats(biz_id=aid, user_id=user.id).like_cnt == 0


def test_count_never_below_zero_even_if_the_counter_drifted(user):
    aid = published_article()
    services.like_set(user_id=user.id, biz_id=aid, liked=True)
    assert like_cnt(aid) == 1  # the counter has followed
    Counter.objects.filter(biz_id=aid).update(like_cnt=0)  # e.g. an operator reset
    services.like_set(user_id=user.id, biz_id=aid, liked=False)
    assert like_cnt(aid) == 0


@pytest.mark.parametrize("state", ["draft", "withdrawn", "missing"])
def test_cannot_like_or_collect_what_readers_cannot_see(auth_api, state):
    author = UserFactory.create()
    if state == "draft":
        aid = articles.article_save(author_id=author.id, title="t", content="c")
    else:
        aid = published_article(author)
        if state == "withdrawn":
            articles.article_withdraw(author_id=author.id, article_id=aid)
        else:
            aid += 1000
    r = auth_api.post("/articles/pub/like", {"id": aid, "like": True}, format="json").json()
    assert r["code"] == 4
    r = auth_api.post("/articles/pub/collect", {"id": aid}, format="json").json()
    assert r["code"] == 4
    assert not Like.objects.exists() and not Counter.objects.filter(like_cnt__gt=0).exists()


@pytest.mark.parametrize("taken_back", [True, False])
def test_a_withdrawn_article_cannot_be_liked_again_by_someone_who_liked_it(auth_api, user, taken_back):
    # The like row exists: the like is an update of it, which must check the article too.
    author = UserFactory.create()
    aid = published_article(author)
    services.like_set(user_id=user.id, biz_id=aid, liked=True)
    if taken_back:
        services.like_set(user_id=user.id, biz_id=aid, liked=False)
    articles.article_withdraw(author_id=author.id, article_id=aid)
    r = auth_api.post("/articles/pub/like", {"id": aid, "like": True}, format="json").json()
    assert r["code"] == 4
    assert Like.objects.get(user_id=user.id, biz_id=aid).status is not taken_back
    assert auth_api.post("/articles/pub/like", {"id": aid, "like": False}, format="json").json()["code"] == 0


@pytest.mark.parametrize("body", [
    {}, {"id": "1", "like": True}, {"id": 1, "like": "true"}, {"id": 1.5, "like": True}, {"id": 0, "like": True},
    {"id": 2**60, "like": True}, {"id": True, "like": True}, {"id": 1, "like": 1}, [1, 2],
])
def test_bad_like_input_is_code_4_and_changes_nothing(auth_api, body):
    aid = published_article()
    if isinstance(body, dict) and type(body.get("id")) is int and body["id"] == 1:
        body = {**body, "id": aid}
    r = auth_api.post("/articles/pub/like", body, format="json")
    assert r.status_code == 200 and r.json()["code"] == 4
    assert not Like.objects.exists()


def test_like_needs_login(api):
    aid = published_article()
    assert api.post("/articles/pub/like", {"id": aid, "like": True}, format="json").status_code == 401


def test_liked_list_newest_first_without_taken_back(user):
    client = login_client(user)
    ids = [published_article() for _ in range(3)]
    for aid in ids:
        client.post("/articles/pub/like", {"id": aid, "like": True}, format="json")
    client.post("/articles/pub/like", {"id": ids[1], "like": False}, format="json")
    assert client.get("/articles/pub/liked?offset=0&limit=10").json()["data"] == [ids[2], ids[0]]
    assert client.get("/articles/pub/liked?offset=1&limit=1").json()["data"] == [ids[0]]
    assert client.get("/articles/pub/liked?limit=abc").json()["code"] == 4
    assert client.get("/articles/pub/liked?limit=0").json()["code"] == 4


def test_stats_for_a_viewer_cost_one_redis_trip_and_one_query_when_cached(user, django_assert_max_num_queries):
    aid = published_article()
    services.like_set(user_id=user.id, biz_id=aid, liked=True)
    selectors.interaction_stats(biz_id=aid, user_id=user.id)  # fills the cache
    with django_assert_max_num_queries(1):
        stats = selectors.interaction_stats(biz_id=aid, user_id=user.id)
    assert (stats.like_cnt, stats.liked, stats.collected) == (1, True, False)
    assert connection.vendor in ("sqlite", "mysql")


def test_liking_again_after_taking_it_back_puts_it_first_in_my_liked_list(auth_api, user):
    first, second = published_article(), published_article()
    for article_id in (first, second):
        auth_api.post("/articles/pub/like", {"id": article_id, "like": True}, format="json")
    auth_api.post("/articles/pub/like", {"id": first, "like": False}, format="json")
    auth_api.post("/articles/pub/like", {"id": first, "like": True}, format="json")
    assert auth_api.get("/articles/pub/liked").json()["data"] == [first, second]
    assert like_cnt(first) == 1
