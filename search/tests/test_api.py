"""GET /search: what matches, in which order, what an item carries."""

import json

import pytest

from articles.items import public_list_item
from articles.selectors import articles_live_by_ids
from search.tests.conftest import found, search
from users.tests.factories import UserFactory


def test_english_is_case_insensitive_and_chinese_words_are_found_inside_longer_runs(api, publish):
    practice = publish("Redis 实战", "<p>从零开始</p>")
    consistency = publish("Redis 缓存一致性", "<p>双写问题</p>")
    distributed = publish("分布式缓存的设计", "<p>一致性哈希</p>")
    other = publish("Python 入门", "<p>列表与字典</p>")
    assert set(found(api, "redis")) == {practice, consistency}
    assert set(found(api, "REDIS")) == {practice, consistency}
    assert set(found(api, "缓存")) == {consistency, distributed}
    assert found(api, "分布式缓存") == [distributed]
    assert found(api, "字典") == [other]
    assert set(found(api, "一致性")) == {consistency, distributed}


def test_every_word_must_match_somewhere(api, publish, author):
    both = publish("Redis 缓存", "<p>x</p>")
    publish("Redis only", "<p>y</p>")
    in_body = publish("Caching", "<p>Redis keeps the 缓存 warm</p>")
    assert set(found(api, "redis 缓存")) == {both, in_body}
    assert found(api, "redis nothing-like-this") == []


def test_title_matches_come_before_body_matches_and_ties_go_to_the_newest(api, publish):
    body_only = publish("Notes", "<p>all about kafka and kafka and kafka</p>")
    title_old = publish("Kafka basics", "<p>streams</p>")
    title_new = publish("Kafka basics", "<p>streams</p>")
    assert found(api, "kafka") == [title_new, title_old, body_only]


def test_articles_match_on_the_authors_name(api, publish):
    grace = UserFactory.create(nickname="Grace Hopper")
    theirs = publish("Compilers", "<p>a</p>", by=grace)
    publish("Other", "<p>b</p>")
    assert found(api, "hopper") == [theirs]


def test_items_are_the_public_list_shape_plus_a_highlight(api, publish):
    article_id = publish("Redis 实战", "<p>第一章：Redis 的数据结构</p>")
    item = search(api, "redis")["data"]["items"][0]
    expected = public_list_item(articles_live_by_ids(ids=[article_id])[article_id])
    assert {k: v for k, v in item.items() if k != "highlight"} == json.loads(json.dumps(expected))
    assert item["highlight"] == "第一章：<mark>Redis</mark> 的数据结构"


def test_highlights_are_escaped_html_with_only_mark_tags(api, publish):
    publish("<script>alert(1)</script> tricks",
            '<p>Write &lt;img src=x onerror=alert(1)&gt; and <b>bold</b> markup: tricks &amp; more</p>')
    item = search(api, "tricks")["data"]["items"][0]
    highlight = item["highlight"]
    assert highlight == ("Write &lt;img src=x onerror=alert(1)&gt; and bold markup: <mark>tricks</mark> "
                         "&amp; more")
    stripped = highlight.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped


def test_a_long_text_is_cut_around_the_first_match(api, publish, settings):
    settings.SEARCH_SNIPPET_LENGTH = 40
    publish("Long", "<p>" + "filler " * 50 + "needle here" + " tail" * 50 + "</p>")
    highlight = search(api, "needle")["data"]["items"][0]["highlight"]
    assert "<mark>needle</mark> here" in highlight
    assert highlight.startswith("…") and highlight.endswith("…")
    assert len(highlight.replace("<mark>", "").replace("</mark>", "")) == 42


def test_pages_and_total(api, publish):
    ids = [publish(f"Paging {n}", "<p>x</p>") for n in range(5)]
    first = search(api, "paging", offset=0, limit=2)["data"]
    second = search(api, "paging", offset=2, limit=2)["data"]
    last = search(api, "paging", offset=4, limit=2)["data"]
    assert first["total"] == second["total"] == last["total"] == 5
    got = [i["id"] for i in first["items"] + second["items"] + last["items"]]
    assert got == list(reversed(ids))
    assert search(api, "paging", offset=10, limit=2)["data"] == {"total": 5, "items": []}


def test_people_are_found_by_name_and_about_me_never_by_email_or_phone(api):
    ada = UserFactory.create(nickname="Ada", about_me="I write about 分布式系统", email="secret-ada@example.com",
                             phone="+8613900000001")
    UserFactory.create(nickname="Bob", about_me="gardening")
    # The index is written by the profile services; a user made by a factory needs a reindex.
    from search import services

    services.users_sync(ids=[ada.id])
    assert found(api, "ada", type="user") == [ada.id]
    assert found(api, "分布式", type="user") == [ada.id]
    assert found(api, "secret-ada", type="user") == []
    assert found(api, "13900000001", type="user") == []
    item = search(api, "ada", type="user")["data"]["items"][0]
    assert item == {"id": ada.id, "name": "Ada", "aboutMe": "I write about 分布式系统", "followerCnt": 0,
                    "highlight": "<mark>Ada</mark>"}
    assert "example.com" not in json.dumps(search(api, "write", type="user"))


def test_a_profile_edit_reaches_the_index_and_a_new_nickname_the_authors_articles(
        api, publish, author, django_capture_on_commit_callbacks):
    from users.services import user_profile_update

    article_id = publish("Plain title", "<p>x</p>")
    with django_capture_on_commit_callbacks(execute=True):
        user_profile_update(user_id=author.id, nickname="Lovelace", about_me="engines and 算法")
    assert found(api, "lovelace", type="user") == [author.id]
    assert found(api, "算法", type="user") == [author.id]
    assert found(api, "lovelace") == [article_id]
    assert found(api, "ann") == []


def test_a_deactivated_user_is_not_found(api, django_capture_on_commit_callbacks):
    from users.services import user_deactivate

    gone = UserFactory.create(nickname="Vanishing")
    from search import services

    services.users_sync(ids=[gone.id])
    assert found(api, "vanishing", type="user") == [gone.id]
    with django_capture_on_commit_callbacks(execute=True):
        user_deactivate(user_ids=[gone.id])
    assert search(api, "vanishing", type="user")["data"] == {"total": 0, "items": []}


def test_login_is_optional_and_a_garbage_token_is_ignored(api, auth_api, publish):
    article_id = publish("Tokens", "<p>x</p>")
    assert found(auth_api, "tokens") == [article_id]
    api.credentials(HTTP_AUTHORIZATION="Bearer null")
    assert found(api, "tokens") == [article_id]


def test_schema_documents_search(client):
    schema = json.loads(client.get("/api/schema", HTTP_ACCEPT="application/json").content)
    operation = schema["paths"]["/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "type", "offset", "limit"}
    text = json.dumps(schema["components"])
    assert "highlight" in text and "followerCnt" in text


def test_queries_are_counted_in_metrics(api, client, publish):
    publish("Metric", "<p>x</p>")
    search(api, "metric")
    search(api, "metric", type="user")
    text = client.get("/metrics").content.decode()
    assert 'tinybook_search_queries_total{type="article"}' in text
    assert 'tinybook_search_queries_total{type="user"}' in text
    assert "tinybook_search_query_seconds_bucket" in text
    assert 'tinybook_search_index_updates_total{action="upsert",kind="article"}' in text


@pytest.mark.parametrize("lang, expected", [("en", "1 to 100 characters"), ("zh-hans", "1 到 100 个字符")])
def test_messages_are_translated(api, lang, expected):
    body = api.get("/search", {"q": " "}, HTTP_ACCEPT_LANGUAGE=lang).json()
    assert body["code"] == 4
    assert expected in body["msg"]


def test_a_user_saved_in_the_admin_is_reindexed_with_their_articles(
        admin_client, api, publish, author, django_capture_on_commit_callbacks):
    article_id = publish("Plain", "<p>x</p>")
    author.nickname, author.about_me = "Hopper", "compilers"
    with django_capture_on_commit_callbacks(execute=True):
        author.save()
    assert found(api, "hopper", type="user") == [author.id]
    assert found(api, "hopper") == [article_id]


def test_people_carry_their_follower_count(api, django_capture_on_commit_callbacks):
    from relations.services import follow_set
    from search import services

    ada = UserFactory.create(nickname="Ada")
    services.users_sync(ids=[ada.id])
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            follow_set(follower_id=UserFactory.create().id, followee_id=ada.id, follow=True)
    assert search(api, "ada", type="user")["data"]["items"][0]["followerCnt"] == 2
