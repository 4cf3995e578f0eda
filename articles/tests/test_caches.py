import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import selectors, services
from articles.models import Article, LiveArticle
from tinybook import kv
from tinybook.exceptions import NotFoundError

pytestmark = pytest.mark.django_db


def cached(key):
    raw = kv.client().get(key)
    return None if raw is None else raw


def test_publish_writes_the_reader_copy_to_cache(author, settings):
    article_id = services.article_publish(author_id=author.id, title="t", content="<p>c</p>")
    r = kv.client()
    data = json.loads(r.get(kv.article_reader_key(article_id)))
    assert (data["title"], data["content"], data["author_nickname"]) == ("t", "<p>c</p>", "ann")
    assert 0 < r.ttl(kv.article_reader_key(article_id)) <= settings.ARTICLE_READER_CACHE_TTL


def test_reader_copy_is_served_from_cache_without_the_database(author):
    article_id = services.article_publish(author_id=author.id, title="t", content="c")
    with CaptureQueriesContext(connection) as queries:
        record = selectors.article_live_get(article_id=article_id)
    assert record.title == "t"
    assert len(queries) == 0


def test_reader_miss_loads_from_database_and_fills_the_cache(author):
    article_id = services.article_publish(author_id=author.id, title="t", content="c")
    kv.client().delete(kv.article_reader_key(article_id))
    assert selectors.article_live_get(article_id=article_id).title == "t"
    assert kv.client().exists(kv.article_reader_key(article_id))


def test_withdraw_replaces_the_reader_copy_with_a_tombstone(author):
    article_id = services.article_publish(author_id=author.id, title="t", content="c")
    services.article_withdraw(author_id=author.id, article_id=article_id)
    with pytest.raises(NotFoundError):
        selectors.article_live_get(article_id=article_id)
    assert b"title" not in (kv.client().get(kv.article_reader_key(article_id)) or b"")


def test_a_late_reader_fill_cannot_resurrect_a_withdrawn_article(author):
    """A reader who loaded the row before the withdrawal commits must not cache it after."""
    from articles import cache

    article_id = services.article_publish(author_id=author.id, title="t", content="c")
    stale = selectors.article_live_get(article_id=article_id)
    services.article_withdraw(author_id=author.id, article_id=article_id)
    cache.reader_fill(stale)  # what that slow reader does next
    with pytest.raises(NotFoundError):
        selectors.article_live_get(article_id=article_id)


def test_author_first_page_is_cached_and_serves_smaller_limits(author):
    ids = [services.article_save(author_id=author.id, title=f"t{i}", content=f"c{i}") for i in range(3)]
    first = selectors.article_list_for_author(author_id=author.id, offset=0, limit=100)
    assert [a.id for a in first] == ids[::-1]
    assert all(a.content is None for a in first)
    assert kv.client().exists(kv.article_author_first_page_key(author.id))
    with CaptureQueriesContext(connection) as queries:
        two = selectors.article_list_for_author(author_id=author.id, offset=0, limit=2)
    assert [a.id for a in two] == ids[::-1][:2]
    assert len(queries) == 0


@pytest.mark.parametrize("write", ["save", "publish", "withdraw", "create"])
def test_every_write_by_the_author_deletes_the_first_page(author, write):
    article_id = services.article_save(author_id=author.id, title="t", content="c")
    selectors.article_list_for_author(author_id=author.id, offset=0, limit=10)
    assert kv.client().exists(kv.article_author_first_page_key(author.id))
    if write == "save":
        services.article_save(author_id=author.id, article_id=article_id, title="new", content="c")
    elif write == "publish":
        services.article_publish(author_id=author.id, article_id=article_id, title="new", content="c")
    elif write == "withdraw":
        services.article_withdraw(author_id=author.id, article_id=article_id)
    else:
        services.article_save(author_id=author.id, title="another", content="c")
    assert not kv.client().exists(kv.article_author_first_page_key(author.id))
    titles = [a.title for a in selectors.article_list_for_author(author_id=author.id, offset=0, limit=10)]
    assert titles[0] in ("new", "another", "t")
    if write in ("save", "publish"):
        assert titles == ["new"]


def test_listing_precaches_the_first_articles_detail(author):
    services.article_save(author_id=author.id, title="old", content="o")
    newest = services.article_save(author_id=author.id, title="new", content="<p>n</p>")
    selectors.article_list_for_author(author_id=author.id, offset=0, limit=10)
    assert kv.client().exists(kv.article_author_detail_key(newest))
    with CaptureQueriesContext(connection) as queries:
        detail = selectors.article_detail_for_author(author_id=author.id, article_id=newest)
    assert (detail.title, detail.content) == ("new", "<p>n</p>")
    assert len(queries) == 0


def test_precached_detail_is_dropped_when_the_article_changes(author):
    article_id = services.article_save(author_id=author.id, title="v1", content="one")
    selectors.article_list_for_author(author_id=author.id, offset=0, limit=10)
    services.article_save(author_id=author.id, article_id=article_id, title="v2", content="two")
    assert selectors.article_detail_for_author(author_id=author.id, article_id=article_id).title == "v2"


def test_precached_detail_is_not_served_to_another_user(author, other):
    article_id = services.article_save(author_id=author.id, title="secret draft", content="s")
    selectors.article_list_for_author(author_id=author.id, offset=0, limit=10)
    with pytest.raises(NotFoundError):
        selectors.article_detail_for_author(author_id=other.id, article_id=article_id)


def test_corrupt_cache_entries_are_ignored(author):
    article_id = services.article_publish(author_id=author.id, title="t", content="c")
    r = kv.client()
    r.set(kv.article_reader_key(article_id), b"{not json")
    r.set(kv.article_author_first_page_key(author.id), b'{"a": 1}')
    assert selectors.article_live_get(article_id=article_id).title == "t"
    assert [a.id for a in selectors.article_list_for_author(author_id=author.id, offset=0, limit=5)] == [article_id]


# --- Redis down: the database answers -------------------------------------------------------------

def test_everything_works_from_the_database_when_redis_is_down(author, other, redis_down):
    article_id = services.article_publish(author_id=author.id, title="t", content="<p>c</p>")
    draft_id = services.article_save(author_id=author.id, title="d", content="x")
    assert selectors.article_live_get(article_id=article_id).content == "<p>c</p>"
    listed = selectors.article_list_for_author(author_id=author.id, offset=0, limit=10)
    assert {a.id for a in listed} == {article_id, draft_id}
    assert selectors.article_detail_for_author(author_id=author.id, article_id=draft_id).title == "d"
    assert [a.id for a in selectors.articles_live_list(offset=0, limit=10)] == [article_id]
    services.article_withdraw(author_id=author.id, article_id=article_id)
    with pytest.raises(NotFoundError):
        selectors.article_live_get(article_id=article_id)
    assert Article.objects.get(pk=article_id).status == 3
    assert LiveArticle.objects.get(pk=article_id).status == 3
