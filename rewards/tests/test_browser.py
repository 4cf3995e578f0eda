"""The whole reward flow in headless Chromium with the development provider: a reader rewards an
article, scans (opens) the QR code's page, pays, and sees "thank you"; the author sees Earnings."""

import re

import pytest

from articles import services as articles
from tinybook.tests.browser.fixtures import DESKTOP, chromium_required, no_horizontal_scroll
from users.tests.factories import UserFactory

pytestmark = [*chromium_required(), pytest.mark.usefixtures("dev", "eager_relay")]
PHONE = {"width": 390, "height": 844}


def test_reward_pay_thank_you_and_earnings(new_tab, live_server, screenshot, settings):
    settings.REWARD_POLL_INTERVAL_MS = 300
    author = UserFactory.create(nickname="ann")
    reader = UserFactory.create(nickname="bob")
    article_id = articles.article_publish(author_id=author.id, title="Tea at dawn", content="<p>The kettle sings.</p>")

    page = new_tab(reader, viewport=PHONE)
    page.goto(f"/articles/{article_id}")
    page.click("[data-reward-open]")
    dialog = page.locator("dialog[data-reward-dialog]")
    assert dialog.is_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "reward-dialog-390")

    # Nothing chosen that makes sense: refused in place, nothing sent.
    page.check("input[name=amount][value=other]")
    page.fill("[data-reward-yuan]", "0")
    page.click("[data-reward-pay]")
    assert page.inner_text("[data-reward-error]") == "Choose an amount."
    page.fill("[data-reward-yuan]", "12.34")
    page.click("[data-reward-pay]")
    page.wait_for_selector("[data-reward-step=pay]:not([hidden])")
    assert page.inner_text("[data-reward-sum]") == "¥12.34"
    page.wait_for_function("document.querySelector('[data-reward-qr]').naturalWidth > 0")  # the server's SVG
    assert page.inner_text("[data-reward-status]") == "Waiting for your payment…"
    link = page.locator("[data-reward-dev-link]")
    assert re.fullmatch(rf"{re.escape(live_server.url)}/pay/dev/TB\w+", link.get_attribute("href"))
    screenshot(page, "reward-qr-390")

    # The payer "scans": the dev provider's page, in another tab, with plain forms.
    with page.context.expect_page() as opened:
        link.click()
    pay = opened.value
    pay.wait_for_load_state()
    assert "¥12.34" in pay.inner_text("[data-amount]")
    screenshot(pay, "dev-pay-390")
    pay.click("button[data-pay]")
    assert "Paid. You can close this page." in pay.inner_text("main")

    # Back on the article: the dialog learns it by itself.
    page.wait_for_function(
        "document.querySelector('[data-reward-status]').textContent.startsWith('Thank you')")
    screenshot(page, "reward-thanks-390")
    page.click("[data-reward-step=pay] [data-reward-close]")
    assert page.inner_text("[data-reward-note]") == "Thank you! The author received your reward."

    # A second reward whose payment fails.
    page.click("[data-reward-open]")
    page.click("[data-reward-pay]")  # the amount chosen before is kept: ¥12.34
    page.wait_for_selector("[data-reward-step=pay]:not([hidden])")
    with page.context.expect_page() as opened:
        page.click("[data-reward-dev-link]")
    opened.value.click("button[data-fail]")
    page.wait_for_function(
        "document.querySelector('[data-reward-status]').textContent.startsWith('The payment did not go through')")

    # The author's Earnings: 12.34 yuan, 10 % to the platform rounded down: 11.11 to the author.
    for viewport, name in ((DESKTOP, "1280"), (PHONE, "390")):
        board = new_tab(author, viewport=viewport)
        board.goto("/dashboard/articles")
        earnings = board.locator("[data-earnings]")
        assert earnings.locator("[data-earning=balance]").inner_text() == "¥11.11"
        assert earnings.locator("[data-earning=count]").inner_text() == "1"
        rows = earnings.locator("tr[data-reward-id]")
        assert rows.count() == 2
        assert rows.nth(1).locator("[data-payer]").inner_text() == "bob"
        assert rows.nth(1).locator("[data-status]").inner_text() == "paid"
        assert rows.nth(0).locator("[data-status]").inner_text() == "failed"
        assert no_horizontal_scroll(board)
        earnings.scroll_into_view_if_needed()
        screenshot(board, f"earnings-{name}")


def test_the_dialog_in_chinese(new_tab, screenshot, settings):
    author = UserFactory.create(nickname="ann")
    article_id = articles.article_publish(author_id=author.id, title="茶", content="<p>水开了。</p>")
    page = new_tab(UserFactory.create(nickname="波"), viewport=PHONE, locale="zh-CN")
    page.set_extra_http_headers({"Accept-Language": "zh-hans"})
    page.goto(f"/articles/{article_id}")
    assert page.inner_text("[data-reward-open]") == "¥ 打赏作者"
    page.click("[data-reward-open]")
    page.click("[data-reward-pay]")
    page.wait_for_selector("[data-reward-step=pay]:not([hidden])")
    assert page.inner_text("[data-reward-status]") == "等待支付……"
    screenshot(page, "reward-qr-390-zh")
