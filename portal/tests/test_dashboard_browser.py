"""The dashboard on a phone (390 px) and a desktop, and the favicon, in headless Chromium.
Screenshots: test-artifacts/screenshots/dashboard-390.png and dashboard-1280.png."""

from articles import services as articles
from interactions import services as interactions
from interactions.models import BIZ_ARTICLE
from tinybook.tests.browser.fixtures import DESKTOP, chromium_required, no_horizontal_scroll
from users.tests.factories import UserFactory

pytestmark = chromium_required()
PHONE_390 = {"width": 390, "height": 844}


def _inside(page, locator, width) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] > 0


def test_on_a_phone_every_article_is_a_card_with_its_counts_and_links(new_tab, live_server, screenshot):
    author = UserFactory.create(nickname="ann")
    live = articles.article_publish(author_id=author.id, title="A title long enough to wrap on a phone screen",
                                    content="<p>x</p>")
    fan = UserFactory.create()
    interactions.like_set(user_id=fan.id, biz_id=live, liked=True)
    interactions.collect_set(user_id=fan.id, biz_id=live, collected=True)
    interactions.reads_apply(counts={(BIZ_ARTICLE, live): 12})
    draft = articles.article_save(author_id=author.id, title="Draft", content="<p>d</p>")

    for viewport in (PHONE_390, DESKTOP):
        tab = new_tab(author, viewport=viewport)
        errors = []
        tab.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
        tab.goto("/dashboard/articles")
        width = viewport["width"]
        assert no_horizontal_scroll(tab)
        row = tab.locator(f"tr[data-article-id='{live}']")
        for metric, shown in (("reads", "12"), ("likes", "1"), ("collects", "1")):
            cell = row.locator(f"[data-metric={metric}]")
            assert cell.inner_text() == shown and _inside(tab, cell, width), (width, metric)
        for link in ("View", "Withdraw"):
            assert _inside(tab, row.get_by_role("link", name=link), width), (width, link)
        assert _inside(tab, tab.locator(f"tr[data-article-id='{draft}']").get_by_role("link", name="Publish"), width)
        header_shown = tab.locator("table.articles thead th").first.is_visible()
        if width == 390:
            assert not header_shown or tab.locator("table.articles thead").bounding_box()["height"] <= 1
            unit = "getComputedStyle(document.querySelector(\"[data-metric=reads]\"), '::after').content"
            assert "reads" in tab.evaluate(unit)  # "12 reads" on the card
        else:
            assert header_shown
        tab.evaluate("window.scrollTo(0, 0)")
        screenshot(tab, f"dashboard-{width}")
        assert not errors, errors  # the favicon included


def test_the_favicon_is_found_on_pages_that_do_not_name_it(new_tab, live_server):
    tab = new_tab(viewport=DESKTOP)
    response = tab.goto("/favicon.ico")
    assert response.ok and response.headers["content-type"].startswith("image/")
    assert tab.goto("/static/favicon.svg").headers["content-type"].startswith("image/svg")
