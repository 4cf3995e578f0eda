"""The request/response pairs of the real webook client (webook-fe), with its own headers.

webook-fe is the Next.js client of the Go course; walked against TinyBook in headless
Chromium, these are the requests it makes and what its user must see (issue 16, SPEC
section 2 "What the real webook client needs"). Its axios sends ``Accept: application/json,
text/plain, */*`` and ``Authorization: Bearer null`` when logged out, and shows sign-up and
login answers with ``alert(res.data)``.
"""

import json

import pytest
from rest_framework.test import APIClient

from articles import services as articles
from conftest import login_client
from users.models import User
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FE_HEADERS = {
    "HTTP_ACCEPT": "application/json, text/plain, */*",
    "HTTP_ORIGIN": "http://localhost:3000",
    "HTTP_USER_AGENT": "Mozilla/5.0 (webook-fe walk)",
}
GOOD = "Walk-2024-pass"


def fe(language="zh-CN", token="null") -> APIClient:  # noqa: S107 - webook-fe sends "Bearer null" logged out
    client = APIClient(**FE_HEADERS, HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def fe_logged_in(user, language="zh-CN") -> APIClient:
    session = login_client(user, user_agent=FE_HEADERS["HTTP_USER_AGENT"])
    return fe(language, token=session.access_token)


def _not_json(body: bytes) -> bool:
    """axios parses any body that is valid JSON, whatever its Content-Type."""
    try:
        json.loads(body)
    except ValueError:
        return True
    return False


# --- 1. sign-up and login answer in plain text -----------------------------------------------------

@pytest.mark.parametrize(("body", "text"), [
    ({"email": "fe.walker@example.test", "password": GOOD, "confirmPassword": GOOD}, "注册成功"),
    ({"email": "fe.walker@example.test", "password": "abc", "confirmPassword": "abc"}, "密码：长度须为 8 到 64 个字符"),
])
def test_signup_answers_webook_fe_with_the_message_as_plain_text(body, text):
    resp = fe().post("/users/signup", body, format="json")
    assert resp.status_code == 200
    assert resp["Content-Type"] == "text/plain; charset=utf-8"
    assert resp.content.decode() == text and _not_json(resp.content)


def test_a_duplicate_signup_and_a_wrong_password_are_plain_text_too():
    UserFactory.create(email="taken@example.test")
    dup = fe().post("/users/signup", {"email": "taken@example.test", "password": GOOD, "confirmPassword": GOOD},
                    format="json")
    assert dup.content.decode() == "邮箱：该邮箱已被注册"
    wrong = fe().post("/users/login", {"email": "taken@example.test", "password": "Wrong-2024-pass"}, format="json")
    assert (wrong["Content-Type"], wrong.content.decode()) == ("text/plain; charset=utf-8", "邮箱或密码错误")
    assert "x-jwt-token" not in wrong


def test_login_answers_plain_text_with_the_token_headers():
    user = UserFactory.create()
    resp = fe(language="en").post("/users/login", {"email": user.email, "password": "Fake-Passw0rd!"}, format="json")
    assert (resp.status_code, resp.content.decode()) == (200, "logged in")
    assert resp["x-jwt-token"] and resp["x-refresh-token"]
    assert "x-jwt-token" in resp["Access-Control-Expose-Headers"]
    profile = fe(token=resp["x-jwt-token"]).get("/users/profile")
    assert profile.json()["Email"] == user.email


@pytest.mark.parametrize("accept", ["application/json", "application/json; charset=utf-8"])
def test_a_client_that_accepts_json_alone_gets_the_envelope(accept):
    resp = APIClient().post("/users/signup", {"email": "json@example.test", "password": GOOD, "confirmPassword": GOOD},
                            format="json", HTTP_ACCEPT=accept)
    assert resp["Content-Type"] == "application/json"
    assert resp.json() == {"code": 0, "msg": "signed up", "data": None}


def test_malformed_json_to_login_is_a_plain_text_refusal():
    resp = fe(language="en").generic("POST", "/users/login", '{"email": ', content_type="application/json")
    assert (resp.status_code, resp.content.decode()) == (200, "malformed JSON body")


# --- 2. a new user saves the profile as webook-fe sends it ------------------------------------------

def test_a_new_users_profile_has_an_empty_birthday_and_saves_as_webook_fe_sends_it_back():
    user = UserFactory.create(nickname="")
    client = fe_logged_in(user)
    assert client.get("/users/profile").json()["Birthday"] == ""
    # The form always sends all three fields: "" for no nickname, "Invalid date" for no birthday.
    resp = client.post("/users/edit", {"nickname": "", "birthday": "Invalid date", "aboutMe": "写点什么"},
                       format="json")
    assert resp.json() == {"code": 0, "msg": "已保存", "data": None}
    user.refresh_from_db()
    assert (user.nickname, user.birthday, user.about_me) == ("", None, "写点什么")


def test_invalid_date_leaves_a_stored_birthday_as_it_is():
    import datetime

    user = UserFactory.create(nickname="读者B", birthday=datetime.date(1990, 5, 17))
    resp = fe_logged_in(user).post("/users/edit", {"nickname": "读者B", "birthday": "Invalid date", "aboutMe": ""},
                                   format="json")
    assert resp.json()["code"] == 0
    user.refresh_from_db()
    assert user.birthday == datetime.date(1990, 5, 17)


# --- 3. a path id that is not a number is code 4, not a 404 -----------------------------------------

@pytest.mark.parametrize("raw", ["null", "undefined", "abc", "1.5", "-1", "0", "9007199254740992"])
def test_a_path_id_that_is_not_an_id_is_http_200_code_4(raw):
    resp = fe().get(f"/articles/pub/{raw}")
    assert resp.status_code == 200
    assert resp.json()["code"] == 4
    assert resp["Content-Type"] == "application/json"


def test_an_author_asking_for_their_own_article_by_a_bad_id_gets_code_4_too():
    resp = fe_logged_in(UserFactory.create()).get("/articles/detail/null")
    assert (resp.status_code, resp.json()["code"]) == (200, 4)


def test_the_routes_beside_the_reader_detail_still_answer():
    author = UserFactory.create()
    article_id = articles.article_publish(author_id=author.id, title="t", content="<p>c</p>")
    reader = fe_logged_in(UserFactory.create())
    assert reader.post("/articles/pub/like", {"id": article_id, "like": True}, format="json").json()["code"] == 0
    assert reader.post("/articles/pub/collect", {"id": article_id, "cid": 0}, format="json").json()["code"] == 0
    assert reader.get("/articles/pub/liked").json()["data"] == [article_id]
    assert reader.post("/articles/pub/list", {"offset": 0, "limit": 10}, format="json").json()["code"] == 0
    assert reader.get(f"/articles/pub/{article_id}").json()["data"]["liked"] is True


def test_an_unknown_path_answers_json_encoded_as_every_other_answer(settings):
    settings.DEBUG = False
    resp = fe(language="zh-CN").get("/articles/nothing/here")
    assert resp.status_code == 404
    assert resp.content.decode() == '{"code":4,"msg":"未找到","data":null}'


# --- 4. the phone as the user typed it --------------------------------------------------------------

@pytest.mark.parametrize(("stored", "shown"), [
    ("+8613900021338", "13900021338"),
    ("+14155550123", "+14155550123"),
])
def test_profile_phone_is_national_for_the_default_region(stored, shown):
    user = User.objects.create(phone=stored)
    assert fe_logged_in(user).get("/users/profile").json()["Phone"] == shown
    user.refresh_from_db()
    assert user.phone == stored  # stored as E.164


# --- 5. messages never mix languages ------------------------------------------------------------------

@pytest.mark.parametrize(("path", "body", "message"), [
    ("/users/edit", {"nickname": "x" * 21}, "昵称：长度须为 1 到 20 个字符"),
    ("/users/edit", {"birthday": "1990/01/01"}, "生日：请使用 YYYY-MM-DD 格式的真实日期，且不能晚于今天"),
    ("/users/edit", {"aboutMe": 5}, "个人简介：必须是字符串"),
    ("/articles/edit", {"content": "<p>x</p>"}, "标题：该字段是必填项。"),
    ("/articles/edit", {"title": 7, "content": ""}, "标题：必须是字符串"),
    ("/articles/pub/like", {"id": "2", "like": True}, "编号：必须是整数"),
])
def test_a_chinese_message_names_its_field_in_chinese(path, body, message):
    assert fe_logged_in(UserFactory.create()).post(path, body, format="json").json()["msg"] == message


def test_an_english_message_names_its_field_as_the_client_sends_it():
    resp = fe_logged_in(UserFactory.create(), language="en").post("/users/edit", {"aboutMe": 5}, format="json")
    assert resp.json()["msg"] == "aboutMe: must be a string"


def test_sms_login_messages_in_chinese_are_chinese():
    resp = fe().post("/users/login_sms/code/send", {"phone": "12"}, format="json")
    assert resp.json()["msg"] == "手机号：请输入有效的手机号"


def test_an_untouched_editor_is_told_in_chinese_that_content_is_needed():
    # webook-fe leaves content out when its editor was never touched.
    resp = fe_logged_in(UserFactory.create()).post("/articles/edit", {"id": 0, "title": "草稿"}, format="json")
    assert resp.json() == {"code": 4, "msg": "内容：该字段是必填项。", "data": {"content": ["该字段是必填项。"]}}


# --- 6. WeChat: not configured is said; configured, the callback is this site's ------------------------

def test_wechat_authurl_without_an_app_id_is_code_4(settings):
    settings.WECHAT_APP_ID = ""
    resp = fe().get("/oauth2/wechat/authurl")
    assert resp.json() == {"code": 4, "msg": "未配置微信登录", "data": None}
    assert "wechat_state" not in resp.cookies


def test_wechat_callback_url_follows_the_request_host_when_not_set(settings):
    from urllib.parse import parse_qs, urlparse

    settings.WECHAT_APP_ID, settings.WECHAT_REDIRECT_URI = "wx-fake-app", ""
    settings.ALLOWED_HOSTS = ["tinybook.example.test"]
    resp = fe().get("/oauth2/wechat/authurl", HTTP_HOST="tinybook.example.test:8080")
    query = parse_qs(urlparse(resp.json()["data"]).query)
    assert query["redirect_uri"] == ["http://tinybook.example.test:8080/oauth2/wechat/callback"]
    assert query["appid"] == ["wx-fake-app"]


# --- 7. nothing from an email or phone reaches another user ------------------------------------------

def test_an_anonymous_reader_never_sees_the_authors_email():
    author = User.objects.create(email="fe.walker635117@example.test")
    article_id = articles.article_publish(author_id=author.id, title="t", content="<p>c</p>")
    data = fe().get(f"/articles/pub/{article_id}").json()["data"]
    assert data["authorName"] == data["author"]["name"] == f"用户{author.id}"
    assert "fe.walker" not in json.dumps(data)
