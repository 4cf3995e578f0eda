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
