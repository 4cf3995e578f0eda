"""The first page of an article's comments comes from Redis and every write keeps it right."""

import threading

import pytest
from django.db import connection

from articles import services as articles
from comments import cache, selectors
from comments.models import BIZ_ARTICLE, CommentCounter
from comments.tests.helpers import created, listed

pytestmark = pytest.mark.django_db(transaction=True)


def _entry(article):
    return cache.entry_get(BIZ_ARTICLE, article)


def test_a_read_fills_the_cache_and_the_next_read_is_served_from_it(api, alice_api, article, django_assert_num_queries):
    c = created(alice_api, article, "cached")
    assert _entry(article).page is None  # a write leaves the count, never a page
    listed(api, article)
    entry = _entry(article)
    assert [s["id"] for s in entry.page] == [c["id"]] and entry.cnt == 1
    with django_assert_num_queries(0):
        assert [x["id"] for x in selectors.threads(biz_id=article, before=None, limit=20)] == [c["id"]]


def test_every_write_is_seen_at_once(api, alice_api, author, article):
    from conftest import login_client

    root = created(alice_api, article, "root")
    assert listed(api, article)[0]["replyCnt"] == 0
    reply = created(alice_api, article, "reply", rootId=root["id"])
    assert listed(api, article)[0]["replies"][0]["id"] == reply["id"]
    newer = created(alice_api, article, "newer")
    assert [x["id"] for x in listed(api, article)] == [newer["id"], root["id"]]
    login_client(author).post("/comments/delete", {"id": newer["id"]}, format="json")
    assert [x["id"] for x in listed(api, article)] == [root["id"]]
    alice_api.post("/comments/delete", {"id": root["id"]}, format="json")
    assert listed(api, article)[0]["deleted"] is True
    assert api.get(f"/articles/pub/{article}").json()["data"]["commentCnt"] == 1


def test_a_slow_reader_cannot_put_back_a_page_older_than_a_write(api, alice_api, article):
    first = created(alice_api, article, "first")
    version, cnt = CommentCounter.objects.filter(biz_id=article).values_list("version", "cnt").get()
    stale_page = [selectors.stored(c) for c in selectors.with_authors(
        selectors.Comment.objects.filter(pk=first["id"]))]
    second = created(alice_api, article, "second")  # commits and puts a newer version
    cache.entry_put(BIZ_ARTICLE, article, version=version, cnt=cnt, page=stale_page)  # the slow reader, too late
    assert [x["id"] for x in listed(api, article)] == [second["id"], first["id"]]


def test_a_write_after_a_fill_takes_the_page_out(api, alice_api, article):
    created(alice_api, article, "one")
    listed(api, article)
    created(alice_api, article, "two")
    assert _entry(article).page is None and _entry(article).cnt == 2


def test_withdraw_takes_the_cached_page_out(api, alice_api, author, article):
    created(alice_api, article, "one")
    listed(api, article)
    articles.article_withdraw(author_id=author.id, article_id=article)
    assert _entry(article).page is None
    assert api.get("/comments/list", {"biz": "article", "bizId": article}).json()["code"] == 4


def test_readers_and_writers_at_once_end_with_the_truth(api, alice_api, article, settings):
    settings.COMMENT_RATE = 0
    stop = threading.Event()

    def read():
        try:
            while not stop.is_set():
                selectors.threads(biz_id=article, before=None, limit=50)
        finally:
            connection.close()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        ids = [created(alice_api, article, f"c{i}")["id"] for i in range(15)]
    finally:
        stop.set()
        reader.join()
    assert [x["id"] for x in listed(api, article, limit=50)] == ids[::-1]


def test_a_redis_failure_never_fails_a_read(api, alice_api, article, redis_down):
    assert api.get("/comments/list", {"biz": "article", "bizId": article}).json() == {
        "code": 0, "msg": "ok", "data": []}


def test_the_encoded_first_page_is_the_envelope_and_follows_versions_and_languages(api, alice_api, article):
    import json

    from conftest import login_client
    from users.tests.factories import UserFactory

    nameless = UserFactory.create(nickname="")
    created(login_client(nameless), article, "no nickname")
    first = api.get("/comments/list", {"biz": "article", "bizId": article})
    assert first["Content-Type"] == "application/json"
    assert json.loads(first.content) == {"code": 0, "msg": "ok",
                                         "data": selectors.threads(biz_id=article, before=None, limit=20)}
    assert api.get("/comments/list", {"biz": "article", "bizId": article}).content == first.content
    chinese = api.get("/comments/list", {"biz": "article", "bizId": article}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert chinese["data"][0]["user"]["name"] == f"用户{nameless.id}"
    assert api.get("/comments/list", {"biz": "article", "bizId": article}).json()["data"][0]["user"]["name"] == \
        f"user {nameless.id}"
    newer = created(alice_api, article, "newer")
    assert listed(api, article)[0]["id"] == newer["id"]
