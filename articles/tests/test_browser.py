"""The author's path through the pages in headless Chromium: write, preview, publish, read, withdraw."""

from articles.models import Article, ArticleStatus, LiveArticle
from tinybook.tests.browser.fixtures import chromium_required, editor_paste_html
from users.tests.factories import UserFactory

pytestmark = chromium_required()


def test_write_preview_publish_read_and_withdraw(new_tab, live_server):
    author = UserFactory.create(nickname="ann")
    tab = new_tab(author, viewport={"width": 390, "height": 844})  # phone width

    tab.goto(f"{live_server.url}/dashboard/articles/new")
    tab.fill("#id_title", "From Chromium")
    editor_paste_html(tab, '<p>Hello <b>reader</b></p><img src="x" onerror="document.title=\'pwned\'">')
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

    reader = new_tab()
    reader.goto(f"{live_server.url}/articles/{article.pk}")
    assert reader.inner_text("article h1") == "From Chromium"
    assert "onerror" not in reader.inner_html(".article-content")
    assert reader.title() != "pwned"

    tab.click(f"tr[data-article-id='{article.pk}'] >> text=Withdraw")
    tab.click("text=Yes, withdraw")
    assert tab.inner_text(f"tr[data-article-id='{article.pk}'] .badge") == "withdrawn"
    response = reader.goto(f"{live_server.url}/articles/{article.pk}")
    assert response.status == 404
