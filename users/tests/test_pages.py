"""Browser pages: session login, CSRF, field errors in place, admin."""

import logging
import re

import pytest
from django.test import Client

from sms.models import OutboxMessage
from users.models import User
from users.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
GOOD = "Fake-Passw0rd!"


def test_signup_page_creates_user_and_logs_in(client):
    resp = client.post(
        "/account/signup", {"email": "Page@Example.test", "password": GOOD, "confirm_password": GOOD}
    )
    assert resp.status_code == 302
    assert User.objects.filter(email="page@example.test").exists()
    page = client.get("/account/profile")
    assert page.status_code == 200 and "page@example.test" in page.content.decode()


def test_signup_page_shows_field_errors_in_place(client):
    UserFactory(email="taken@example.test")
    html = client.post(
        "/account/signup", {"email": "taken@example.test", "password": GOOD, "confirm_password": GOOD}
    ).content.decode()
    assert re.search(r'name="email".*?class="error">this email is already registered', html, re.S)
    html = client.post(
        "/account/signup", {"email": "n@example.test", "password": GOOD, "confirm_password": "other"}
    ).content.decode()
    assert re.search(r'name="confirm_password".*?class="error">the two passwords do not match', html, re.S)


def test_login_page_logs_in_and_out(client, user):
    assert client.get("/account/profile").status_code == 302
    resp = client.post("/account/login", {"email": user.email, "password": TEST_PASSWORD})
    assert resp.status_code == 302
    assert client.get("/account/profile").status_code == 200
    client.post("/account/logout")
    assert client.get("/account/profile").status_code == 302


def test_login_page_wrong_password_shows_error(client, user):
    html = client.post("/account/login", {"email": user.email, "password": "nope"}).content.decode()
    assert "wrong email or password" in html


def test_login_page_redirects_to_safe_next_only(client, user):
    resp = client.post(
        "/account/login", {"email": user.email, "password": TEST_PASSWORD, "next": "https://evil.test/"}
    )
    assert resp["Location"] == "/"
    resp = Client().post("/account/login", {"email": user.email, "password": TEST_PASSWORD, "next": "/account/profile"})
    assert resp["Location"] == "/account/profile"


def test_forms_need_csrf(user):
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post("/account/login", {"email": user.email, "password": TEST_PASSWORD}).status_code == 403
    page = csrf_client.get("/account/login")
    token = page.cookies["csrftoken"].value
    resp = csrf_client.post(
        "/account/login", {"email": user.email, "password": TEST_PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert resp.status_code == 302


def test_sms_page_sends_code_with_countdown_then_logs_in(client, settings):
    settings.SMS_PROVIDERS = ["console"]
    html = client.post("/account/login/sms", {"phone": "13800000000", "action": "send"}).content.decode()
    assert f'data-countdown="{settings.SMS_CODE_RESEND_INTERVAL}"' in html
    code = re.search(r"\d{6}", OutboxMessage.objects.get().text).group(0)
    resp = client.post("/account/login/sms", {"phone": "13800000000", "code": code, "action": "login"})
    assert resp.status_code == 302
    assert client.get("/account/profile").status_code == 200
    assert User.objects.filter(phone="+8613800000000").exists()


def test_sms_page_wrong_code_shows_error(client):
    html = client.post("/account/login/sms", {"phone": "13800000000", "code": "000000"}).content.decode()
    assert "the code is wrong or has expired" in html


def test_login_page_offers_email_sms_and_wechat(client):
    html = client.get("/account/login").content.decode()
    assert 'action="/account/login"' in html
    assert 'action="/account/login/sms"' in html
    assert 'href="/account/login/wechat"' in html


def test_profile_edit_page_saves_and_shows_errors(client, user):
    client.force_login(user)
    resp = client.post("/account/profile/edit", {"nickname": "Page", "birthday": "1990-01-01", "about_me": "hi"})
    assert resp.status_code == 302
    user.refresh_from_db()
    assert user.nickname == "Page"
    html = client.post("/account/profile/edit", {"nickname": "Page", "birthday": "1990-13-01"}).content.decode()
    assert re.search(r'name="birthday".*?class="error">use the format YYYY-MM-DD', html, re.S)
    user.refresh_from_db()
    assert user.birthday.isoformat() == "1990-01-01"


def test_user_input_is_escaped_on_the_profile_page(client, user):
    client.force_login(user)
    client.post("/account/profile/edit", {"nickname": "<b>x</b>", "birthday": "", "about_me": "<script>"})
    html = client.get("/account/profile").content.decode()
    assert "<script>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_admin_lists_and_searches_users(admin_client):
    UserFactory(email="findme@example.test")
    UserFactory(phone="+8613800000007", email=None)
    html = admin_client.get("/admin/users/user/", {"q": "findme"}).content.decode()
    assert "findme@example.test" in html
    html = admin_client.get("/admin/users/user/", {"q": "13800000007"}).content.decode()
    assert "+8613800000007" in html


def test_no_password_code_or_token_in_logs(api, caplog, settings):
    settings.SMS_PROVIDERS = ["console"]
    secret_pw = "Sekrit-Passw0rd!"
    with caplog.at_level(logging.DEBUG):
        api.post(
            "/users/signup",
            {"email": "log@example.test", "password": secret_pw, "confirmPassword": secret_pw},
            format="json",
        )
        resp = api.post("/users/login", {"email": "log@example.test", "password": secret_pw}, format="json")
        api.post("/users/login", {"email": "log@example.test", "password": "Wrong-Passw0rd!"}, format="json")
        api.post("/users/login_sms/code/send", {"phone": "+8613800000000"}, format="json")
        code = re.search(r"\d{6}", OutboxMessage.objects.get().text).group(0)
        sms = api.post("/users/login_sms", {"phone": "+8613800000000", "code": code}, format="json")
    text = "\n".join(r.getMessage() + str(r.args) for r in caplog.records)
    assert text, "the requests were logged"
    for secret in (secret_pw, "Wrong-Passw0rd!", code, resp["x-jwt-token"], resp["x-refresh-token"], sms["x-jwt-token"]):
        assert secret not in text
