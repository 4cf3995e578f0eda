import pytest

from articles import services
from articles.models import Article, ArticleStatus, LiveArticle

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann_browser(client, author):
    client.force_login(author)
    return client


def test_dashboard_lists_my_articles_with_status_badges(ann_browser, author, other):
    services.article_save(author_id=author.id, title="Draft one", content="d")
    pub = services.article_publish(author_id=author.id, title="Live one", content="l")
    gone = services.article_publish(author_id=author.id, title="Gone one", content="g")
    services.article_withdraw(author_id=author.id, article_id=gone)
    services.article_save(author_id=other.id, title="Not mine", content="x")
    html = ann_browser.get("/dashboard/articles").content.decode()
    assert "Draft one" in html and "Live one" in html and "Gone one" in html
    assert "Not mine" not in html
    assert 'class="badge s1">unpublished' in html
    assert 'class="badge s2">published' in html
    assert 'class="badge s3">withdrawn' in html
    assert f"/dashboard/articles/{pub}/withdraw" in html


def test_new_article_form_saves_a_draft(ann_browser, author):
    resp = ann_browser.post("/dashboard/articles/new", {"title": "  From the page ", "content": "<p>x</p>", "action": "save"})
    draft = Article.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/dashboard/articles/{draft.pk}/edit"
    assert (draft.title, draft.author_id, draft.status) == ("From the page", author.id, ArticleStatus.UNPUBLISHED)


def test_form_shows_errors_in_place_and_saves_nothing(ann_browser):
    resp = ann_browser.post("/dashboard/articles/new", {"title": "   ", "content": "x", "action": "save"})
    assert resp.status_code == 200
    assert 'id="title-errors"' in resp.content.decode()
    assert "title must not be empty" in resp.content.decode()
    assert not Article.objects.exists()


def test_preview_renders_sanitized_content_without_saving(ann_browser):
    resp = ann_browser.post(
        "/dashboard/articles/new",
        {"title": "t", "content": '<p>Hello</p><script>alert("x")</script><img src=x onerror=alert(1)>', "action": "preview"},
    )
    html = resp.content.decode()
    assert "<p>Hello</p>" in html
    assert "alert" not in html.split('class="card preview"')[1]
    assert not Article.objects.exists()


def test_edit_page_updates_own_article(ann_browser, author):
    article_id = services.article_save(author_id=author.id, title="v1", content="one")
    assert "v1" in ann_browser.get(f"/dashboard/articles/{article_id}/edit").content.decode()
    ann_browser.post(f"/dashboard/articles/{article_id}/edit", {"title": "v2", "content": "two", "action": "save"})
    assert Article.objects.get(pk=article_id).title == "v2"


def test_pages_of_someone_elses_article_are_404_and_change_nothing(ann_browser, other):
    article_id = services.article_publish(author_id=other.id, title="theirs", content="t")
    for path in ("edit", "publish", "withdraw"):
        assert ann_browser.get(f"/dashboard/articles/{article_id}/{path}").status_code == 404
    assert ann_browser.post(
        f"/dashboard/articles/{article_id}/edit", {"title": "stolen", "content": "x", "action": "save"}
    ).status_code == 404
    assert ann_browser.post(f"/dashboard/articles/{article_id}/withdraw").status_code == 404
    assert LiveArticle.objects.get(pk=article_id).status == ArticleStatus.PUBLISHED
    assert Article.objects.get(pk=article_id).title == "theirs"


def test_publish_asks_for_confirmation_then_publishes(ann_browser, author):
    article_id = services.article_save(author_id=author.id, title="t", content="c")
    confirm = ann_browser.get(f"/dashboard/articles/{article_id}/publish")
    assert "Publish this article?" in confirm.content.decode()
    assert not LiveArticle.objects.exists(), "GET only asks"
    resp = ann_browser.post(f"/dashboard/articles/{article_id}/publish")
    assert resp.status_code == 302
    assert LiveArticle.objects.get(pk=article_id).status == ArticleStatus.PUBLISHED


def test_save_and_publish_goes_to_the_confirmation(ann_browser):
    resp = ann_browser.post("/dashboard/articles/new", {"title": "t", "content": "c", "action": "publish"})
    draft = Article.objects.get()
    assert resp["Location"] == f"/dashboard/articles/{draft.pk}/publish"
    assert not LiveArticle.objects.exists()


def test_withdraw_asks_for_confirmation_then_hides_the_article(ann_browser, author, client):
    article_id = services.article_publish(author_id=author.id, title="t", content="c")
    assert "Withdraw this article?" in ann_browser.get(f"/dashboard/articles/{article_id}/withdraw").content.decode()
    assert LiveArticle.objects.get(pk=article_id).status == ArticleStatus.PUBLISHED
    ann_browser.post(f"/dashboard/articles/{article_id}/withdraw")
    assert LiveArticle.objects.get(pk=article_id).status == ArticleStatus.PRIVATE
    assert ann_browser.get(f"/articles/{article_id}").status_code == 404


def test_forms_need_csrf(author):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(author)
    resp = browser.post("/dashboard/articles/new", {"title": "t", "content": "c"})
    assert resp.status_code == 403
    assert not Article.objects.exists()


def test_public_page_renders_the_published_copy(client, author):
    article_id = services.article_publish(author_id=author.id, title="Title <b>x</b>", content="<p>Live</p>")
    services.article_save(author_id=author.id, article_id=article_id, title="Draft edit", content="<p>Draft</p>")
    html = client.get(f"/articles/{article_id}").content.decode()
    assert "<p>Live</p>" in html and "Draft" not in html
    assert "Title &lt;b&gt;x&lt;/b&gt;" in html
    assert f'by <a class="author" href="/u/{author.id}">ann</a>' in html


def test_public_page_renders_only_sanitized_content_even_if_the_row_is_not(client, author):
    article_id = services.article_publish(author_id=author.id, title="t", content="<p>ok</p>")
    # A row changed behind the services' back (e.g. by hand in SQL), and no cached copy.
    LiveArticle.objects.filter(pk=article_id).update(
        content='<p>ok</p><script>alert(1)</script><a href="javascript:alert(2)">x</a>'
    )
    from tinybook import kv

    kv.client().delete(kv.article_reader_key(article_id))
    html = client.get(f"/articles/{article_id}").content.decode()
    assert "<p>ok</p>" in html
    assert "alert" not in html


def test_public_page_of_a_draft_is_404(client, author):
    article_id = services.article_save(author_id=author.id, title="t", content="c")
    assert client.get(f"/articles/{article_id}").status_code == 404


@pytest.mark.parametrize(
    "path", ["/dashboard/articles", "/dashboard/articles/new", "/dashboard/articles/1/edit",
             "/dashboard/articles/1/publish", "/dashboard/articles/1/withdraw"],
)
def test_dashboard_pages_send_anonymous_visitors_to_login(client, settings, path):
    settings.LOGIN_URL = "/login-here"  # the users app names the real page (users:login-page)
    resp = client.get(path)
    assert resp.status_code == 302
    assert resp["Location"].startswith("/login-here?next=")
    assert client.post(path, {"title": "t", "content": "c"}).status_code in (302, 403)
    assert not Article.objects.exists()
