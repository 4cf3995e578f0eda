"""Follow from an author page, see the "Following" feed fill, unfollow: in Chromium, at phone width."""

import pytest

from relations.tests.helpers import person, publish
from tinybook.tests.browser.fixtures import DESKTOP, chromium_required, no_horizontal_scroll

pytestmark = [*chromium_required(), pytest.mark.usefixtures("eager_celery")]


def test_follow_see_the_feed_fill_and_unfollow(new_tab, screenshot):
    author = person(nickname="Ann", about_me="Short stories, mostly about trains.")
    first = publish(author, title="The night train")
    reader = new_tab(person(nickname="Reader"))

    reader.goto("/")
    assert "Follow authors to see their new articles here." in reader.inner_text("#following")
    reader.click(f"#newest [data-article-id='{first}'] a.author")
    reader.wait_for_url(f"**/u/{author.id}")
    assert reader.inner_text(".author-card h1") == "Ann"
    reader.click("[data-follow] button")
    reader.wait_for_selector("[data-follow] button[aria-pressed=true]")
    assert reader.inner_text("[data-count=followers]") == "1 follower"
    assert no_horizontal_scroll(reader)
    screenshot(reader, "relations-author-phone")

    second = publish(author, title="The morning train")  # pushed into the reader's inbox
    reader.goto("/")
    titles = reader.locator("#following .item-title").all_inner_texts()
    assert titles == ["The morning train", "The night train"]
    assert no_horizontal_scroll(reader)
    screenshot(reader, "relations-home-following-phone")

    reader.goto(f"/articles/{second}")
    reader.click("[data-follow] button")  # unfollow from the article page
    reader.wait_for_selector("[data-follow] button[aria-pressed=false]")
    reader.goto("/")
    assert reader.locator("#following .item-title").count() == 0

    desktop = new_tab(viewport=DESKTOP)
    desktop.goto(f"/u/{author.id}")
    assert desktop.locator("#articles .item-title").all_inner_texts() == ["The morning train", "The night train"]
    screenshot(desktop, "relations-author-desktop")
