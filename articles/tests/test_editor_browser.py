"""Writing with the rich-text editor in headless Chromium: a heading, a list and pictures
(uploaded, pasted, dropped), preview, publish, then another user reads it on a desktop and a
phone. Screenshots: test-artifacts/screenshots/editor-*.png and article-read-*.png."""

import base64
import io
import re

from django.core.files.storage import default_storage
from PIL import Image

from articles.models import Article, ArticleStatus, LiveArticle
from articles.tests.imagefiles import HTML_AS_PNG, jpeg_with_gps, png_bytes
from tinybook.tests.browser.fixtures import DESKTOP, chromium_required, no_horizontal_scroll
from tinybook.tests.media import stored_images
from users.tests.factories import UserFactory

pytestmark = chromium_required()
PHONE_390 = {"width": 390, "height": 844}

# In the page: a File put in a DataTransfer and sent to the editor as a paste or a drop.
SEND_FILE = """([how, b64, type, name]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], name, {type}));
  const root = tinybook.editor.root;
  if (how === 'paste') {
    root.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    return;
  }
  const last = root.lastElementChild.getBoundingClientRect();
  const at = {clientX: last.right - 5, clientY: last.top + last.height / 2};
  for (const kind of ['dragenter', 'dragover', 'drop']) {
    root.dispatchEvent(new DragEvent(kind, {dataTransfer: data, bubbles: true, cancelable: true, ...at}));
  }
}"""
IMAGES_LOADED = "[...document.querySelectorAll('.article-content img')].every(i => i.complete && i.naturalWidth > 0)"


def errors_of(page) -> list[str]:
    """Console errors and uncaught exceptions of ``page`` from now on (a missing favicon is one)."""
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def send_file(page, how: str, data: bytes, content_type: str, name: str) -> None:
    page.evaluate(SEND_FILE, [how, base64.b64encode(data).decode(), content_type, name])


def editor_images(page, n: int) -> list[str]:
    page.wait_for_function(f"document.querySelectorAll('.ql-editor img').length === {n}")
    return page.eval_on_selector_all(".ql-editor img", "els => els.map(e => e.src)")


def test_write_with_a_heading_a_list_and_pictures_then_read_it_on_desktop_and_phone(
    new_tab, live_server, screenshot, settings, media
):
    author = UserFactory.create(nickname="ann")
    tab = new_tab(author, viewport=DESKTOP)
    errors = errors_of(tab)
    tab.goto("/dashboard/articles/new")
    tab.fill("#id_title", "A heading, a list and pictures")
    tab.locator(".ql-editor").click()

    # A heading and a list from the toolbar, bold from the keyboard: no HTML typed.
    tab.click(".ql-picker.ql-header .ql-picker-label")
    tab.click('.ql-picker.ql-header .ql-picker-item[data-value="2"]')
    tab.keyboard.type("Why TinyBook")
    tab.keyboard.press("Enter")
    tab.keyboard.type("Words wrap on a phone when spaces stay spaces, and this one is ")
    tab.keyboard.press("Control+b")
    tab.keyboard.type("bold")
    tab.keyboard.press("Control+b")
    tab.keyboard.press("Enter")
    tab.click('.ql-toolbar button.ql-list[value="bullet"]')
    tab.keyboard.type("first item")
    tab.keyboard.press("Enter")
    tab.keyboard.type("second item")
    tab.keyboard.press("Enter")
    tab.keyboard.press("Enter")  # an empty item ends the list

    # A picture from the toolbar's file chooser, one pasted, one dropped: the same upload.
    with tab.expect_file_chooser() as chooser:
        tab.click(".ql-toolbar .ql-image")
    chooser.value.set_files(files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}])
    editor_images(tab, 1)
    send_file(tab, "paste", png_bytes((21, 128, 61), (200, 80)), "image/png", "pasted.png")
    editor_images(tab, 2)
    tab.keyboard.type("A line to drop a picture on.")
    send_file(tab, "drop", png_bytes((29, 78, 216), (240, 90)), "image/png", "dropped.png")
    srcs = editor_images(tab, 3)
    base = settings.MEDIA_URL if settings.MEDIA_URL.startswith("http") else live_server.url + settings.MEDIA_URL
    assert all(src.startswith(base) for src in srcs), srcs
    assert len(stored_images()) == 3

    # A file that is not a picture: the server's refusal is shown, nothing more is stored.
    send_file(tab, "paste", HTML_AS_PNG, "image/png", "page.png")
    tab.wait_for_function("document.querySelector('.editor-status').textContent.includes('not a JPEG')")
    assert editor_images(tab, 3) == srcs and len(stored_images()) == 3
    tab.evaluate("window.scrollTo(0, 0)")  # else the sticky header is drawn where the page was
    screenshot(tab, "editor-1280")

    # Preview: what readers will see, and the editor reloaded with it.
    tab.click("button[value=preview]")
    preview = tab.locator("#preview")
    assert preview.locator("h2").inner_text() == "Why TinyBook"
    assert preview.locator("ul > li").all_inner_texts() == ["first item", "second item"]
    assert preview.locator("strong").inner_text() == "bold"
    assert preview.locator("img").count() == 3
    assert editor_images(tab, 3) == srcs
    assert not Article.objects.exists()
    tab.evaluate("window.scrollTo(0, 0)")
    screenshot(tab, "editor-preview-1280")

    tab.click("button[value=publish]")
    tab.click("text=Yes, publish")
    tab.wait_for_url(re.compile(r"/dashboard/articles$"))
    live = LiveArticle.objects.get()
    assert live.status == ArticleStatus.PUBLISHED
    assert "<h2>Why TinyBook</h2>" in live.content
    assert "<ul><li>first item</li><li>second item</li></ul>" in live.content
    assert "&nbsp;" not in live.content  # spaces stay spaces (Quill 2.0.3 writes &nbsp;)
    assert live.content.count(f'<img src="{settings.MEDIA_URL}images/') == 3
    photo = srcs[0][len(base):]
    with default_storage.open(photo) as stored:  # the stored photo says nothing of where it was taken
        assert not Image.open(io.BytesIO(stored.read())).getexif()
    assert not errors, errors

    # Another user reads it on a desktop and on a phone.
    reader_user = UserFactory.create(nickname="bob")
    for viewport, name in ((DESKTOP, "article-read-1280"), (PHONE_390, "article-read-390")):
        reader = new_tab(reader_user, viewport=viewport)
        reader_errors = errors_of(reader)
        reader.goto(f"/articles/{live.pk}")
        assert reader.inner_text(".article-content h2") == "Why TinyBook"
        assert reader.locator(".article-content ul > li").count() == 2
        reader.wait_for_function(IMAGES_LOADED)
        assert reader.locator(".article-content img").count() == 3
        widths = reader.eval_on_selector_all(".article-content img", "els => els.map(e => e.getBoundingClientRect().right)")
        assert max(widths) <= viewport["width"], widths  # pictures fit the screen
        assert no_horizontal_scroll(reader)
        reader.evaluate("window.scrollTo(0, 0)")
        screenshot(reader, name)
        assert not reader_errors, reader_errors


def test_the_editor_fits_a_phone(new_tab, live_server, screenshot):
    tab = new_tab(UserFactory.create(), viewport=PHONE_390)
    errors = errors_of(tab)
    tab.goto("/dashboard/articles/new")
    tab.wait_for_selector(".ql-toolbar")
    toolbar = tab.locator(".ql-toolbar").bounding_box()
    assert toolbar["x"] >= 0 and toolbar["x"] + toolbar["width"] <= 390
    assert no_horizontal_scroll(tab)
    screenshot(tab, "editor-390")
    assert not errors, errors


def test_the_editor_speaks_the_pages_language(new_tab, live_server, screenshot, settings):
    tab = new_tab(UserFactory.create(), viewport=PHONE_390)
    tab.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": live_server.url}])
    tab.goto("/dashboard/articles/new")
    tab.wait_for_selector(".ql-toolbar")
    assert tab.get_attribute(".ql-toolbar button.ql-bold", "title") == "加粗"
    assert tab.get_attribute('.ql-toolbar button.ql-list[value="bullet"]', "aria-label") == "项目符号列表"
    assert tab.get_attribute(".ql-picker.ql-header .ql-picker-label", "data-label") == "正文"
    assert tab.get_attribute(".ql-editor", "data-placeholder") == "开始写作…"
    tab.locator(".ql-editor").click()
    tab.click(".ql-toolbar button.ql-link")  # no text selected: Quill asks for a link for the next words
    tooltip = "getComputedStyle(document.querySelector('.ql-tooltip'), '::before').content"
    assert "链接" in tab.evaluate(tooltip)
    screenshot(tab, "editor-390-zh")
