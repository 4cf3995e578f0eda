"""Comments in headless Chromium at phone width: comment, reply, "more replies", delete; text
that looks like HTML stays text."""


from comments import services
from interactions.tests.helpers import published_article
from tinybook.tests.browser.fixtures import chromium_required, no_horizontal_scroll
from users.tests.factories import UserFactory

pytestmark = chromium_required()
PHONE = {"width": 390, "height": 844}
NASTY = '<img src=x onerror="alert(1)"> <script>alert(2)</script> &amp;'


def test_comment_reply_more_replies_and_delete(new_tab, screenshot, settings):
    settings.COMMENT_RATE = 0
    author = UserFactory.create(nickname="ann")
    article = published_article(author)
    other = UserFactory.create(nickname="<i>carl</i>")
    busy = services.comment_create(user_id=other.id, biz_id=article, content="a busy thread")
    for i in range(5):
        services.comment_create(user_id=other.id, biz_id=article, root_id=busy["id"], content=f"answer {i}")
    reader = UserFactory.create(nickname="bob")

    page = new_tab(reader, viewport=PHONE)
    page.goto(f"/articles/{article}")
    assert page.inner_text("[data-comment-count]") == "6 comments"

    page.fill("#comment-new", NASTY + "\nline two")
    page.click("text=Post comment")
    page.wait_for_url(f"**/articles/{article}#c*")
    assert page.inner_text("[data-comment-count]") == "7 comments"
    mine = page.locator(".thread").first
    assert mine.locator(".comment-text").first.inner_text() == NASTY + "\nline two"
    assert mine.locator("img").count() == 0 and page.dialogs == []  # nothing ran

    # Reply to carl inside the busy thread: shown as "reply to <i>carl</i>", as text.
    busy_thread = page.locator(f"#c{busy['id']}")
    busy_thread.locator("summary", has_text="Reply").first.click()
    busy_thread.locator("textarea").first.fill("hello carl")
    busy_thread.locator("text=Post reply").first.click()
    page.wait_for_url(f"**/articles/{article}#c*")
    assert page.inner_text("[data-comment-count]") == "8 comments"

    # "more replies" loads the rest of the thread (and bob's reply among them) through the API.
    busy_thread = page.locator(f"#c{busy['id']}")
    assert busy_thread.locator(".replies > li").count() == 3
    busy_thread.locator("[data-more-replies]").click()
    page.wait_for_function(f"document.querySelectorAll('#c{busy['id']} .replies > li').length === 6")
    loaded = busy_thread.locator(".replies > li").last
    assert loaded.locator(".comment-text").inner_text() == "hello carl"
    assert "reply to <i>carl</i>" in loaded.locator(".meta").inner_text()
    assert loaded.locator("a.author").get_attribute("href") == f"/u/{reader.id}"
    assert no_horizontal_scroll(page)
    screenshot(page, "comments-390")

    # Delete bob's reply from the loaded part: the page asks first.
    page.evaluate("window.confirm = () => true")
    loaded.locator("button", has_text="Delete").click()
    page.wait_for_url(f"**/articles/{article}#comments")
    assert page.inner_text("[data-comment-count]") == "7 comments"
    assert "hello carl" not in page.inner_text("#comments")
