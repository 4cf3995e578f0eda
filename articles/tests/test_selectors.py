from datetime import timedelta

import pytest
from django.utils import timezone

from articles import selectors, services
from articles.models import LiveArticle
from tinybook.exceptions import NotFoundError

pytestmark = pytest.mark.django_db


def test_unpublished_drafts_are_invisible_to_readers(author):
    article_id = services.article_save(author_id=author.id, title="draft", content="c")
    with pytest.raises(NotFoundError):
        selectors.article_live_get(article_id=article_id)
    assert selectors.article_is_live(article_id=article_id) is False
    assert selectors.articles_live_list(offset=0, limit=10) == []


def test_live_list_is_newest_publication_first_with_author(author, other):
    a = services.article_publish(author_id=author.id, title="a", content="<p>x</p>")
    b = services.article_publish(author_id=other.id, title="b", content="y")
    items = selectors.articles_live_list(offset=0, limit=10)
    assert [i.id for i in items] == [b, a]
    assert (items[0].author_id, items[0].author_name, items[1].author_name) == (other.id, "bob", "ann")
    assert items[1].abstract == "x" and items[1].content is None
    assert [i.id for i in selectors.articles_live_list(offset=1, limit=10)] == [a]


def test_live_by_ids_returns_only_published_ones(author):
    live = services.article_publish(author_id=author.id, title="a", content="c")
    gone = services.article_publish(author_id=author.id, title="b", content="c")
    draft = services.article_save(author_id=author.id, title="c", content="c")
    services.article_withdraw(author_id=author.id, article_id=gone)
    got = selectors.articles_live_by_ids(ids=[live, gone, draft, 999999, live])
    assert list(got) == [live]
    assert got[live].title == "a"
    assert selectors.articles_live_ids(ids=[live, gone, draft]) == {live}


def test_published_since_walks_in_bounded_batches(author):
    ids = [services.article_publish(author_id=author.id, title=f"t{i}", content="c") for i in range(5)]
    old = ids[0]
    LiveArticle.objects.filter(pk=old).update(published_at=timezone.now() - timedelta(days=30))
    batches = list(
        selectors.articles_live_published_since(since=timezone.now() - timedelta(days=7), batch_size=2)
    )
    assert [len(b) for b in batches] == [2, 2]
    assert sorted(i for b in batches for i, _ in b) == ids[1:]
