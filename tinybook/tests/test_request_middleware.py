"""What every request pays for, and only where it applies (docs/performance.md, issue 20)."""

import re

import pytest
from django.core.cache.backends.locmem import LocMemCache

pytestmark = pytest.mark.django_db


def _sample(content: bytes, name: str, labels: str) -> float:
    found = re.search(rf"^{name}{{{labels}}} ([0-9.e+]+)$", content.decode(), re.M)
    return float(found.group(1)) if found else 0.0


def test_the_json_api_gets_no_session_csrf_cookie_or_frame_header(client):
    resp = client.get("/ranking/hot")
    assert resp.status_code == 200
    assert "X-Frame-Options" not in resp
    assert not resp.cookies
    assert "Cookie" not in resp.get("Vary", "")
    assert resp["X-Request-ID"]  # the request id and the security headers it still gets
    assert resp["X-Content-Type-Options"] == "nosniff"


def test_pages_keep_the_frame_header_and_the_csrf_cookie(client):
    resp = client.get("/account/login")
    assert resp.status_code == 200
    assert resp["X-Frame-Options"] == "DENY"
    assert "csrftoken" in resp.cookies


def _live_article():
    from articles import services
    from users.tests.factories import UserFactory

    return services.article_publish(author_id=UserFactory.create().id, title="t", content="<p>c</p>")


def test_a_token_call_of_the_buttons_api_is_json_api_too(user):
    # The like button's API accepts a token or the browser session; a token client (no session
    # cookie) needs none of the page middleware and gets the JSON API's headers.
    from conftest import login_client
    from interactions.models import Like

    article_id = _live_article()
    resp = login_client(user).post("/articles/pub/like", {"id": article_id, "like": True}, format="json")
    assert resp.json()["code"] == 0
    assert Like.objects.filter(user_id=user.id, biz_id=article_id, status=True).exists()
    assert "X-Frame-Options" not in resp
    assert not resp.cookies
    assert "Cookie" not in resp.get("Vary", "")


def test_a_browser_call_of_the_buttons_api_keeps_its_session_and_csrf(user):
    from django.test import Client

    from interactions.models import Like

    article_id = _live_article()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    body = {"id": article_id, "like": True}
    forged = browser.post("/articles/pub/like", body, content_type="application/json")
    assert forged.json()["code"] != 0
    assert not Like.objects.filter(user_id=user.id).exists()
    token = browser.get("/account/login").cookies["csrftoken"].value
    resp = browser.post("/articles/pub/like", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert resp.json()["code"] == 0
    assert Like.objects.filter(user_id=user.id, biz_id=article_id, status=True).exists()
    assert resp["X-Frame-Options"] == "DENY"


def test_responses_are_counted_by_view_method_and_status(client):
    labels = 'method="GET",status="200",view="healthz"'
    before = _sample(client.get("/metrics").content, "django_http_responses_total_by_status_view_method_total", labels)
    for _ in range(3):
        client.get("/healthz")
    after = _sample(client.get("/metrics").content, "django_http_responses_total_by_status_view_method_total", labels)
    assert after == before + 3
    content = client.get("/metrics").content
    assert _sample(content, "django_http_requests_latency_seconds_by_view_method_count",
                   'method="GET",view="healthz"') >= 3


# --- The language, CORS without an Origin, and the request signals (round five) -----------------


def test_the_language_comes_from_accept_language_or_the_cookie_and_the_answer_says_so(client):
    # An unknown id: the message is translated, and the answer names its language.
    chinese = client.get("/articles/pub/999999", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert chinese.json()["code"] == 4
    assert chinese.json()["msg"] == "未找到"
    assert chinese["Content-Language"] == "zh-hans"
    assert "Accept-Language" in chinese["Vary"]
    english = client.get("/articles/pub/999999")
    assert english.json()["msg"] == "not found"
    assert english["Content-Language"] == "en"
    client.cookies["django_language"] = "zh-hans"
    assert client.get("/articles/pub/999999").json()["msg"] == "未找到"


def test_cors_without_an_origin_still_varies_on_origin(client):
    # A cache in front must not serve an answer without CORS headers to a browser that sends
    # an Origin: the answer says it depends on it, with or without one.
    plain = client.get("/ranking/hot")
    assert "origin" in plain["Vary"].lower()
    assert "Access-Control-Allow-Origin" not in plain
    browser = client.get("/ranking/hot", HTTP_ORIGIN="http://localhost:3000")
    assert browser["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert "origin" in browser["Vary"].lower()


class ClosingCache(LocMemCache):
    """A cache backend that holds something to close after each request (like memcached)."""

    closed = 0

    def close(self, **kwargs):
        ClosingCache.closed += 1


@pytest.fixture
def request_receivers():
    """Restores Django's request signal receivers after a test that decides them again."""
    from django.core import signals
    from django.core.cache import close_caches
    from django.db import reset_queries

    yield
    signals.request_finished.connect(close_caches)
    signals.request_started.connect(reset_queries)
    from tinybook.handlers import drop_idle_request_receivers

    drop_idle_request_receivers()  # as at start-up, with the suite's settings


def _connected(signal, func) -> bool:
    return any(ref() is func for _key, ref, _is_async in signal.receivers)


def test_caches_that_close_as_a_no_op_are_not_closed_after_every_request(request_receivers, settings):
    from django.core import signals
    from django.core.cache import close_caches

    from tinybook.handlers import _close_does_nothing, drop_idle_request_receivers

    assert _close_does_nothing(settings.CACHES["default"])  # django-redis, keeping its pool
    assert _close_does_nothing(settings.CACHES["local"])
    assert not _close_does_nothing({**settings.CACHES["default"], "OPTIONS": {
        **settings.CACHES["default"]["OPTIONS"], "CLOSE_CONNECTION": True}})
    assert not _close_does_nothing({"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache"})
    signals.request_finished.connect(close_caches)
    drop_idle_request_receivers()
    assert not _connected(signals.request_finished, close_caches)


def test_a_cache_that_needs_closing_is_still_closed_after_each_request(request_receivers, settings, client):
    from django.core import signals
    from django.core.cache import close_caches

    from tinybook.handlers import drop_idle_request_receivers

    settings.CACHES = {**settings.CACHES, "closing": {
        "BACKEND": "tinybook.tests.test_request_middleware.ClosingCache", "LOCATION": "closing"}}
    signals.request_finished.connect(close_caches)
    drop_idle_request_receivers()
    assert _connected(signals.request_finished, close_caches)
    from django.core.cache import caches

    caches["closing"].set("k", 1)  # in use in this thread, as a view would have it
    before = ClosingCache.closed
    client.get("/healthz")
    assert ClosingCache.closed == before + 1


def test_the_query_log_is_still_reset_per_request_with_debug_on(request_receivers, settings, client):
    from django.core import signals
    from django.db import connection, reset_queries

    from tinybook.handlers import drop_idle_request_receivers

    signals.request_started.connect(reset_queries)
    settings.DEBUG = False
    drop_idle_request_receivers()
    assert not _connected(signals.request_started, reset_queries)  # nothing is logged to reset

    signals.request_started.connect(reset_queries)
    settings.DEBUG = True
    drop_idle_request_receivers()
    assert _connected(signals.request_started, reset_queries)
    connection.queries_log.append({"sql": "SELECT 'from an earlier request'", "time": "0.000"})
    client.get("/healthz")
    assert not any("earlier request" in q["sql"] for q in connection.queries_log)
