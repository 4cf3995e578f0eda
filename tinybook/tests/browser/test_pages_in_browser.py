"""Two promises checked in a real browser: stored markup stays text, and the site speaks Chinese."""

import re

from articles import services
from sms.models import OutboxMessage
from tinybook.tests.browser.fixtures import DESKTOP, chromium_required
from users.tests.factories import UserFactory

pytestmark = chromium_required()

EVIL_TITLE = "<script>alert('title')</script><img src=x onerror=alert('img')>"
EVIL_CONTENT = "<p>kept</p><script>alert('content')</script><a href=\"javascript:alert('a')\">link</a>"


def test_a_stored_script_title_and_content_stay_inert_text(new_tab):
    author = UserFactory.create(nickname="<b onclick=x()>mal")
    article_id = services.article_publish(author_id=author.id, title=EVIL_TITLE, content=EVIL_CONTENT)

    reader = new_tab(UserFactory.create(), viewport=DESKTOP)
    reader.goto(f"/articles/{article_id}")
    assert reader.inner_text("article h1") == EVIL_TITLE  # shown as the characters typed
    assert reader.inner_text(".article-content").startswith("kept")
    assert reader.locator(".article-content script, .article-content [href^=javascript]").count() == 0
    assert "<b onclick=x()>mal" in reader.inner_text("article .meta")
    reader.click(".article-content a")  # the link lost its javascript: URL
    reader.hover("article .meta")

    reader.goto("/")
    assert reader.inner_text(f"#newest [data-article-id='{article_id}'] .item-title") == EVIL_TITLE

    owner = new_tab(author, viewport=DESKTOP)
    owner.goto("/dashboard/articles")
    assert owner.inner_text(f"tr[data-article-id='{article_id}'] td.title a") == EVIL_TITLE
    owner.goto(f"/dashboard/articles/{article_id}/withdraw")
    assert EVIL_TITLE in owner.inner_text("main")

    for page in (reader, owner):
        assert page.dialogs == []
        assert page.evaluate("document.querySelectorAll('main script').length") == 0


def test_the_language_switch_turns_the_site_chinese(new_tab):
    page = new_tab()
    page.goto("/account/login")
    assert page.inner_text("h1") == "Log in"
    page.click("footer button[value=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")
    assert page.url.endswith("/account/login")  # back where the reader was
    assert page.inner_text("h1") == "登录"
    assert page.inner_text("header [data-nav=signup]") == "注册"
    page.goto("/")
    assert "欢迎来到 TinyBook" in page.inner_text("main")
    assert page.inner_text("#hot h2") == "正在热门"
    page.click("footer button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("#hot h2") == "Hot now"


def test_sms_login_counts_down_before_a_resend_and_logs_in(new_tab, live_server, settings):
    settings.SMS_PROVIDERS = ["console"]  # the dev outbox stands in for the phone
    page = new_tab()
    page.goto("/account/login")
    assert page.locator("#wechat-login").get_attribute("href") == "/account/login/wechat"
    page.fill("#sms-login #id_phone", "13800000000")
    page.click("#sms-login button[value=send]")
    send = page.locator("#sms-login button[value=send]")
    page.wait_for_url(re.compile(r"/account/login/sms$"))
    assert send.is_disabled()
    first = int(re.fullmatch(r"Resend in (\d+) s", send.inner_text()).group(1))
    assert 0 < first <= settings.SMS_CODE_RESEND_INTERVAL
    page.wait_for_function(
        f"document.querySelector('#sms-login button[value=send]').textContent !== 'Resend in {first} s'"
    )
    assert int(re.fullmatch(r"Resend in (\d+) s", send.inner_text()).group(1)) == first - 1

    code = re.search(r"\d{6}", OutboxMessage.objects.get().text).group(0)
    page.fill("#sms-login #id_code", code)
    page.click("#sms-login button[value=login]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("header [data-nav=dashboard]").is_visible()
