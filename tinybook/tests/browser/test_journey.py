"""A reader's and an author's day in headless Chromium, against the live server.

Sign up, log out, log in, write and publish, find the article on the home page, like and
collect it as someone else (without a reload, and still so after one), read the numbers on
the dashboard, withdraw, and see the article gone for readers.
"""

import re

from django.core.management import call_command
from django.test import override_settings

from tinybook.tests.browser.fixtures import (
    DESKTOP,
    chromium_required,
    editor_paste_html,
    no_horizontal_scroll,
)
from users.tests.factories import UserFactory

pytestmark = chromium_required()

PASSWORD = "hello#world1"


def test_sign_up_write_publish_be_liked_and_withdraw(new_tab, live_server, screenshot, settings):
    author = new_tab()
    author.goto("/")
    author.click("header [data-nav=signup]")
    author.fill("#id_email", "ann@example.com")
    author.fill("#id_password", PASSWORD)
    author.fill("#id_confirm_password", "not the same#1")
    author.click("main button[type=submit]")
    # A field error in place, the form kept; nothing signed up.
    assert author.locator(".has-error .error").count() >= 1
    assert author.input_value("#id_email") == "ann@example.com"
    author.fill("#id_password", PASSWORD)
    author.fill("#id_confirm_password", PASSWORD)
    author.click("main button[type=submit]")
    author.wait_for_url(re.compile(r"/account/profile$"))
    assert "ann@example.com" in author.inner_text("dl.profile")

    # Log out from the navigation (a POST form), then log back in by email.
    author.click("header [data-nav=logout]")
    author.wait_for_url(f"{live_server.url}/")
    assert author.locator("header [data-nav=login]").is_visible()
    assert author.locator("header [data-nav=dashboard]").count() == 0
    author.click("header [data-nav=login]")
    author.fill("form.form #id_email", "ann@example.com")
    author.fill("form.form #id_password", PASSWORD)
    author.click("form.form button[type=submit]")
    author.wait_for_url(f"{live_server.url}/")
    assert author.locator("header [data-nav=dashboard]").is_visible()

    # Write, preview, publish with confirmation.
    author.click("header [data-nav=write]")
    author.fill("#id_title", "Tea at dawn")
    editor_paste_html(author, "<p>The kettle <em>sings</em>.</p>")
    author.click("button[value=preview]")
    assert author.inner_text(".preview .article-content") == "The kettle sings."
    author.click("button[value=publish]")
    author.click("text=Yes, publish")
    author.wait_for_url(re.compile(r"/dashboard/articles$"))
    row = author.locator("tr[data-article-id]", has_text="Tea at dawn")
    assert row.locator(".badge").inner_text() == "published"
    article_id = row.get_attribute("data-article-id")

    author.goto("/")
    newest = author.locator("#newest")
    assert newest.locator(f"[data-article-id='{article_id}'] .item-title").inner_text() == "Tea at dawn"
    assert no_horizontal_scroll(author)
    screenshot(author, "home-375")

    # Another reader likes and collects it: the buttons change in place, the page is not reloaded.
    reader = new_tab(UserFactory.create(nickname="bob"), viewport=DESKTOP)
    reader.goto(f"/articles/{article_id}")
    assert reader.inner_text("article h1") == "Tea at dawn"
    reader.evaluate("window.__sameDocument = true")
    like, collect = reader.locator("button[data-like]"), reader.locator("button[data-collect]")
    assert like.get_attribute("aria-pressed") == "false"
    like.click()
    collect.click()
    reader.wait_for_selector("button[data-like][aria-pressed=true]")
    reader.wait_for_selector("button[data-collect][aria-pressed=true]")
    assert like.locator("[data-count]").inner_text() == "1"
    assert collect.locator("[data-count]").inner_text() == "1"
    assert reader.evaluate("window.__sameDocument") is True
    reader.reload()
    assert like.get_attribute("aria-pressed") == "true" and collect.get_attribute("aria-pressed") == "true"
    assert like.locator("[data-count]").inner_text() == "1"
    assert collect.locator("[data-count]").inner_text() == "1"
    reader.click("text=My collections")
    assert reader.locator("ul.items", has_text="Tea at dawn").is_visible()

    # The author's numbers. Reads travel through the event stream when it is on (services
    # profile): run the real consumer until the stream is drained.
    if not settings.READ_EVENTS_INLINE:
        with override_settings(READ_EVENTS_BATCH_WAIT_MS=100):
            call_command("consume_events", "--exit-when-idle", "1")
    author.goto("/dashboard/articles")
    row = author.locator(f"tr[data-article-id='{article_id}']")
    assert row.locator("[data-metric=reads]").inner_text() == "1"  # opened twice, counted once
    assert row.locator("[data-metric=likes]").inner_text() == "1"
    assert row.locator("[data-metric=collects]").inner_text() == "1"
    assert author.inner_text("[data-total=likes]") == "1"
    assert author.locator(f"[data-chart] g[data-article-id='{article_id}'] rect:not(.track)").count() == 3
    assert no_horizontal_scroll(author)
    screenshot(author, "dashboard-375")

    # Withdraw with confirmation: gone from home and from its page.
    row.locator("text=Withdraw").click()
    author.click("text=Yes, withdraw")
    assert author.locator(f"tr[data-article-id='{article_id}'] .badge").inner_text() == "withdrawn"
    reader.goto("/")
    assert reader.locator(f"[data-article-id='{article_id}']").count() == 0
    assert "Tea at dawn" not in reader.inner_text("main")
    assert reader.goto(f"/articles/{article_id}").status == 404
