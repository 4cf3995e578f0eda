"""WeChat QR login against a local fake WeChat HTTP server."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from rest_framework.test import APIClient

from users.models import User
from users.tokens import SessionAccessToken

pytestmark = pytest.mark.django_db


class FakeWechat:
    """Answers /sns/oauth2/access_token with ``self.answer`` (or sleeps ``self.delay``)."""

    def __init__(self):
        self.answer = {"access_token": "fake-at", "openid": "fake-openid-1", "unionid": "fake-union-1"}
        self.delay = 0.0
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                fake.requests.append(self.path)
                time.sleep(fake.delay)
                body = json.dumps(fake.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def wechat(settings):
    fake = FakeWechat()
    settings.WECHAT_API_BASE = fake.base
    settings.WECHAT_APP_ID = "wx-fake-app"
    settings.WECHAT_APP_SECRET = "fake-secret"
    settings.WECHAT_HTTP_TIMEOUT = 0.5
    yield fake
    fake.stop()


def start(api) -> str:
    resp = api.get("/oauth2/wechat/authurl")
    body = resp.json()
    assert body["code"] == 0
    return parse_qs(urlparse(body["data"]).query)["state"][0]


def test_authurl_builds_qrconnect_url_and_sets_signed_httponly_cookie(api, settings):
    settings.WECHAT_APP_ID = "wx-fake-app"
    settings.WECHAT_REDIRECT_URI = "https://tinybook.example.test/oauth2/wechat/callback"
    resp = api.get("/oauth2/wechat/authurl")
    url = urlparse(resp.json()["data"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == settings.WECHAT_QRCONNECT_URL
    q = parse_qs(url.query)
    assert q["appid"] == ["wx-fake-app"]
    assert q["redirect_uri"] == [settings.WECHAT_REDIRECT_URI]
    assert q["response_type"] == ["code"] and q["scope"] == ["snsapi_login"]
    cookie = resp.cookies["wechat_state"]
    assert cookie["path"] == "/oauth2/wechat/callback"
    assert cookie["httponly"] is True
    assert int(cookie["max-age"]) == settings.WECHAT_STATE_TTL
    assert cookie.value != q["state"][0], "the cookie is signed, not the bare state"


def test_callback_logs_in_and_creates_user_by_openid(api, wechat):
    state = start(api)
    resp = api.get("/oauth2/wechat/callback", {"code": "fake-code", "state": state})
    assert resp.json() == {"code": 0, "msg": "logged in", "data": None}
    user = User.objects.get(wechat_open_id="fake-openid-1")
    assert user.wechat_union_id == "fake-union-1"
    assert SessionAccessToken(resp["x-jwt-token"])["uid"] == user.id
    q = parse_qs(urlparse(wechat.requests[0]).query)
    assert q == {
        "appid": ["wx-fake-app"], "secret": ["fake-secret"], "code": ["fake-code"],
        "grant_type": ["authorization_code"],
    }
    assert urlparse(wechat.requests[0]).path == "/sns/oauth2/access_token"


def test_second_login_finds_the_same_user(api, wechat):
    for _ in range(2):
        api.get("/oauth2/wechat/callback", {"code": "c", "state": start(api)})
    assert User.objects.count() == 1


def test_missing_state_cookie_is_refused(api, wechat):
    body = api.get("/oauth2/wechat/callback", {"code": "c", "state": "whatever"}).json()
    assert body["code"] == 4
    assert not wechat.requests and not User.objects.exists()


def test_mismatched_state_is_refused(api, wechat):
    start(api)
    body = api.get("/oauth2/wechat/callback", {"code": "c", "state": "forged"}).json()
    assert body["code"] == 4 and not wechat.requests


def test_missing_state_param_is_refused(api, wechat):
    start(api)
    assert api.get("/oauth2/wechat/callback", {"code": "c"}).json()["code"] == 4


def test_tampered_cookie_is_refused(api, wechat):
    state = start(api)
    api.cookies["wechat_state"] = state  # unsigned
    assert api.get("/oauth2/wechat/callback", {"code": "c", "state": state}).json()["code"] == 4


def test_expired_state_is_refused(api, wechat, settings):
    settings.WECHAT_STATE_TTL = 1
    state = start(api)
    time.sleep(2.1)
    assert api.get("/oauth2/wechat/callback", {"code": "c", "state": state}).json()["code"] == 4
    assert not wechat.requests


def test_wechat_error_answer_is_code_4_with_clear_message(api, wechat):
    wechat.answer = {"errcode": 40029, "errmsg": "invalid code"}
    body = api.get("/oauth2/wechat/callback", {"code": "c", "state": start(api)}).json()
    assert body["code"] == 4 and "WeChat" in body["msg"]
    assert not User.objects.exists()


def test_wechat_timeout_is_code_5_not_500(api, wechat):
    wechat.delay = 1.0
    resp = api.get("/oauth2/wechat/callback", {"code": "c", "state": start(api)})
    assert resp.status_code == 200
    assert resp.json()["code"] == 5 and "WeChat" in resp.json()["msg"]


def test_wechat_unreachable_is_code_5(api, settings):
    settings.WECHAT_APP_ID = "wx-fake-app"  # configured, but WeChat does not answer
    settings.WECHAT_API_BASE = "http://127.0.0.1:1"
    resp = api.get("/oauth2/wechat/callback", {"code": "c", "state": start(api)})
    assert resp.status_code == 200 and resp.json()["code"] == 5


def test_wechat_garbage_answer_is_code_5(api, wechat):
    wechat.answer = ["not", "an", "object"]
    assert api.get("/oauth2/wechat/callback", {"code": "c", "state": start(api)}).json()["code"] == 5


def test_browser_callback_logs_into_the_session(client, wechat):
    start_resp = client.get("/account/login/wechat")
    assert start_resp.status_code == 302
    state = parse_qs(urlparse(start_resp["Location"]).query)["state"][0]
    resp = client.get("/oauth2/wechat/callback", {"code": "c", "state": state}, HTTP_ACCEPT="text/html,*/*")
    assert resp.status_code == 302
    assert client.get("/account/profile").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_logins_with_one_openid_make_one_user(wechat):
    states = []
    clients = [APIClient() for _ in range(4)]
    for c in clients:
        states.append(start(c))
    barrier = threading.Barrier(4)
    codes = []

    def worker(c, s):
        try:
            barrier.wait()
            codes.append(c.get("/oauth2/wechat/callback", {"code": "c", "state": s}).json()["code"])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(c, s)) for c, s in zip(clients, states, strict=True)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert codes == [0, 0, 0, 0]
    assert User.objects.filter(wechat_open_id="fake-openid-1").count() == 1


def test_wechat_secret_and_code_never_logged_even_at_debug(api, wechat, caplog):
    import logging

    with caplog.at_level(logging.DEBUG):
        api.get("/oauth2/wechat/callback", {"code": "fake-code-xyz", "state": start(api)})
        wechat.answer = {"errcode": 40029, "errmsg": "invalid code"}
        api.get("/oauth2/wechat/callback", {"code": "fake-code-xyz", "state": start(api)})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert text
    assert "fake-secret" not in text and "fake-code-xyz" not in text
