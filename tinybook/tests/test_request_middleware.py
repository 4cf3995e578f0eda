"""What every request pays for, and only where it applies (docs/performance.md, issue 20)."""

import re

import pytest

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
