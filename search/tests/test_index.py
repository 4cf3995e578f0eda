"""The index follows publish, republish and withdraw; the live filter guards the answers."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from search import services
from search.backends import Doc, get_backend
from search.tests.conftest import found, search


def indexed(kind="article") -> list[int]:
    return [i for i, _ in get_backend().versions(kind, after_id=0, batch_size=1000)]


def test_publish_indexes_republish_reindexes_withdraw_removes_at_once(api, publish, withdraw):
    article_id = publish("Zookeeper notes", "<p>leader election</p>")
    assert found(api, "zookeeper") == [article_id]
    assert indexed() == [article_id]

    publish("Etcd notes", "<p>raft consensus</p>", article_id=article_id)
    assert found(api, "zookeeper") == []
    assert found(api, "election") == []
    assert found(api, "raft") == [article_id]

    withdraw(article_id)
    assert search(api, "raft")["data"] == {"total": 0, "items": []}
    assert indexed() == []

    publish("Etcd notes", "<p>raft consensus</p>", article_id=article_id)
    assert found(api, "raft") == [article_id]


def test_an_edited_draft_stays_searchable_as_published(api, publish, author, django_capture_on_commit_callbacks):
    from articles import services as articles

    article_id = publish("Published words", "<p>x</p>")
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_save(author_id=author.id, article_id=article_id, title="Draft words", content="<p>y</p>")
    assert found(api, "published") == [article_id]
    assert found(api, "draft") == []


def test_an_entry_left_behind_for_a_withdrawn_article_is_never_answered_and_is_removed(
        api, publish, author, django_capture_on_commit_callbacks):
    from articles import services as articles

    kept = publish("Ghost story", "<p>x</p>")
    gone = publish("Ghost town", "<p>y</p>")
    # A withdrawal whose index write was lost (no on-commit callbacks ran): the entry stays.
    articles.article_withdraw(author_id=author.id, article_id=gone)
    assert sorted(indexed()) == sorted([kept, gone])
    body = search(api, "ghost")["data"]
    assert [i["id"] for i in body["items"]] == [kept]
    assert body["total"] == 1
    assert indexed() == [kept]


@pytest.mark.django_db(transaction=True)
def test_a_failed_index_write_does_not_fail_the_publication(api, publish, author, caplog):
    # A real failure of the database under the index: its table is gone while the article is
    # published (DDL, hence a transactional test), and comes back afterwards.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE search_article RENAME TO search_article_away")
    try:
        article_id = publish("Still published", "<p>x</p>")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE search_article_away RENAME TO search_article")
    assert api.get(f"/articles/pub/{article_id}").json()["code"] == 0
    assert "search_check --fix repairs it" in caplog.text
    assert indexed() == []  # nothing was written: search_check --fix is what repairs it


def test_reindex_rebuilds_everything_in_batches_and_drops_what_is_not_live(api, publish, withdraw, capsys):
    ids = [publish(f"Batch {n}", "<p>rebuild</p>") for n in range(5)]
    withdraw(ids[0])
    services.clear("article")
    now = timezone.now()
    get_backend().upsert("article", [Doc(id=10**12, title="orphan rebuild", body="", author="", ts=now, version=now)])
    call_command("search_reindex", "--kind", "article", "--batch-size", "2")
    out = capsys.readouterr()
    assert "article: 4 indexed" in out.out
    assert "4/4" in out.err  # the progress bar
    assert sorted(indexed()) == sorted(ids[1:])
    assert set(found(api, "rebuild", limit=10)) == set(ids[1:])


def test_check_reports_missing_stale_and_orphaned_entries_and_fix_repairs_them(publish, withdraw, author, capsys):
    from articles import services as articles

    missing = publish("Missing one", "<p>x</p>")
    stale = publish("Stale one", "<p>x</p>")
    services.clear("article")
    services.articles_sync(ids=[stale])
    # The article changes and is republished while its index write is lost.
    articles.article_publish(author_id=author.id, article_id=stale, title="Stale one, edited", content="<p>y</p>")
    orphan = 10**12
    get_backend().upsert("article", [Doc(id=orphan, title="o", body="", author="", ts=timezone.now(),
                                         version=timezone.now())])
    try:
        call_command("search_check", "--kind", "article")
        raise AssertionError("search_check should exit 1 when the index is out of step")
    except SystemExit as exc:
        assert exc.code == 1
    out = capsys.readouterr().out
    assert f"article: 1 missing: {missing}" in out
    assert f"article: 1 stale: {stale}" in out
    assert f"article: 1 orphaned: {orphan}" in out

    call_command("search_check", "--kind", "article", "--fix")
    assert "article: repaired" in capsys.readouterr().out
    call_command("search_check", "--kind", "article")
    assert "article: index in step (2 checked)" in capsys.readouterr().out
    assert sorted(indexed()) == sorted([missing, stale])


def test_cached_answers_die_with_any_index_write_and_search_works_without_redis(api, publish, settings):
    first = publish("Kafka streams", "<p>x</p>")
    assert found(api, "kafka") == [first]  # now cached
    second = publish("Kafka connect", "<p>y</p>")
    assert found(api, "kafka") == [second, first]

    from articles.tests.conftest import REDIS_DOWN

    settings.CACHES = {**settings.CACHES, "default": REDIS_DOWN}
    assert found(api, "kafka") == [second, first]
    third = publish("Kafka tables", "<p>z</p>")  # the index is written; the cache cannot be told
    assert found(api, "kafka") == [third, second, first]
