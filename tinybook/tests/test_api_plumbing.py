import json
import logging

import pytest
from rest_framework.test import APIClient

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tinybook.tests.urls")]


def post_json(client, path, body, **extra):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.generic("POST", path, raw, content_type="application/json", **extra)


def test_valid_request_gets_success_envelope(client):
    resp = post_json(client, "/probe/echo", {"name": "ann", "count": 3})
    assert resp.status_code == 200
    assert resp.json() == {"code": 0, "msg": "echoed", "data": {"name": "ann", "count": 3}}


def test_malformed_json_is_code_4(client):
    resp = post_json(client, "/probe/echo", '{"name": "ann",')
    assert resp.status_code == 200
    assert resp.json()["code"] == 4
    assert resp.json()["msg"] == "malformed JSON body"


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "42", "null"])
def test_json_body_that_is_not_an_object_is_code_4(client, body):
    resp = post_json(client, "/probe/echo", body)
    assert resp.status_code == 200
    assert resp.json() == {"code": 4, "msg": "the JSON body must be an object", "data": None}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "ann", "count": "many"}, "count"),
        ({"name": ["a"], "count": 1}, "name"),
        ({"name": "ann", "count": 10**30}, "count"),
        ({"name": "ann"}, "count"),
    ],
)
def test_wrong_or_missing_fields_are_code_4_naming_the_field(client, body, field):
    resp = post_json(client, "/probe/echo", body)
    payload = resp.json()
    assert resp.status_code == 200
    assert payload["code"] == 4
    assert payload["msg"].startswith(f"{field}: ")
    assert field in payload["data"]


def test_body_over_the_limit_is_code_4(client, settings):
    settings.API_MAX_BODY_BYTES = 1024
    resp = post_json(client, "/probe/echo", {"name": "x" * 2000, "count": 1})
    assert resp.status_code == 200
    assert resp.json()["code"] == 4
    assert resp.json()["msg"] == "request body is too large"


def test_wrong_content_type_is_code_4(client):
    resp = client.post("/probe/echo", "name=ann", content_type="application/x-www-form-urlencoded")
    assert resp.json()["code"] == 4


def test_domain_error_is_http_200_code_4(client):
    resp = post_json(client, "/probe/refuse", {})
    assert resp.status_code == 200
    assert resp.json() == {"code": 4, "msg": "no, thank you", "data": None}


def test_unexpected_exception_is_500_code_5_without_trace(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        resp = client.get("/probe/boom")
    assert resp.status_code == 500
    assert resp.json() == {"code": 5, "msg": "system error", "data": None}
    assert b"secret internals" not in resp.content
    assert b"Traceback" not in resp.content
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, "logged exactly once"
    assert errors[0].exc_info is not None


def test_unknown_api_path_is_json_404(client):
    resp = client.get("/no/such/path")
    assert resp.status_code == 404
    assert resp.json()["code"] == 4


def test_unknown_path_for_a_browser_is_an_html_page(client):
    resp = client.get("/no/such/page", HTTP_ACCEPT="text/html")
    assert resp.status_code == 404
    assert b"<html" in resp.content


def test_wrong_method_is_not_a_500(client):
    resp = client.get("/probe/echo")
    assert resp.status_code == 405
    assert resp.json()["code"] == 4


def test_trailing_slash_is_not_redirected(client):
    resp = post_json(client, "/probe/echo/", {"name": "ann", "count": 1})
    assert resp.status_code == 404


def test_api_needs_no_csrf_token():
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    resp = post_json(csrf_client, "/probe/echo", {"name": "ann", "count": 1})
    assert resp.json()["code"] == 0


def test_messages_are_translated_to_simplified_chinese(client):
    resp = post_json(client, "/probe/echo", "{", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert resp.json()["code"] == 4
    assert resp.json()["msg"] == "JSON 格式错误"


def test_global_ip_limit_answers_429(client, settings):
    settings.IP_RATE_LIMIT = 3
    settings.IP_RATE_LIMIT_WINDOW = 60
    codes = [post_json(client, "/probe/echo", {"name": "a", "count": 1}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = post_json(client, "/probe/echo", {"name": "a", "count": 1}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200, "another address has its own budget"
    assert client.get("/healthz").status_code == 200, "probes are never limited"


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["application/xml", "text/plain", "image/png;q=0.9"])
def test_api_answers_json_whatever_the_accept_header(accept):
    """webook's server ignores Accept; so do we: never a 406 for an API client."""
    resp = APIClient().get("/ranking/hot", HTTP_ACCEPT=accept)
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/json")
    assert resp.json()["code"] == 0
