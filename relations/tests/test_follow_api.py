"""/relations/follow, the lists and /users/card: webook's envelope, code 4 for anything wrong."""

import pytest

from articles import services as articles
from conftest import login_client
from relations.models import Follow, FollowCounter
from relations.selectors import follower_counts
from relations.tests.helpers import follow, people, person, publish
from users.models import User

pytestmark = pytest.mark.django_db


def _counts(user):
    row = FollowCounter.objects.filter(user_id=user.id).first()
    return (row.follower_cnt, row.followee_cnt) if row else (0, 0)


def test_follow_and_unfollow_are_idempotent_and_counted_once(user, auth_api):
    author = person()
    for _ in range(2):
        body = auth_api.post("/relations/follow", {"uid": author.id, "follow": True}, format="json").json()
        assert body["code"] == 0 and body["data"] is None
    assert _counts(author) == (1, 0) and _counts(user) == (0, 1)
    assert Follow.objects.filter(follower=user, followee=author).count() == 1
    for _ in range(2):
        assert auth_api.post("/relations/follow", {"uid": author.id, "follow": False}, format="json").json()["code"] == 0
    assert _counts(author) == (0, 0) and _counts(user) == (0, 0)
    assert not Follow.objects.exists()


def test_follow_defaults_to_true(user, auth_api):
    author = person()
    assert auth_api.post("/relations/follow", {"uid": author.id}, format="json").json()["code"] == 0
    assert _counts(author) == (1, 0)


@pytest.mark.parametrize("body", [
    {}, {"uid": "12"}, {"uid": 0}, {"uid": -1}, {"uid": 2**53}, {"uid": True}, {"uid": 1.5},
    {"uid": 1, "follow": "yes"}, {"uid": 1, "follow": 1},
])
def test_bad_input_is_code_4_and_changes_nothing(auth_api, body):
    answer = auth_api.post("/relations/follow", body, format="json")
    assert answer.status_code == 200 and answer.json()["code"] == 4
    assert not Follow.objects.exists()


def test_following_yourself_a_missing_or_an_inactive_user_is_code_4(user, auth_api):
    inactive = person(is_active=False)
    for uid in (user.id, 10**12, inactive.id):
        body = auth_api.post("/relations/follow", {"uid": uid, "follow": True}, format="json").json()
        assert body["code"] == 4, uid
        assert body["msg"]
    assert auth_api.post("/relations/follow", {"uid": user.id, "follow": False}, format="json").json()["code"] == 4
    assert not Follow.objects.exists()
    assert _counts(user) == (0, 0)


def test_unfollowing_someone_deactivated_since_works(user, auth_api):
    author = person()
    follow(user, author)
    User.objects.filter(pk=author.pk).update(is_active=False)
    assert auth_api.post("/relations/follow", {"uid": author.id, "follow": False}, format="json").json()["code"] == 0
    assert _counts(user) == (0, 0)


def test_follow_needs_login(api):
    author = person()
    assert api.post("/relations/follow", {"uid": author.id}, format="json").status_code == 401
    assert not Follow.objects.exists()


def test_messages_in_chinese(user):
    client = login_client(user)
    body = client.post("/relations/follow", {"uid": user.id}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["code"] == 4 and body["msg"] == "不能关注自己"


def test_lists_are_newest_follow_first_with_the_viewers_marks(user, auth_api, api):
    star = person(nickname="Star", about_me="I write")
    fans = people(3)
    for fan in fans:
        follow(fan, star)
    follow(user, fans[0])  # the viewer follows one of the fans
    data = auth_api.get(f"/relations/followers?uid={star.id}").json()["data"]
    assert [p["id"] for p in data] == [f.id for f in reversed(fans)]
    assert [p["followed"] for p in data] == [False, False, True]
    assert set(data[0]) == {"id", "name", "aboutMe", "followed"}
    assert data[0]["name"] == fans[2].nickname
    page = auth_api.get(f"/relations/followers?uid={star.id}&offset=1&limit=1").json()["data"]
    assert [p["id"] for p in page] == [fans[1].id]

    followees = api.get(f"/relations/followees?uid={fans[0].id}").json()["data"]
    assert followees == [{"id": star.id, "name": "Star", "aboutMe": "I write", "followed": False}]
    mine = auth_api.get("/relations/followees").json()["data"]  # uid defaults to me
    assert [p["id"] for p in mine] == [fans[0].id]


def test_a_user_following_nobody_gets_an_empty_list(user, auth_api):
    for path in ("/relations/followees", "/relations/followers"):
        body = auth_api.get(path).json()
        assert body["code"] == 0 and body["data"] == []


@pytest.mark.parametrize("query", ["", "?uid=abc", "?uid=0", "?uid=99999999999", "?uid=1&limit=0",
                                   "?uid=1&limit=1000", "?uid=1&offset=-1", "?uid=1&offset=1e3"])
def test_list_bad_input_is_code_4(api, query):
    person()
    for path in ("/relations/followees", "/relations/followers"):
        answer = api.get(path + query)
        assert answer.status_code == 200 and answer.json()["code"] == 4, (path, query)


def test_card_counts_live_articles_and_follows(user, auth_api, api):
    author = person(nickname="Ann", about_me="hello")
    live = publish(author)
    withdrawn = publish(author)
    articles.article_withdraw(author_id=author.id, article_id=withdrawn)
    articles.article_save(author_id=author.id, title="draft", content="<p>d</p>")
    articles.article_save(author_id=author.id, article_id=live, title="edited", content="<p>e</p>")  # still live
    follow(user, author)
    follow(author, person())
    card = auth_api.get(f"/users/card/{author.id}").json()
    assert card["code"] == 0
    assert card["data"] == {"id": author.id, "name": "Ann", "aboutMe": "hello", "articleCnt": 1,
                            "followerCnt": 1, "followeeCnt": 1, "followed": True}
    anonymous = api.get(f"/users/card/{author.id}", HTTP_AUTHORIZATION="Bearer null").json()["data"]
    assert anonymous["followed"] is False and anonymous["followerCnt"] == 1


@pytest.mark.parametrize("uid", ["null", "abc", "0", "-3", "99999999999999999999"])
def test_card_of_a_bad_id_is_code_4(api, uid):
    answer = api.get(f"/users/card/{uid}")
    assert answer.status_code == 200 and answer.json()["code"] == 4


def test_card_of_a_missing_or_inactive_user_is_code_4(api):
    inactive = person(is_active=False)
    for uid in (inactive.id, 10**12):
        assert api.get(f"/users/card/{uid}").json()["code"] == 4


def test_follower_counts_for_other_apps():
    a, b, c = people(3)
    follow(a, b)
    follow(c, b)
    follow(b, a)
    assert follower_counts([a.id, b.id, c.id, 10**12]) == {a.id: 1, b.id: 2, c.id: 0, 10**12: 0}
    assert follower_counts([]) == {}
