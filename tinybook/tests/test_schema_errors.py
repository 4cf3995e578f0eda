"""The OpenAPI schema describes the envelope as it really is, errors included (issue 22, item 13)."""

import json

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.exceptions import ParseError

from tinybook.fields import TextRefused, text_clean
from tinybook.parsers import JSONObjectParser

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return json.loads(client.get("/api/schema", HTTP_ACCEPT="application/json").content)


def _operations(schema):
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def test_every_200_answer_is_its_success_or_the_error_envelope(schema):
    for path, method, op in _operations(schema):
        json_answer = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert {"$ref": "#/components/schemas/ErrorEnvelope"} in json_answer["oneOf"], (method, path)
    assert schema["components"]["schemas"]["ErrorEnvelope"]["properties"]["code"]["enum"] == [4, 5]
    assert schema["components"]["schemas"]["LoginAnswer"]["properties"]["code"]["enum"] == [0]


def test_every_operation_documents_the_http_errors_it_can_answer(schema):
    for path, method, op in _operations(schema):
        codes = set(op["responses"])
        assert {"400", "405", "429", "500", "503"} <= codes, (method, path)
        if "requestBody" in op:
            assert "415" in codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if op.get("security") and {} not in op["security"]:
            assert "401" in codes, (method, path)


def test_an_answer_django_refuses_before_the_view_is_the_envelope_too(client):
    resp = client.get("/ranking/hot", HTTP_HOST="evil.example")
    assert resp.status_code == 400
    assert resp.json()["code"] == 4


# --- Hypothesis at the boundaries: the parser and the text rule never fail unexpectedly -----------

@hypothesis_settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.binary(max_size=300) | st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                                              lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
                                              max_leaves=40).map(lambda v: json.dumps(v).encode()))
def test_the_parser_answers_any_body_with_an_object_or_a_refusal(raw):
    import io

    try:
        data = JSONObjectParser().parse(io.BytesIO(raw), parser_context={})
    except ParseError:
        return
    assert isinstance(data, dict)


@hypothesis_settings(max_examples=500, derandomize=True, deadline=None, database=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=50))
def test_the_text_rule_returns_storable_text_or_refuses(value):
    try:
        clean = text_clean(value)
    except TextRefused:
        assert "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value)
        return
    clean.encode("utf-8")  # storable, loggable
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in clean)
    assert not any(c in clean for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x7f")
