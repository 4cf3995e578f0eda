import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import selectors, services
from articles.models import Article, ArticleStatus, LiveArticle
from tinybook.exceptions import NotFoundError

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    try:
        call_command("check_articles", *args, stdout=out)
        error = None
    except CommandError as exc:
        error = str(exc)
    return out.getvalue(), error


@pytest.fixture
def broken(author, other):
    """Each kind of inconsistency once, plus healthy articles around them."""
    ok1 = services.article_publish(author_id=author.id, title="fine", content="c")
    missing = services.article_publish(author_id=author.id, title="missing", content="c")
    LiveArticle.objects.filter(pk=missing).delete()
    differing = services.article_publish(author_id=other.id, title="Case", content="<p>new</p>")
    LiveArticle.objects.filter(pk=differing).update(title="case", content="<p>old</p>")
    extra = services.article_publish(author_id=author.id, title="extra", content="c")
    Article.objects.filter(pk=extra).update(status=ArticleStatus.PRIVATE)
    edited = services.article_publish(author_id=author.id, title="v1", content="c")
    services.article_save(author_id=author.id, article_id=edited, title="v2", content="c")  # legitimate
    services.article_save(author_id=author.id, title="just a draft", content="c")
    return {"ok": ok1, "missing": missing, "differing": differing, "extra": extra, "edited": edited}


def test_clean_database_reports_nothing(author):
    services.article_publish(author_id=author.id, title="a", content="c")
    out, error = run()
    assert error is None
    assert "0 missing, 0 extra, 0 differing" in out


def test_check_reports_each_kind_and_changes_nothing(broken):
    before = list(LiveArticle.objects.order_by("pk").values_list())
    out, error = run("--batch-size", "2", "-v", "2")
    assert "1 missing, 1 extra, 1 differing" in out
    assert f"missing: article {broken['missing']}" in out
    assert f"differing: article {broken['differing']}" in out
    assert f"extra: article {broken['extra']}" in out
    assert error and "run with --fix" in error
    assert list(LiveArticle.objects.order_by("pk").values_list()) == before


def test_fix_repairs_everything_and_a_second_run_is_clean(broken):
    out, error = run("--fix", "--batch-size", "3")
    assert error is None and "fixed 3" in out
    assert LiveArticle.objects.get(pk=broken["missing"]).title == "missing"
    live = LiveArticle.objects.get(pk=broken["differing"])
    assert (live.title, live.content) == ("Case", "<p>new</p>")
    assert LiveArticle.objects.get(pk=broken["extra"]).status == ArticleStatus.PRIVATE
    with pytest.raises(NotFoundError):
        selectors.article_live_get(article_id=broken["extra"])
    assert selectors.article_live_get(article_id=broken["differing"]).content == "<p>new</p>"
    # An article edited after publishing keeps its published copy.
    assert LiveArticle.objects.get(pk=broken["edited"]).title == "v1"
    out, error = run()
    assert error is None and "0 missing, 0 extra, 0 differing" in out


def test_live_row_without_a_draft_is_removed_by_fix(author):
    article_id = services.article_publish(author_id=author.id, title="t", content="c")
    with connection.cursor() as cur:
        # Delete the draft only (the live row has no foreign key to it).
        cur.execute(f"DELETE FROM {Article._meta.db_table} WHERE id = %s", [article_id])  # noqa: S608
    out, _ = run("--fix")
    assert "1 extra" in out
    assert not LiveArticle.objects.filter(pk=article_id).exists()


@pytest.mark.parametrize("size", ["1", "1000"])
def test_queries_per_batch_are_bounded_and_content_is_never_loaded(author, size):
    for i in range(6):
        services.article_publish(author_id=author.id, title=f"t{i}", content="x" * 1000)
    with CaptureQueriesContext(connection) as queries:
        out, error = run("--batch-size", size)
    assert error is None
    batches = 6 if size == "1" else 1
    assert f"checked {batches} batch(es)" in out
    # Each batch: a fixed number of queries; no query selects a content column.
    assert len(queries) <= 2 + batches * 6
    for q in queries:
        select_list = q["sql"].split("FROM")[0]
        assert "content" not in select_list.lower()


def test_batch_size_must_be_positive(author):
    _, error = run("--batch-size", "0")
    assert error and "--batch-size" in error
