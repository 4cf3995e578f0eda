"""The author's path through the pages in headless Chromium: write, preview, publish, read, withdraw."""

import shutil

import pytest

from articles.models import Article, ArticleStatus, LiveArticle
from users.tests.factories import UserFactory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


@pytest.fixture
def page(live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; our ORM calls here are sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844})  # phone width
        yield context
        context.close()
        browser.close()


def login(context, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return context.new_page()


def test_write_preview_publish_read_and_withdraw(page, live_server):
    author = UserFactory.create(nickname="ann")
    tab = login(page, live_server, author)

    tab.goto(f"{live_server.url}/dashboard/articles/new")
    tab.fill("#id_title", "From Chromium")
    tab.fill("#id_content", '<p>Hello <b>reader</b></p><img src="x" onerror="document.title=\'pwned\'">')
    tab.click("button[value=preview]")
    assert tab.inner_text(".preview .article-content") == "Hello reader"
    assert tab.title() != "pwned"
    assert not Article.objects.exists()

    tab.click("button[value=publish]")
    assert "/publish" in tab.url
    tab.click("text=Yes, publish")
    article = Article.objects.get()
    assert LiveArticle.objects.get(pk=article.pk).status == ArticleStatus.PUBLISHED
    assert tab.inner_text(f"tr[data-article-id='{article.pk}'] .badge") == "published"

    reader = page.new_page()
    reader.goto(f"{live_server.url}/articles/{article.pk}")
    assert reader.inner_text("article h1") == "From Chromium"
    assert "onerror" not in reader.inner_html(".article-content")
    assert reader.title() != "pwned"

    tab.click(f"tr[data-article-id='{article.pk}'] >> text=Withdraw")
    tab.click("text=Yes, withdraw")
    assert tab.inner_text(f"tr[data-article-id='{article.pk}'] .badge") == "withdrawn"
    response = reader.goto(f"{live_server.url}/articles/{article.pk}")
    assert response.status == 404
