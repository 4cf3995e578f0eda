import json
from dataclasses import asdict
from datetime import datetime

import pytest
from rest_framework.test import APIClient

from articles import services
from articles.models import Article, ArticleStatus, LiveArticle
from conftest import login_client

pytestmark = pytest.mark.django_db


def post(client, path, body):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.generic("POST", path, raw, content_type="application/json")


@pytest.fixture
def ann(author):
    return login_client(author)


@pytest.fixture
def bob(other):
    return login_client(other)


def ok_data(resp):
    assert resp.status_code == 200, resp.content
    payload = resp.json()
    assert payload["code"] == 0, payload
    return payload["data"]


def refused(resp):
    assert resp.status_code == 200, resp.content
    payload = resp.json()
    assert payload["code"] == 4, payload
    assert payload["msg"]
    return payload


def snapshot():
    return (
        list(Article.objects.order_by("id").values_list("id", "title", "content", "status", "utime")),
        list(LiveArticle.objects.order_by("id").values_list("id", "title", "content", "status", "utime")),
    )


# --- authentication -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/articles/edit"),
        ("post", "/articles/publish"),
        ("post", "/articles/withdraw"),
        ("post", "/articles/list"),
        ("get", "/articles/detail/1"),
    ],
)
def test_author_routes_need_a_login(method, path):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer null")
    resp = getattr(client, method)(path, {}, format="json")
    assert resp.status_code == 401


def test_public_routes_accept_missing_null_or_garbage_tokens(author):
    article_id = services.article_publish(author_id=author.id, title="t", content="c")
    for header in (None, "Bearer null", "Bearer not.a.token", "Basic abc"):
        client = APIClient()
        if header:
            client.credentials(HTTP_AUTHORIZATION=header)
        assert ok_data(client.get(f"/articles/pub/{article_id}"))["id"] == article_id
        assert len(ok_data(post(client, "/articles/pub/list", {"offset": 0, "limit": 10}))) == 1


# --- edit / publish / withdraw ----------------------------------------------------------------------

def test_edit_creates_then_updates(ann, author):
    resp = post(ann, "/articles/edit", {"title": "Hello", "content": "<p>x</p>"})
    article_id = ok_data(resp)
    assert resp.json()["msg"] == "saved"
    assert isinstance(article_id, int) and 0 < article_id < 2**53
    assert ok_data(post(ann, "/articles/edit", {"id": article_id, "title": "Hi", "content": "y"})) == article_id
    assert Article.objects.get(pk=article_id).title == "Hi"


def test_edit_with_id_zero_creates(ann):
    first = ok_data(post(ann, "/articles/edit", {"id": 0, "title": "a", "content": ""}))
    second = ok_data(post(ann, "/articles/edit", {"id": None, "title": "b", "content": ""}))
    assert first != second and Article.objects.count() == 2


def test_publish_and_read_it_publicly(ann, author):
    resp = post(ann, "/articles/publish", {"title": "Pub", "content": "<p>Body <b>bold</b></p>"})
    article_id = ok_data(resp)
    assert resp.json()["msg"] == "published"
    data = ok_data(APIClient().get(f"/articles/pub/{article_id}"))
    assert set(data) == {
        "id", "title", "content", "abstract", "author", "authorId", "authorName", "ctime", "utime",
        "readCnt", "likeCnt", "collectCnt", "commentCnt", "liked", "collected",
    }
    assert data["id"] == article_id
    assert (data["title"], data["content"], data["abstract"]) == ("Pub", "<p>Body <b>bold</b></p>", "Body bold")
    assert data["author"] == {"id": author.id, "name": "ann"}
    assert (data["authorId"], data["authorName"]) == (author.id, "ann")
    from django.conf import settings

    # This very view is the first read: applied inline in the embedded profile, still in the
    # stream (no consumer running here) in the services profile.
    assert data["readCnt"] == (1 if settings.READ_EVENTS_INLINE else 0)
    assert (data["likeCnt"], data["collectCnt"], data["liked"], data["collected"]) == (0, 0, False, False)
    for field in ("ctime", "utime"):
        assert datetime.fromisoformat(data[field]).tzinfo is not None


def test_reader_answers_match_their_schema_serializers(ann):
    """The reader routes build plain dicts for speed; the schema's serializers must agree."""
    from articles import items, selectors
    from articles.api import serializers as io
    from interactions.selectors import Stats as Engagement

    article_id = ok_data(post(ann, "/articles/publish", {"title": "Shape", "content": "<p>Same shape</p>"}))
    record = selectors.article_live_get(article_id=article_id)
    counts = Engagement(read_cnt=3, like_cnt=2, collect_cnt=1, liked=True, collected=False)
    wire_counts = {"readCnt": 3, "likeCnt": 2, "collectCnt": 1, "liked": True, "collected": False}
    assert items.public_detail(record, counts) == io.PublicDetail({**asdict(record), **wire_counts}).data
    listed = selectors.articles_live_list(offset=0, limit=1)[0]
    assert items.public_list_item(listed) == io.PublicListItem(listed).data


def test_withdraw_hides_the_article_from_every_reader_path(ann, author):
    article_id = ok_data(post(ann, "/articles/publish", {"title": "t", "content": "c"}))
    reader = APIClient()
    ok_data(reader.get(f"/articles/pub/{article_id}"))  # now cached
    resp = post(ann, "/articles/withdraw", {"id": article_id})
    assert ok_data(resp) is None and resp.json()["msg"] == "withdrawn"
    assert refused(reader.get(f"/articles/pub/{article_id}"))["msg"] == "not found"
    assert ok_data(post(reader, "/articles/pub/list", {"offset": 0, "limit": 100})) == []
    assert refused(login_client(author).get(f"/articles/pub/{article_id}"))["msg"] == "not found"
    # The author still sees it, withdrawn.
    assert ok_data(ann.get(f"/articles/detail/{article_id}"))["status"] == ArticleStatus.PRIVATE


def test_reader_page_hides_withdrawn_article(ann, client):
    article_id = ok_data(post(ann, "/articles/publish", {"title": "t", "content": "c"}))
    assert client.get(f"/articles/{article_id}").status_code == 200
    post(ann, "/articles/withdraw", {"id": article_id})
    assert client.get(f"/articles/{article_id}").status_code == 404


# --- author reads ---------------------------------------------------------------------------------

def test_list_returns_own_articles_only_with_abstracts(ann, bob):
    mine = ok_data(post(ann, "/articles/edit", {"title": "mine", "content": "<p>abc</p>"}))
    ok_data(post(bob, "/articles/edit", {"title": "theirs", "content": "x"}))
    items = ok_data(post(ann, "/articles/list", {"offset": 0, "limit": 100}))
    assert len(items) == 1
    assert set(items[0]) == {"id", "title", "status", "abstract", "ctime", "utime"}
    assert (items[0]["id"], items[0]["title"], items[0]["status"], items[0]["abstract"]) == (
        mine, "mine", 1, "abc",
    )


def test_list_is_empty_array_when_nothing(ann):
    assert ok_data(post(ann, "/articles/list", {"offset": 0, "limit": 10})) == []
    assert ok_data(post(ann, "/articles/list", {"offset": 50, "limit": 10})) == []


def test_list_pages_by_offset_and_limit(ann):
    ids = [ok_data(post(ann, "/articles/edit", {"title": f"t{i}", "content": ""})) for i in range(5)]
    newest_first = ids[::-1]
    assert [i["id"] for i in ok_data(post(ann, "/articles/list", {"offset": 0, "limit": 2}))] == newest_first[:2]
    assert [i["id"] for i in ok_data(post(ann, "/articles/list", {"offset": 2, "limit": 2}))] == newest_first[2:4]
    assert [i["id"] for i in ok_data(post(ann, "/articles/list", {"offset": 4, "limit": 100}))] == newest_first[4:]


def test_detail_returns_own_article(ann):
    article_id = ok_data(post(ann, "/articles/edit", {"title": "t", "content": "<p>c</p>"}))
    data = ok_data(ann.get(f"/articles/detail/{article_id}"))
    assert data == {**data, "id": article_id, "title": "t", "content": "<p>c</p>", "status": 1}
    assert set(data) == {"id", "title", "content", "status", "ctime", "utime"}


def test_public_list_is_newest_first_with_author(ann, bob, author, other):
    a = ok_data(post(ann, "/articles/publish", {"title": "a", "content": "x"}))
    ok_data(post(ann, "/articles/edit", {"title": "draft", "content": "x"}))
    b = ok_data(post(bob, "/articles/publish", {"title": "b", "content": "y"}))
    items = ok_data(post(APIClient(), "/articles/pub/list", {"offset": 0, "limit": 10}))
    assert [i["id"] for i in items] == [b, a]
    assert items[0]["author"] == {"id": other.id, "name": "bob"}
    assert (items[1]["authorId"], items[1]["authorName"]) == (author.id, "ann")
    assert "content" not in items[0]


# --- bad input: code 4, nothing changes ----------------------------------------------------------------

@pytest.fixture
def existing(ann, bob):
    """One published article of ann's and one of bob's, to check nothing changes."""
    mine = ok_data(post(ann, "/articles/publish", {"title": "mine", "content": "m"}))
    theirs = ok_data(post(bob, "/articles/publish", {"title": "theirs", "content": "t"}))
    return mine, theirs


BAD_WRITES = [
    {"title": "", "content": "c"},
    {"title": "   ", "content": "c"},
    {"title": "x" * 256, "content": "c"},
    {"title": "t", "content": "a" * (200 * 1024 + 1)},
    {"content": "c"},
    {"title": "t"},
    {"title": 5, "content": "c"},
    {"title": "t", "content": ["c"]},
    {"title": None, "content": "c"},
    {"id": "1", "title": "t", "content": "c"},
    {"id": 1.5, "title": "t", "content": "c"},
    {"id": True, "title": "t", "content": "c"},
    {"id": -1, "title": "t", "content": "c"},
    {"id": 2**53, "title": "t", "content": "c"},
    {"id": 10**30, "title": "t", "content": "c"},
]


@pytest.mark.parametrize("path", ["/articles/edit", "/articles/publish"])
@pytest.mark.parametrize("body", BAD_WRITES)
def test_bad_writes_are_code_4_and_change_nothing(ann, existing, path, body):
    before = snapshot()
    refused(post(ann, path, body))
    assert snapshot() == before


@pytest.mark.parametrize("path", ["/articles/edit", "/articles/publish"])
def test_writing_someone_elses_article_is_not_found(ann, existing, path):
    _, theirs = existing
    before = snapshot()
    assert refused(post(ann, path, {"id": theirs, "title": "stolen", "content": "x"}))["msg"] == "not found"
    assert snapshot() == before


@pytest.mark.parametrize(
    "body", [{}, {"id": None}, {"id": "1"}, {"id": 1.0}, {"id": 0}, {"id": -3}, {"id": 2**53}, {"id": 10**30}]
)
def test_bad_withdraw_is_code_4_and_changes_nothing(ann, existing, body):
    before = snapshot()
    refused(post(ann, "/articles/withdraw", body))
    assert snapshot() == before


def test_withdrawing_someone_elses_article_is_not_found(ann, existing):
    _, theirs = existing
    before = snapshot()
    assert refused(post(ann, "/articles/withdraw", {"id": theirs}))["msg"] == "not found"
    assert snapshot() == before
    ok_data(APIClient().get(f"/articles/pub/{theirs}"))


def test_detail_of_someone_elses_article_is_not_found(ann, existing):
    _, theirs = existing
    assert refused(ann.get(f"/articles/detail/{theirs}"))["msg"] == "not found"


@pytest.mark.parametrize("raw", ["0", "-1", "1.5", "1e3", "9007199254740992", "99999999999999999999999"])
def test_bad_path_ids_are_code_4(ann, raw):
    refused(ann.get(f"/articles/detail/{raw}"))
    refused(APIClient().get(f"/articles/pub/{raw}"))


def test_missing_article_is_not_found(ann):
    assert refused(ann.get("/articles/detail/123456"))["msg"] == "not found"
    assert refused(APIClient().get("/articles/pub/123456"))["msg"] == "not found"


BAD_PAGES = [
    {"offset": 0, "limit": 0},
    {"offset": 0, "limit": 101},
    {"offset": -1, "limit": 10},
    {"offset": "0", "limit": 10},
    {"offset": 0, "limit": "10"},
    {"offset": 0.5, "limit": 10},
    {"offset": 0, "limit": 10.0},
    {"offset": 10**30, "limit": 10},
    {"offset": 10_001, "limit": 10},
    {"limit": 10},
    {"offset": 0},
    {"offset": None, "limit": 10},
]


@pytest.mark.parametrize("path", ["/articles/list", "/articles/pub/list"])
@pytest.mark.parametrize("body", BAD_PAGES)
def test_bad_pages_are_code_4(ann, existing, path, body):
    refused(post(ann, path, body))


@pytest.mark.parametrize("raw", ['{"title": "t",', "[1]", '"x"'])
def test_malformed_bodies_are_code_4(ann, raw):
    refused(post(ann, "/articles/edit", raw))
    assert Article.objects.count() == 0


def test_schema_documents_the_article_routes(client):
    resp = client.get("/api/schema", HTTP_ACCEPT="application/json")
    paths = json.loads(resp.content)["paths"]
    for p in ("/articles/edit", "/articles/publish", "/articles/withdraw", "/articles/list",
              "/articles/detail/{article_id}", "/articles/pub/list", "/articles/pub/{article_id}"):
        assert p in paths, p


def test_messages_are_translated_to_simplified_chinese(ann):
    resp = ann.generic(
        "POST", "/articles/edit", json.dumps({"title": " ", "content": "c"}),
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert resp.json()["msg"] == "标题不能为空"
    resp = ann.generic(
        "POST", "/articles/edit", json.dumps({"title": "t", "content": "c"}),
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert resp.json()["msg"] == "已保存"


def test_readers_get_articles_from_the_database_when_redis_is_down(author, settings):
    from articles.tests.conftest import REDIS_DOWN

    article_id = services.article_publish(author_id=author.id, title="t", content="<p>c</p>")
    settings.CACHES = {**settings.CACHES, "default": REDIS_DOWN}
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION="Bearer null")
    assert ok_data(reader.get(f"/articles/pub/{article_id}"))["content"] == "<p>c</p>"
    assert [i["id"] for i in ok_data(post(reader, "/articles/pub/list", {"offset": 0, "limit": 10}))] == [article_id]
