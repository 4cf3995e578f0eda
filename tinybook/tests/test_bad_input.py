"""Bad input never gets a 500 and never changes anything (issue 22, items 1, 2, 4, 14).

Deep nesting, lone surrogates, NUL, C0 controls and bidirectional overrides, sent to the real
endpoints: each is code 4 with nothing written, or stored under the one text rule
(tinybook.fields.text_clean), and the access log's redaction never fails a request.
"""

import json
import logging

import pytest

from interactions.models import Collection
from tinybook import kv
from users.models import User
from users.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NESTED = "[" * 1000 + "]" * 1000  # about 2 KB


def post(client, path, raw, **extra):
    return client.generic("POST", path, raw, content_type="application/json", **extra)


def nested_body(field="name"):
    return f'{{"{field}": {NESTED}}}'


# --- 1. deep nesting ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/users/signup", "/users/login", "/users/edit", "/articles/edit",
                                  "/articles/pub/like", "/collections/create"])
def test_deeply_nested_json_is_code_4_and_logs_no_traceback(auth_api, path, caplog):
    with caplog.at_level(logging.WARNING):
        resp = post(auth_api, path, nested_body(), HTTP_ACCEPT="application/json")
    assert resp.status_code == 200
    assert resp.json()["code"] == 4
    assert resp.json()["msg"] == "the JSON body is nested too deeply"
    assert not [r for r in caplog.records if r.exc_info]


def test_moderate_nesting_beyond_the_setting_is_refused_before_anything_is_written(auth_api, settings):
    settings.API_MAX_JSON_DEPTH = 3
    resp = post(auth_api, "/collections/create", json.dumps({"name": "folder", "x": [[[1]]]}))
    assert resp.json()["code"] == 4
    assert not Collection.objects.exists()
    ok = post(auth_api, "/collections/create", json.dumps({"name": "folder", "x": [[1]]}))
    assert ok.json()["code"] == 0


# --- 2. lone surrogates and NUL: refused everywhere, before any dependency sees them --------------

@pytest.mark.parametrize("body", [
    '{"email": "a\\ud800@example.test", "password": "Fake-Passw0rd!"}',
    '{"email": "user@example.test", "password": "x\\ud800y"}',
    '{"email": "user@example.test", "password": "x\\u0000y"}',
])
def test_login_with_a_refused_character_is_code_4_and_reaches_neither_redis_nor_bcrypt(api, user, body):
    resp = post(api, "/users/login", body, HTTP_ACCEPT="application/json")
    assert resp.status_code == 200
    assert resp.json()["code"] == 4
    assert "contains characters that are not allowed" in resp.json()["msg"]
    # No failed attempt was recorded: the login never ran.
    assert not kv.client().keys(kv.login_failures_ip_key("*"))


@pytest.mark.parametrize("field", ["nickname", "aboutMe"])
@pytest.mark.parametrize("bad", ["\\ud800", "\\udfff tail", "a\\u0000b"])
def test_profile_edit_with_a_refused_character_is_code_4_and_changes_nothing(auth_api, user, field, bad):
    resp = post(auth_api, "/users/edit", f'{{"{field}": "{bad}"}}')
    assert resp.json()["code"] == 4
    assert resp.json()["msg"].startswith(f"{field}: ")
    user.refresh_from_db()
    assert (user.nickname, user.about_me) == (User.objects.get(pk=user.pk).nickname, "")
    assert user.about_me == ""


def test_signup_with_a_lone_surrogate_in_the_password_is_code_4(api):
    body = '{"email": "new@example.test", "password": "Fake-Passw0rd!\\ud800", "confirmPassword": "Fake-Passw0rd!\\ud800"}'
    resp = post(api, "/users/signup", body, HTTP_ACCEPT="application/json")
    assert resp.json()["code"] == 4
    assert not User.objects.filter(email="new@example.test").exists()


# --- 14. invisible characters: stripped from every text field, the same way --------------------

INVISIBLE = "\u202e\x01\x1b\x7f\x85\u2066"


@pytest.mark.parametrize("path, body, read", [
    ("/users/edit", {"nickname": f"ann{INVISIBLE}e", "aboutMe": f"hi{INVISIBLE}\nthere"},
     lambda u: (User.objects.get(pk=u.pk).nickname, User.objects.get(pk=u.pk).about_me)),
    ("/collections/create", {"name": f"to{INVISIBLE}read"},
     lambda u: (Collection.objects.get(owner=u).name,)),
])
def test_controls_and_bidi_overrides_are_stripped_from_stored_text(auth_api, user, path, body, read):
    resp = post(auth_api, path, json.dumps(body))
    assert resp.json()["code"] == 0, resp.json()
    stored = read(user)
    expected = {"/users/edit": ("anne", "hi\nthere"), "/collections/create": ("toread",)}[path]
    assert stored == expected


def test_an_article_title_and_content_follow_the_same_rule(auth_api):
    from articles.models import Article

    resp = post(auth_api, "/articles/edit", json.dumps({"title": f"A{INVISIBLE} title",
                                                        "content": f"<p>x{INVISIBLE}y</p>"}))
    assert resp.json()["code"] == 0
    article = Article.objects.get(pk=resp.json()["data"])
    assert (article.title, article.content) == ("A title", "<p>xy</p>")


def test_a_nickname_of_invisible_characters_only_is_empty_and_leaves_it_unchanged(auth_api, user):
    before = User.objects.get(pk=user.pk).nickname
    resp = post(auth_api, "/users/edit", json.dumps({"nickname": "\u202e\u202e"}))
    assert resp.json()["code"] == 0  # an empty nickname means "unchanged" (webook-fe sends "")
    assert User.objects.get(pk=user.pk).nickname == before


def test_the_password_is_never_altered_by_the_rule(api):
    # Secrets are verbatim: a control character in a password is kept, so the login that
    # types the same password works and one without it does not.
    password = "Fake-Passw0rd!\x01"
    body = {"email": "ctl@example.test", "password": password, "confirmPassword": password}
    assert post(api, "/users/signup", json.dumps(body), HTTP_ACCEPT="application/json").json()["code"] == 0
    good = post(api, "/users/login", json.dumps({"email": "ctl@example.test", "password": password}),
                HTTP_ACCEPT="application/json")
    assert good.json()["code"] == 0
    bad = post(api, "/users/login", json.dumps({"email": "ctl@example.test", "password": "Fake-Passw0rd!"}),
               HTTP_ACCEPT="application/json")
    assert bad.json()["code"] == 4


def test_the_profile_page_form_strips_and_refuses_like_the_api(client, user):
    client.force_login(user)
    resp = client.post("/account/profile/edit", {"nickname": f"bob{INVISIBLE}", "birthday": "", "about_me": "x"})
    assert resp.status_code == 302
    assert User.objects.get(pk=user.pk).nickname == "bob"
    refused = client.post("/account/profile/edit", {"nickname": "b\x00ob", "birthday": "", "about_me": ""})
    assert refused.status_code == 200
    assert "contains characters that are not allowed" in refused.content.decode()
    assert User.objects.get(pk=user.pk).nickname == "bob"


def test_the_collections_page_follows_the_rule(client, user):
    client.force_login(user)
    client.post("/collections", {"action": "create", "name": f"pile{INVISIBLE}"})
    assert list(Collection.objects.filter(owner=user).values_list("name", flat=True)) == ["pile"]
    client.post("/collections", {"action": "create", "name": "bad\x00name"})
    assert Collection.objects.filter(owner=user).count() == 1


# --- 4. the access log's redaction never fails a request, and keeps the envelope's code --------

@pytest.mark.parametrize("raw", ['{"name": "folder", "note": "\\ud800"}', '{"name": "folder", "x": ' + "[" * 30 + "]" * 30 + "}"])
def test_body_logging_never_turns_a_committed_write_into_a_500(auth_api, user, settings, caplog, raw):
    settings.ACCESS_LOG_BODIES = True
    settings.API_MAX_JSON_DEPTH = 40
    with caplog.at_level(logging.INFO, logger="tinybook.access"):
        resp = post(auth_api, "/collections/create", raw)
    assert resp.status_code == 200
    assert resp.json()["code"] == 0
    assert Collection.objects.filter(owner=user).count() == 1
    line = [r for r in caplog.records if r.name == "tinybook.access"][-1]
    line.request_body.encode("utf-8")  # loggable as it is


def test_body_logging_keeps_the_envelopes_code_and_redacts_the_login_code(api, settings, caplog):
    settings.ACCESS_LOG_BODIES = True
    with caplog.at_level(logging.INFO, logger="tinybook.access"):
        post(api, "/users/login_sms", json.dumps({"phone": "+8613900000001", "code": "123456"}))
    line = [r for r in caplog.records if r.name == "tinybook.access"][-1]
    assert "123456" not in line.request_body
    assert json.loads(line.response_body)["code"] == 4


def test_login_password_is_still_checked_after_the_rule(api, user):
    resp = post(api, "/users/login", json.dumps({"email": user.email, "password": TEST_PASSWORD}),
                HTTP_ACCEPT="application/json")
    assert resp.json()["code"] == 0
