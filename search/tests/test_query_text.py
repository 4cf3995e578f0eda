"""Whatever a user types is searched as text: never query syntax, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.tests.conftest import found, search

NASTY = [
    '"', '""', "'", '"unterminated', "a\"b", "*", "redis*", "-redis", "+redis", "(redis)", "((", ")",
    "redis AND", "AND", "OR", "NOT", "NEAR", "NEAR(redis 缓存)", "redis OR 缓存", "title:redis", "{title}: x",
    "^redis", "redis^2", "\\", "\\\"", "a\\b", "~", "@", "%", "_", "%_%", "; DROP TABLE search_article; --",
    "🙂", "🙂 redis", "👨‍👩‍👧", "مرحبا بالعالم", "\u202eredis", "redis\u0007", "\t redis \n", "*D+ redis",
    "*W1:10 redis", "x" * 100, "缓" * 100, "a b c d e f g h i j k l m n o p",
]


@pytest.mark.parametrize("q", NASTY)
def test_every_query_is_text_answered_with_code_0(api, publish, q):
    publish("Redis 缓存", "<p>x</p>")
    body = search(api, q)
    assert body["code"] == 0, body
    assert isinstance(body["data"]["total"], int)
    assert search(api, q, type="user")["code"] == 0


def test_punctuation_and_operators_are_searched_as_the_words_they_contain(api, publish):
    article_id = publish('He said "AND" (not OR) near NEAR', "<p>a*b -c +d \\e</p>")
    for q in ['"AND"', "(not", "OR)", "NEAR", "a*b", "-c", "+d", "\\e", "said AND near"]:
        assert found(api, q) == [article_id], q


def test_a_query_without_letters_or_digits_finds_nothing(api, publish):
    publish("Stars * and quotes", "<p>x</p>")
    assert search(api, "* \" ( ) 🙂")["data"] == {"total": 0, "items": []}


@pytest.mark.parametrize("q", ["", " ", "\t\n", "\u202e", "x" * 101, "缓" * 101])
def test_empty_or_over_long_queries_are_code_4(api, q):
    assert search(api, q)["code"] == 4


def test_missing_q_bad_type_nul_and_bad_pages_are_code_4(api):
    assert api.get("/search").json()["code"] == 4
    assert search(api, "redis", type="post")["code"] == 4
    assert search(api, "re\x00dis")["code"] == 4
    assert search(api, "redis", offset="-1")["code"] == 4
    assert search(api, "redis", limit="0")["code"] == 4
    assert search(api, "redis", limit="1e3")["code"] == 4


def test_a_single_chinese_character_is_found_anywhere_in_a_run(api, publish):
    article_id = publish("分布式缓存", "<p>x</p>")
    for q in ["分", "布", "存"]:
        assert found(api, q) == [article_id], q


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=120))
def test_any_text_is_code_0_or_4_never_a_500(api, q):
    resp = api.get("/search", {"q": q, "type": "article"})
    assert resp.status_code == 200
    assert resp.json()["code"] in (0, 4)
