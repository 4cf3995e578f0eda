import logging

import pytest
from django.db import connection
from prometheus_client import REGISTRY

from articles import selectors, services
from articles.models import Article, ArticleStatus, LiveArticle
from tinybook.exceptions import ApplicationError, NotFoundError

pytestmark = pytest.mark.django_db


def foreign_writes(action):
    return REGISTRY.get_sample_value("tinybook_article_foreign_write_attempts_total", {"action": action}) or 0


# --- save ---------------------------------------------------------------------------------------

def test_save_creates_an_unpublished_draft_with_trimmed_title(author):
    article_id = services.article_save(author_id=author.id, title="  Hello  ", content="<p>Hi</p>")
    draft = Article.objects.get(pk=article_id)
    assert (draft.author_id, draft.title, draft.content, draft.status) == (
        author.id,
        "Hello",
        "<p>Hi</p>",
        ArticleStatus.UNPUBLISHED,
    )
    assert not LiveArticle.objects.filter(pk=article_id).exists()


def test_save_updates_the_authors_own_draft(author):
    article_id = services.article_save(author_id=author.id, title="one", content="a")
    again = services.article_save(author_id=author.id, article_id=article_id, title="two", content="b")
    assert again == article_id
    draft = Article.objects.get(pk=article_id)
    assert (draft.title, draft.content) == ("two", "b")
    assert draft.utime >= draft.ctime
    assert Article.objects.count() == 1


def test_editing_someone_elses_article_is_not_found_counted_and_logged(author, other, caplog):
    article_id = services.article_save(author_id=author.id, title="mine", content="x")
    before = foreign_writes("edit")
    with caplog.at_level(logging.WARNING, logger="articles.services"):
        with pytest.raises(NotFoundError):
            services.article_save(author_id=other.id, article_id=article_id, title="yours", content="y")
    assert Article.objects.get(pk=article_id).title == "mine"
    assert foreign_writes("edit") == before + 1
    assert any("possible tampering" in r.getMessage() for r in caplog.records)


def test_editing_a_missing_article_is_not_found_but_not_tampering(author):
    before = foreign_writes("edit")
    with pytest.raises(NotFoundError):
        services.article_save(author_id=author.id, article_id=987654, title="t", content="c")
    assert foreign_writes("edit") == before
    assert Article.objects.count() == 0


@pytest.mark.parametrize("title", ["", "   ", "\n\t", "x" * 256])
def test_bad_titles_are_refused(author, title):
    with pytest.raises(ApplicationError):
        services.article_save(author_id=author.id, title=title, content="c")
    assert Article.objects.count() == 0


def test_title_of_255_characters_after_trimming_is_accepted(author):
    article_id = services.article_save(author_id=author.id, title=" " + "字" * 255 + " ", content="c")
    assert Article.objects.get(pk=article_id).title == "字" * 255


def test_content_over_the_limit_after_sanitizing_is_refused(author, settings):
    settings.ARTICLE_CONTENT_MAX_BYTES = 1000
    with pytest.raises(ApplicationError):
        services.article_save(author_id=author.id, title="t", content="<p>" + "a" * 1001 + "</p>")
    # What the sanitizer removes does not count: a script-padded body fits.
    article_id = services.article_save(
        author_id=author.id, title="t", content="<script>" + "a" * 5000 + "</script><p>ok</p>"
    )
    assert Article.objects.get(pk=article_id).content == "<p>ok</p>"


def test_default_content_limit_is_200_kb(author):
    with pytest.raises(ApplicationError):
        services.article_save(author_id=author.id, title="t", content="a" * (200 * 1024 + 1))
    services.article_save(author_id=author.id, title="t", content="a" * (200 * 1024))


@pytest.mark.parametrize(
    "dirty, forbidden",
    [
        ('<p>hi</p><script>alert(1)</script>', "<script"),
        ('<img src="x.png" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
        ('<p onclick="steal()">x</p>', "onclick"),
        ('<iframe src="https://evil.example"></iframe>', "iframe"),
        ('<p style="position:fixed">x</p>', "style"),
        ('<svg><script>alert(1)</script></svg>', "script"),
    ],
)
def test_content_is_sanitized(author, dirty, forbidden):
    article_id = services.article_save(author_id=author.id, title="t", content=dirty)
    assert forbidden.lower() not in Article.objects.get(pk=article_id).content.lower()


def test_safe_html_survives_sanitizing(author):
    html = '<h2>T</h2><p><strong>b</strong> <em>i</em> <a href="https://example.test/">l</a></p><ul><li>x</li></ul>'
    article_id = services.article_save(author_id=author.id, title="t", content=html)
    content = Article.objects.get(pk=article_id).content
    for piece in ("<h2>T</h2>", "<strong>b</strong>", 'href="https://example.test/"', "<li>x</li>"):
        assert piece in content
    assert 'rel="noopener noreferrer nofollow"' in content


def test_abstract_is_first_128_characters_of_text_escaped(author):
    text = "<p>a &lt; b &amp; " + "字" * 200 + "</p><p>tail</p>"
    article_id = services.article_save(author_id=author.id, title="t", content=text)
    abstract = Article.objects.get(pk=article_id).abstract
    assert abstract.startswith("a &lt; b &amp; 字")
    assert "<" not in abstract
    import html

    assert len(html.unescape(abstract)) == 128


def test_abstract_separates_blocks_and_drops_scripts(author):
    article_id = services.article_save(
        author_id=author.id, title="t", content="<p>one</p><p>two</p><script>evil()</script>"
    )
    assert Article.objects.get(pk=article_id).abstract == "one two"


# --- publish ------------------------------------------------------------------------------------

def test_publish_creates_draft_and_live_copy_with_one_id(author):
    article_id = services.article_publish(author_id=author.id, title="Pub", content="<p>body</p>")
    draft = Article.objects.get(pk=article_id)
    live = LiveArticle.objects.get(pk=article_id)
    assert draft.status == live.status == ArticleStatus.PUBLISHED
    assert (live.title, live.content, live.abstract, live.author_id) == ("Pub", "<p>body</p>", "body", author.id)
    assert live.published_at is not None


def test_editing_a_published_article_keeps_the_live_copy(author):
    article_id = services.article_publish(author_id=author.id, title="v1", content="one")
    services.article_save(author_id=author.id, article_id=article_id, title="v2", content="two")
    assert Article.objects.get(pk=article_id).status == ArticleStatus.UNPUBLISHED
    live = LiveArticle.objects.get(pk=article_id)
    assert (live.title, live.status) == ("v1", ArticleStatus.PUBLISHED)
    assert selectors.article_live_get(article_id=article_id).title == "v1"


def test_republishing_updates_the_live_copy_and_keeps_first_publication_time(author):
    article_id = services.article_publish(author_id=author.id, title="v1", content="one")
    first = LiveArticle.objects.get(pk=article_id).published_at
    services.article_publish(author_id=author.id, article_id=article_id, title="v2", content="two")
    live = LiveArticle.objects.get(pk=article_id)
    assert (live.title, live.content, live.status) == ("v2", "two", ArticleStatus.PUBLISHED)
    assert live.published_at == first
    assert selectors.article_live_get(article_id=article_id).title == "v2"


def test_publishing_someone_elses_article_changes_nothing(author, other):
    article_id = services.article_save(author_id=author.id, title="mine", content="x")
    before = foreign_writes("publish")
    with pytest.raises(NotFoundError):
        services.article_publish(author_id=other.id, article_id=article_id, title="stolen", content="y")
    assert Article.objects.get(pk=article_id).title == "mine"
    assert not LiveArticle.objects.exists()
    assert foreign_writes("publish") == before + 1


def _install_live_insert_failure():
    """A real database trigger that refuses every write to the live table."""
    table = LiveArticle._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for event in ("INSERT", "UPDATE"):
                cur.execute(
                    f"CREATE TRIGGER live_refuse_{event.lower()} BEFORE {event} ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'live table refuses writes'); END"
                )
        else:
            for event in ("INSERT", "UPDATE"):
                cur.execute(
                    f"CREATE TRIGGER live_refuse_{event.lower()} BEFORE {event} ON {table} FOR EACH ROW "
                    "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'live table refuses writes'"
                )


def _drop_live_insert_failure():
    with connection.cursor() as cur:
        for event in ("insert", "update"):
            cur.execute(f"DROP TRIGGER IF EXISTS live_refuse_{event}")


@pytest.fixture
def live_table_refuses_writes(transactional_db):
    _install_live_insert_failure()
    yield
    _drop_live_insert_failure()


def test_publish_is_atomic_when_the_live_write_fails(author, live_table_refuses_writes):
    from django.db import DatabaseError

    with pytest.raises(DatabaseError):
        services.article_publish(author_id=author.id, title="new", content="c")
    assert not Article.objects.exists(), "the draft insert was rolled back with the live write"
    assert not LiveArticle.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_republish_is_atomic_when_the_live_write_fails(author):
    from django.db import DatabaseError

    article_id = services.article_publish(author_id=author.id, title="v1", content="one")
    _install_live_insert_failure()
    try:
        with pytest.raises(DatabaseError):
            services.article_publish(author_id=author.id, article_id=article_id, title="v2", content="two")
    finally:
        _drop_live_insert_failure()
    draft = Article.objects.get(pk=article_id)
    assert (draft.title, draft.status) == ("v1", ArticleStatus.PUBLISHED)
    assert LiveArticle.objects.get(pk=article_id).title == "v1"
    assert selectors.article_live_get(article_id=article_id).title == "v1"


# --- withdraw -----------------------------------------------------------------------------------

def test_withdraw_sets_private_in_both_tables_and_readers_lose_it(author):
    article_id = services.article_publish(author_id=author.id, title="t", content="c")
    assert selectors.article_live_get(article_id=article_id).title == "t"  # cached now
    services.article_withdraw(author_id=author.id, article_id=article_id)
    assert Article.objects.get(pk=article_id).status == ArticleStatus.PRIVATE
    assert LiveArticle.objects.get(pk=article_id).status == ArticleStatus.PRIVATE
    with pytest.raises(NotFoundError):
        selectors.article_live_get(article_id=article_id)
    assert selectors.articles_live_list(offset=0, limit=10) == []
    assert selectors.articles_live_by_ids(ids=[article_id]) == {}
    assert selectors.articles_live_ids(ids=[article_id]) == set()
    assert selectors.article_is_live(article_id=article_id) is False


def test_withdrawing_someone_elses_article_changes_nothing(author, other):
    article_id = services.article_publish(author_id=author.id, title="t", content="c")
    before = foreign_writes("withdraw")
    with pytest.raises(NotFoundError):
        services.article_withdraw(author_id=other.id, article_id=article_id)
    assert LiveArticle.objects.get(pk=article_id).status == ArticleStatus.PUBLISHED
    assert selectors.article_live_get(article_id=article_id).title == "t"
    assert foreign_writes("withdraw") == before + 1


def test_withdrawn_article_can_be_published_again(author):
    article_id = services.article_publish(author_id=author.id, title="t", content="c")
    services.article_withdraw(author_id=author.id, article_id=article_id)
    services.article_publish(author_id=author.id, article_id=article_id, title="t2", content="c")
    assert selectors.article_live_get(article_id=article_id).title == "t2"


def test_editing_a_withdrawn_article_does_not_bring_it_back(author):
    article_id = services.article_publish(author_id=author.id, title="t", content="c")
    services.article_withdraw(author_id=author.id, article_id=article_id)
    services.article_save(author_id=author.id, article_id=article_id, title="t2", content="c")
    with pytest.raises(NotFoundError):
        selectors.article_live_get(article_id=article_id)


def test_publish_and_withdraw_send_signals_after_commit_and_survive_failing_receivers(author, caplog):
    from articles import signals

    seen = []

    def record(sender, article_id, author_id, signal, **kwargs):
        seen.append((signal is signals.article_published, article_id, author_id))

    def broken(sender, **kwargs):
        raise RuntimeError("receiver down")

    signals.article_published.connect(record, weak=False)
    signals.article_withdrawn.connect(record, weak=False)
    signals.article_withdrawn.connect(broken, weak=False)
    try:
        with caplog.at_level(logging.ERROR, logger="articles.services"):
            article_id = services.article_publish(author_id=author.id, title="t", content="c")
            services.article_withdraw(author_id=author.id, article_id=article_id)
    finally:
        signals.article_published.disconnect(record)
        signals.article_withdrawn.disconnect(record)
        signals.article_withdrawn.disconnect(broken)
    assert seen == [(True, article_id, author.id), (False, article_id, author.id)]
    assert LiveArticle.objects.get(pk=article_id).status == ArticleStatus.PRIVATE
    assert any("receiver down" in r.getMessage() for r in caplog.records)


def test_title_limit_is_a_setting_capped_by_the_column(author, settings):
    settings.ARTICLE_TITLE_MAX = 10
    with pytest.raises(ApplicationError):
        services.article_save(author_id=author.id, title="x" * 11, content="c")
    settings.ARTICLE_TITLE_MAX = 1000
    with pytest.raises(ApplicationError):
        services.article_save(author_id=author.id, title="x" * 256, content="c")
    assert Article.objects.count() == 0
