"""Search from the navigation at phone width, open a result (a real browser)."""

from articles import services
from tinybook.tests.browser.fixtures import chromium_required, no_horizontal_scroll
from users.tests.factories import UserFactory

pytestmark = chromium_required()


def test_search_from_the_navigation_and_open_a_result(new_tab, screenshot):
    author = UserFactory.create(nickname="缓存专家")
    wanted = services.article_publish(author_id=author.id, title="分布式缓存的设计",
                                      content="<p>" + "一段很长的介绍，" * 20 + "Redis 缓存一致性的做法。</p>")
    other = UserFactory.create(nickname="Bob")
    services.article_publish(author_id=other.id, title="Python 入门", content="<p>列表</p>")

    page = new_tab()  # phone width
    page.goto("/")
    box = page.locator("header form[role=search] input[name=q]")
    box.fill("缓存")
    box.press("Enter")
    page.wait_for_url("**/search/results?q=*")
    assert page.locator(".hits .item").count() == 1
    assert page.locator(".hits .item mark").first.inner_text() == "缓存"
    assert page.inner_text(".hits .item .item-title") == "分布式缓存的设计"
    assert no_horizontal_scroll(page)
    screenshot(page, "search-results-phone")

    page.click(".hits .item-title")
    page.wait_for_url(f"**/articles/{wanted}")
    assert page.inner_text("article h1") == "分布式缓存的设计"

    page.go_back()
    page.click("[data-tab=user]")
    assert page.inner_text(".hits .item-title") == "缓存专家"
    assert page.dialogs == []
