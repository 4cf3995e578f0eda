"""The comment API's rules, each a test: what a client sends, what it gets back, what is stored."""

import pytest

from articles import services as articles
from comments.models import Comment, CommentCounter
from comments.tests.helpers import created, listed, post, stored_count
from conftest import login_client
from interactions.tests.helpers import published_article
from users.services.accounts import user_deactivate
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit cache updates run


def test_a_root_comes_back_in_the_item_shape(alice_api, alice, article):
    item = created(alice_api, article, "  first!\nsecond line  ")
    assert set(item) == {"id", "bizId", "rootId", "parentId", "content", "user", "replyTo", "ctime", "replyCnt",
                         "replies", "deleted"}
    assert item["content"] == "first!\nsecond line"  # trimmed, line break kept
    assert item["user"] == {"id": alice.id, "name": "alice"}
    assert (item["bizId"], item["rootId"], item["parentId"], item["replyTo"]) == (article, None, None, None)
    assert (item["replyCnt"], item["replies"], item["deleted"]) == (0, [], False)


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "javascript:alert(1)",
    "&lt;b&gt; &amp; &quot; &#39; <b>bold</b>",
])
def test_content_is_text_returned_exactly_as_typed(alice_api, article, text):
    item = created(alice_api, article, text)
    assert item["content"] == text
    assert listed(alice_api, article)[0]["content"] == text
    assert Comment.objects.get(pk=item["id"]).content == text


def test_reply_to_a_root_and_to_a_reply_names_the_person_answered(alice_api, alice, article):
    bob = UserFactory.create(nickname="bob")
    bob_api = login_client(bob)
    root = created(alice_api, article, "root")
    plain = created(bob_api, article, "plain reply", rootId=root["id"])
    assert (plain["rootId"], plain["parentId"], plain["replyTo"]) == (root["id"], None, None)
    answer = created(bob_api, article, "to alice", rootId=root["id"], parentId=root["id"])
    assert answer["replyTo"] == {"id": alice.id, "name": "alice"}
    back = created(alice_api, article, "to bob", rootId=root["id"], parentId=answer["id"])
    assert back["replyTo"] == {"id": bob.id, "name": "bob"}
    # A parent alone names its thread.
    inferred = created(alice_api, article, "inferred", parentId=answer["id"])
    assert inferred["rootId"] == root["id"]
    # 0 means "none", as webook's Go clients send it.
    zero = created(alice_api, article, "zero", rootId=0, parentId=0)
    assert zero["rootId"] is None


def _other_thread(alice_api, article):
    root = created(alice_api, article, "root")
    other_root = created(alice_api, article, "other root")
    other_reply = created(alice_api, article, "other reply", rootId=other_root["id"])
    return root, other_root, other_reply


BAD = {
    "empty": lambda a, ids: {"content": ""},
    "whitespace only": lambda a, ids: {"content": " \n\t "},
    "over long": lambda a, ids: {"content": "x" * 2001},
    "content a number": lambda a, ids: {"content": 12},
    "content null": lambda a, ids: {"content": None},
    "bizId a string": lambda a, ids: {"bizId": str(a)},
    "bizId zero": lambda a, ids: {"bizId": 0},
    "rootId a bool": lambda a, ids: {"rootId": True},
    "rootId negative": lambda a, ids: {"rootId": -1},
    "unknown biz": lambda a, ids: {"biz": "video"},
    "biz missing": lambda a, ids: {"biz": None},
    "missing article": lambda a, ids: {"bizId": a + 1000},
    "root is a reply": lambda a, ids: {"rootId": ids["other_reply"]},
    "root missing": lambda a, ids: {"rootId": ids["other_reply"] + 1000},
    "parent outside the thread": lambda a, ids: {"rootId": ids["root"], "parentId": ids["other_reply"]},
    "parent missing": lambda a, ids: {"rootId": ids["root"], "parentId": ids["other_reply"] + 1000},
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_code_4_and_stores_nothing(alice_api, article, case):
    root, _other_root, other_reply = _other_thread(alice_api, article)
    ids = {"root": root["id"], "other_reply": other_reply["id"]}
    before = stored_count(), CommentCounter.objects.get(biz_id=article).cnt
    body = {"biz": "article", "bizId": article, "content": "fine text"}
    for key, value in BAD[case](article, ids).items():
        if value is None and key != "content":
            body.pop(key)
        else:
            body[key] = value
    answer = alice_api.post("/comments/create", body, format="json")
    assert answer.status_code == 200
    assert answer.json()["code"] == 4, answer.json()
    assert answer.json()["msg"]
    assert (stored_count(), CommentCounter.objects.get(biz_id=article).cnt) == before


def test_missing_fields_and_a_non_object_body_are_code_4(alice_api, article):
    for body in ({}, {"biz": "article"}, {"biz": "article", "bizId": article}, [1, 2]):
        assert alice_api.post("/comments/create", body, format="json").json()["code"] == 4
    assert stored_count() == 0


def test_exactly_the_limit_after_trimming_is_taken(alice_api, article):
    assert len(created(alice_api, article, "  " + "y" * 2000 + "  ")["content"]) == 2000


def test_a_root_of_another_article_is_refused(alice_api, author, article):
    elsewhere = created(alice_api, published_article(author))
    body = post(alice_api, article, "x", rootId=elsewhere["id"])
    assert body["code"] == 4
    assert stored_count() == 1


def test_a_withdrawn_article_takes_no_comment(alice_api, author, article):
    articles.article_withdraw(author_id=author.id, article_id=article)
    assert post(alice_api, article)["code"] == 4
    assert stored_count() == 0


def test_create_needs_login(api, article):
    assert api.post("/comments/create", {"biz": "article", "bizId": article, "content": "x"},
                    format="json").status_code == 401


# --- limits ------------------------------------------------------------------------------------

def test_rate_limit_per_user_per_minute(alice_api, article, settings):
    settings.COMMENT_RATE = 3
    for i in range(3):
        created(alice_api, article, f"comment {i}")
    refused = post(alice_api, article, "one too many")
    assert refused["code"] == 4 and refused["msg"]
    assert stored_count() == 3
    # Another user is not limited by alice.
    created(login_client(UserFactory.create()), article, "someone else")


def test_the_same_text_twice_within_the_window_is_a_duplicate(alice_api, author, article):
    created(alice_api, article, "same text")
    refused = post(alice_api, article, "  same text ")
    assert refused["code"] == 4
    assert stored_count() == 1
    created(alice_api, published_article(author), "same text")  # another article: fine
    created(login_client(UserFactory.create()), article, "same text")  # another user: fine


def test_a_refused_comment_does_not_count_as_a_duplicate(alice_api, article):
    assert post(alice_api, article, "retry me", rootId=10**9)["code"] == 4
    created(alice_api, article, "retry me")


def test_redis_down_fails_open_by_default_and_reads_still_answer(api, alice_api, article, redis_down, settings):
    settings.JWT_REVOCATION_FAILURE_MODE = "open"  # the login itself is checked against the database
    item = created(alice_api, article, "still works")
    assert stored_count() == 1
    assert [c["id"] for c in listed(api, article)] == [item["id"]]
    assert _count(api, article) == 1


def test_redis_down_fails_closed_when_set(alice_api, article, redis_down, settings):
    settings.JWT_REVOCATION_FAILURE_MODE = "open"
    settings.COMMENT_RATE_LIMIT_FAIL_OPEN = False
    body = post(alice_api, article, "refused")
    assert body["code"] == 5
    assert stored_count() == 0


# --- list and replies --------------------------------------------------------------------------

def test_list_is_roots_newest_first_with_reply_counts_and_first_three_replies(alice_api, article):
    old = created(alice_api, article, "old root")
    new = created(alice_api, article, "new root")
    replies = [created(alice_api, article, f"reply {i}", rootId=old["id"])["id"] for i in range(5)]
    page = listed(alice_api, article)
    assert [c["id"] for c in page] == [new["id"], old["id"]]
    assert page[1]["replyCnt"] == 5
    assert [r["id"] for r in page[1]["replies"]] == replies[:3]
    assert page[0]["replies"] == []


def test_list_cursor_and_limit(api, alice_api, article):
    ids = [created(alice_api, article, f"c{i}")["id"] for i in range(5)]
    assert [c["id"] for c in listed(api, article, limit=2)] == ids[::-1][:2]
    assert [c["id"] for c in listed(api, article, before=ids[3], limit=2)] == [ids[2], ids[1]]
    assert [c["id"] for c in listed(api, article, before=ids[0])] == []


@pytest.mark.parametrize("query", [
    {"limit": 0}, {"limit": 51}, {"limit": "abc"}, {"limit": "1e3"}, {"before": "-1"}, {"bizId": "x"},
    {"biz": "video"}, {"bizId": ""},
])
def test_bad_list_queries_are_code_4(api, article, query):
    params = {"biz": "article", "bizId": article, **query}
    body = api.get("/comments/list", params).json()
    assert body["code"] == 4, body


def test_list_default_limit_is_twenty(api, alice_api, article, settings):
    settings.COMMENT_RATE = 0
    for i in range(23):
        created(alice_api, article, f"c{i}")
    assert len(listed(api, article)) == 20
    assert len(listed(api, article, limit=50)) == 23


def test_replies_oldest_first_with_cursor(api, alice_api, article):
    root = created(alice_api, article, "root")
    ids = [created(alice_api, article, f"r{i}", rootId=root["id"])["id"] for i in range(5)]
    first = api.get("/comments/replies", {"rootId": root["id"], "limit": 2}).json()["data"]
    assert [r["id"] for r in first] == ids[:2]
    rest = api.get("/comments/replies", {"rootId": root["id"], "after": ids[1]}).json()["data"]
    assert [r["id"] for r in rest] == ids[2:]
    assert api.get("/comments/replies", {"rootId": ids[0]}).json()["code"] == 4  # not a root
    assert api.get("/comments/replies", {"rootId": "x"}).json()["code"] == 4
    assert api.get("/comments/replies", {}).json()["code"] == 4


def test_pagination_never_skips_or_repeats_while_others_write(api, alice_api, article, settings):
    settings.COMMENT_RATE = 0
    for i in range(10):
        created(alice_api, article, f"before {i}")
    seen, before, writer = [], None, 0
    while True:
        page = listed(api, article, limit=3, **({"before": before} if before else {}))
        if not page:
            break
        seen += [c["id"] for c in page]
        before = page[-1]["id"]
        writer += 1
        created(alice_api, article, f"written meanwhile {writer}")  # newer: never in the older pages
    assert len(seen) == len(set(seen)) == 10
    assert seen == sorted(seen, reverse=True)


# --- delete --------------------------------------------------------------------------------------

def _delete(client, cid):
    return client.post("/comments/delete", {"id": cid}, format="json").json()


def _count(api, article):
    return api.get(f"/articles/pub/{article}").json()["data"]["commentCnt"]


def test_author_deletes_own_and_twice_changes_nothing(api, alice_api, article):
    c = created(alice_api, article, "mine")
    assert _count(api, article) == 1
    assert _delete(alice_api, c["id"])["code"] == 0
    assert _delete(alice_api, c["id"])["code"] == 0
    assert stored_count() == 0
    assert _count(api, article) == 0
    assert CommentCounter.objects.get(biz_id=article).cnt == 0


def test_someone_else_cannot_delete(alice_api, article):
    c = created(alice_api, article, "mine")
    stranger = login_client(UserFactory.create())
    body = _delete(stranger, c["id"])
    assert body["code"] == 4 and body["msg"]
    assert stored_count() == 1


def test_the_article_author_and_staff_may_delete(alice_api, author, article):
    a = created(alice_api, article, "one")
    b = created(alice_api, article, "two")
    assert _delete(login_client(author), a["id"])["code"] == 0
    assert _delete(login_client(UserFactory.create(is_staff=True)), b["id"])["code"] == 0
    assert stored_count() == 0


def test_a_deleted_root_with_replies_stays_as_deleted(api, alice_api, article):
    root = created(alice_api, article, "root text")
    bob_api = login_client(UserFactory.create(nickname="bob"))
    reply = created(bob_api, article, "reply", rootId=root["id"], parentId=root["id"])
    assert _delete(alice_api, root["id"])["code"] == 0
    [shown] = listed(api, article)
    assert shown["deleted"] is True and shown["content"] == "" and shown["user"] is None
    assert [r["id"] for r in shown["replies"]] == [reply["id"]]
    assert _count(api, article) == 1
    # Replying into the thread still works; answering the deleted root does not.
    assert post(bob_api, article, "more", rootId=root["id"])["code"] == 0
    assert post(bob_api, article, "to nobody", rootId=root["id"], parentId=root["id"])["code"] == 4
    assert _count(api, article) == 2
    # The last reply gone, the placeholder goes too.
    for r in Comment.objects.filter(root_id=root["id"]).values_list("id", flat=True):
        assert _delete(bob_api, r)["code"] == 0
    assert listed(api, article) == []
    assert stored_count() == 0
    assert _count(api, article) == 0


def test_delete_bad_input_is_code_4(alice_api):
    for body in ({}, {"id": "1"}, {"id": 0}, {"id": True}):
        assert alice_api.post("/comments/delete", body, format="json").json()["code"] == 4


# --- the article comes and goes, users come and go -----------------------------------------------

def test_withdrawn_article_hides_comments_and_republish_shows_them(api, alice_api, author, article):
    c = created(alice_api, article, "visible")
    assert listed(api, article)  # cached now
    articles.article_withdraw(author_id=author.id, article_id=article)
    assert api.get("/comments/list", {"biz": "article", "bizId": article}).json()["code"] == 4
    assert api.get("/comments/replies", {"rootId": c["id"]}).json()["code"] == 4
    assert stored_count() == 1  # hidden, not deleted
    articles.article_publish(author_id=author.id, article_id=article, title="Again", content="<p>back</p>")
    assert [x["id"] for x in listed(api, article)] == [c["id"]]
    assert _count(api, article) == 1


def test_a_deactivated_user_keeps_their_comments_with_their_name(api, alice_api, alice, article):
    created(alice_api, article, "still here")
    user_deactivate(user_ids=[alice.id])
    assert listed(api, article)[0]["user"] == {"id": alice.id, "name": "alice"}


def test_names_never_come_from_email(api, article):
    nameless = UserFactory.create(nickname="", email="private.person@example.test")
    item = created(login_client(nameless), article, "hi")
    assert item["user"]["name"] == f"user {nameless.id}"
    assert "private" not in str(listed(api, article))


def test_public_detail_carries_comment_count(api, alice_api, article):
    assert _count(api, article) == 0
    root = created(alice_api, article, "a")
    created(alice_api, article, "b", rootId=root["id"])
    assert _count(api, article) == 2


@pytest.mark.parametrize("query", [
    {"biz": "article", "bizId": "7"}, {"biz": "article", "bizId": "7", "limit": "50", "before": "3"},
    {"biz": "article", "bizId": "7", "limit": "51"}, {"biz": "article", "bizId": "0"}, {"biz": "Article", "bizId": "7"},
    {"biz": "article", "bizId": "٣"}, {"biz": "article", "bizId": "7", "before": ""}, {"bizId": "7"},
])
def test_the_fast_query_parser_agrees_with_the_serializer(query):
    from comments.api import serializers as io
    from tinybook.api import valid
    from tinybook.exceptions import InvalidInput

    fast = io.list_query(query)
    try:
        slow = dict(valid(io.ListQuery, query))
    except InvalidInput:
        slow = None
    if fast is not None:
        assert slow is not None and {**slow, "before": slow.get("before")} == fast
    # When the fast parser declines, the serializer answers (an error, or the same data).
