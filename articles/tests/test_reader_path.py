"""Opening an article: the live copy, the read and the counts — one Redis round trip when warm."""

import pytest
from rest_framework.test import APIClient

from articles import services
from interactions.models import Counter
from tinybook import kv

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(author):
    return services.article_publish(author_id=author.id, title="Warm", content="<p>warm path</p>")


def _open(article_id, agent="reader-1"):
    return APIClient().get(f"/articles/pub/{article_id}", HTTP_USER_AGENT=agent).json()


def _reads(article_id):
    return Counter.objects.filter(biz_id=article_id).values_list("read_cnt", flat=True).first() or 0


def _stream_length():
    return kv.client().xlen(kv.read_stream_key())


def _recorded(article_id, settings):
    """Reads recorded so far, wherever this profile puts them (counter inline, else the stream)."""
    return _reads(article_id) if settings.READ_EVENTS_INLINE else _stream_length()


def test_warm_open_costs_one_redis_round_trip(published, monkeypatch, settings):
    settings.IP_RATE_LIMIT = 0  # the global per-IP limit is one more round trip of its own
    settings.READ_EVENTS_INLINE = False  # inline mode also writes the counter (the database)
    _open(published, "warming-up")
    conn = kv.client().connection_pool.get_connection()
    kv.client().connection_pool.release(conn)
    sent = []
    real_send = type(conn).send_packed_command
    monkeypatch.setattr(type(conn), "send_packed_command",
                        lambda self, *a, **kw: (sent.append(1), real_send(self, *a, **kw))[1])
    body = _open(published, "a new reader")
    assert (body["code"], body["data"]["title"]) == (0, "Warm")
    assert len(sent) == 1


def test_withdrawn_article_is_not_found_and_records_no_read(author, published, settings):
    before = _recorded(published, settings)
    services.article_withdraw(author_id=author.id, article_id=published)
    assert _open(published)["code"] == 4
    assert _recorded(published, settings) == before


def test_cold_open_reads_the_database_records_once_and_warms_the_cache(published, settings):
    kv.client().delete(kv.article_reader_key(published))
    before = _recorded(published, settings)
    body = _open(published)
    assert (body["code"], body["data"]["content"]) == (0, "<p>warm path</p>")
    assert _recorded(published, settings) == before + 1
    assert kv.client().exists(kv.article_reader_key(published))
    _open(published)  # the same reader again, now on the warm path: deduplicated
    assert _recorded(published, settings) == before + 1


def test_missing_article_records_no_read(settings):
    before = _stream_length()
    assert _open(987654321)["code"] == 4
    assert _stream_length() == before
    assert not Counter.objects.filter(biz_id=987654321).exists()


def test_with_redis_down_the_reader_gets_the_article_and_the_read_counts_once(published, redis_down):
    before = _reads(published)
    body = _open(published)
    assert (body["code"], body["data"]["title"]) == (0, "Warm")
    assert _reads(published) == before + 1
