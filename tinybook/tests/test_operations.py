import json
import logging

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok"}


def test_readyz_checks_database_and_redis(client):
    resp = client.get("/readyz")
    assert resp.status_code == 200
    assert resp.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_fails_when_redis_is_unreachable(client, settings):
    # A real Redis client pointed at a port where nothing listens.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"CONNECTION_POOL_KWARGS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
        },
    }
    resp = client.get("/readyz")
    assert resp.status_code == 503
    assert resp.json()["checks"] == {"database": "ok", "redis": "unavailable"}


def test_cors_preflight_allows_the_configured_origin(client):
    resp = client.options(
        "/users/login",
        HTTP_ORIGIN="http://localhost:3000",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert resp.status_code == 200
    assert resp["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert resp["Access-Control-Allow-Credentials"] == "true"
    assert resp["Access-Control-Max-Age"] == str(12 * 3600)
    assert "authorization" in resp["Access-Control-Allow-Headers"]


def test_cors_exposes_token_headers(client):
    resp = client.get("/healthz", HTTP_ORIGIN="http://localhost:3000")
    exposed = {h.strip() for h in resp["Access-Control-Expose-Headers"].split(",")}
    assert {"x-jwt-token", "x-refresh-token"} <= exposed


def test_cors_refuses_an_unknown_origin(client):
    resp = client.get("/healthz", HTTP_ORIGIN="http://evil.example")
    assert "Access-Control-Allow-Origin" not in resp


def test_metrics_answer_loopback(client):
    client.get("/healthz")
    resp = client.get("/metrics")
    assert resp.status_code == 200
    assert b"django_http_requests_total_by_method_total" in resp.content


def test_metrics_refuse_other_addresses(client):
    resp = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert resp.status_code == 403


def test_access_log_has_one_line_with_request_facts(client, caplog):
    with caplog.at_level(logging.INFO, logger="tinybook.access"):
        resp = client.get("/healthz?x=1", HTTP_X_REQUEST_ID="req-123")
    lines = [r for r in caplog.records if r.name == "tinybook.access"]
    assert len(lines) == 1
    rec = lines[0]
    assert (rec.method, rec.path, rec.status) == ("GET", "/healthz", 200)
    assert rec.duration_ms >= 0
    assert rec.request_id == "req-123"
    assert resp["X-Request-ID"] == "req-123"


@pytest.mark.urls("tinybook.tests.urls")
def test_access_log_redacts_secrets(client, caplog, settings):
    settings.ACCESS_LOG_BODIES = True
    secret = "Fake-Passw0rd!"
    body = {"name": "ann", "count": 1, "password": secret}
    with caplog.at_level(logging.INFO, logger="tinybook.access"):
        client.post(
            "/probe/echo?code=123456&token=abc.def",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION="Bearer abc.def.ghi",
        )
    records = [r for r in caplog.records if r.name == "tinybook.access"]
    assert len(records) == 1
    text = records[0].getMessage() + json.dumps({k: str(v) for k, v in records[0].__dict__.items()})
    for leaked in (secret, "123456", "abc.def"):
        assert leaked not in text
    assert "[redacted]" in text
    assert '"name": "ann"' in records[0].request_body


def test_static_files_are_served_by_the_app(client):
    resp = client.get("/static/css/site.css")
    assert resp.status_code == 200


def test_home_page_renders(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert b"TinyBook" in resp.content


def test_api_schema_documents_the_envelope(client):
    resp = client.get("/api/schema", HTTP_ACCEPT="application/json")
    assert resp.status_code == 200
    schema = json.loads(resp.content)
    assert schema["openapi"].startswith("3.")
    envelope = schema["components"]["schemas"]["Envelope"]
    assert set(envelope["properties"]) == {"code", "msg", "data"}


def test_api_docs_page_uses_local_assets(client):
    resp = client.get("/api/docs")
    assert resp.status_code == 200
    assert b"/static/drf_spectacular_sidecar/" in resp.content
    assert b"cdn" not in resp.content.lower()


def test_celery_app_reads_django_settings():
    from tinybook import celery_app

    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True


def test_access_log_names_the_authenticated_user(user, caplog):
    from conftest import login_client

    client = login_client(user)
    with caplog.at_level(logging.INFO, logger="tinybook.access"):
        client.post("/users/logout")
    (line,) = [r for r in caplog.records if r.name == "tinybook.access"]
    assert line.user_id == user.id
    assert client.access_token not in line.getMessage()
