"""What the sanitizer keeps of the editor's HTML, the own-images rule, and abstracts."""

import nh3
import pytest

from articles import services
from articles.content import abstract_of, content_sanitize, own_image
from articles.models import Article

CDN = "https://cdn.example.com/"
LOCAL = "/media/"


def clean(html, base=CDN):
    return content_sanitize(html, image_base=base)


def test_the_editors_semantic_html_passes_unchanged():
    html = (
        "<h2>Title</h2><h3>Sub</h3><p>Some <strong>bold</strong>, <em>italic</em>, <u>u</u>, <s>s</s> and "
        "<code>code</code>.</p><ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul>"
        "<ol><li>first</li><li>second</li></ol><blockquote>quote</blockquote>"
        '<p><img src="https://cdn.example.com/images/2025/06/abc.png"></p><p></p>'
    )
    assert clean(html) == html


def test_the_editors_internal_html_would_lose_its_list_types():
    # Quill's root.innerHTML: every list is <ol>, the type in data-list, which nh3 drops. This is
    # why the editor submits getSemanticHTML() (static/js/editor.js).
    inner = '<ol><li data-list="bullet"><span class="ql-ui" contenteditable="false"></span>a</li></ol>'
    assert clean(inner) == "<ol><li><span></span>a</li></ol>"


def test_links_get_our_rel_and_lose_target():
    out = clean('<a href="https://x.example/" rel="noopener noreferrer" target="_blank">x</a>')
    assert out == '<a href="https://x.example/" rel="noopener noreferrer nofollow">x</a>'
    assert clean('<a href="javascript:alert(1)">x</a>') == '<a rel="noopener noreferrer nofollow">x</a>'


def test_a_code_block_keeps_its_text_exactly():
    # The editor writes <pre>\n...\n</pre>; an HTML parser drops a newline right after <pre> and
    # html5ever does not write it back, so content_sanitize restores it.
    assert nh3.clean("<pre>\nx\n</pre>") == "<pre>x\n</pre>"
    assert clean('<pre data-language="plain">\nx &lt; y\n  z\n</pre>') == "<pre>x &lt; y\n  z\n</pre>"
    assert clean("<pre>\n\nx\n</pre>") == "<pre>\n\nx\n</pre>"  # the blank first line stays


@pytest.mark.parametrize(
    "src, kept",
    [
        ("https://cdn.example.com/images/x.png", True),
        ("https://cdn.example.com.evil.example/x.png", False),
        ("https://evil.example/x.png", False),
        ("http://cdn.example.com/images/x.png", False),  # another scheme: not our base
        ("//cdn.example.com/images/x.png", False),
        ("data:image/png;base64,AAAA", False),
        ("javascript:alert(1)", False),
        ("/media/images/x.png", False),  # relative while the base is the CDN
        ("https://cdn.example.com/images/x.png\\..\\..\\y", False),
    ],
)
def test_only_images_from_the_cdn_base_survive(src, kept):
    out = clean(f'<p>a<img src="{src}" alt="x>y">b</p>')
    assert out == (f'<p>a<img src="{src}" alt="x>y">b</p>' if kept else "<p>ab</p>")


@pytest.mark.parametrize(
    "src, kept",
    [
        ("/media/images/x.png", True),
        ("//evil.example/media/x.png", False),
        ("/media\\..\\x.png", False),
        ("https://evil.example/media/x.png", False),
        ("/static/x.png", False),
        ("media/x.png", False),
        ("&#47;&#47;evil.example/x.png", False),
        ("/media/\x01x.png", False),
    ],
)
def test_only_images_from_the_local_base_survive(src, kept):
    out = clean(f'<img src="{src}">', base=LOCAL)
    assert (out != "") == kept, out


def test_a_base_of_the_whole_site_accepts_nothing():
    assert own_image("/media/a.png", LOCAL) and not own_image("//media/a.png", LOCAL)
    assert not own_image("/a.png", "/") and not own_image("/a.png", "")


def test_the_image_rule_catches_every_spelling_of_img():
    # Parsers read <image> as <img>; the fast path for content without images must not miss it.
    assert clean('<p>a<IMAGE src="https://evil.example/x.png">b</p>') == "<p>ab</p>"
    assert clean('<p>a<iMg src="https://evil.example/x.png">b</p>') == "<p>ab</p>"


def test_sanitizing_is_idempotent():
    html = ('<h2>t</h2><p>a<img src="https://evil.example/x"><img src="https://cdn.example.com/y.png"></p>'
            "<pre>\n\nx\n</pre><pre>\ny\n</pre>")
    once = clean(html)
    assert clean(once) == once


def test_saved_content_keeps_only_images_from_media_url(db, settings, author):
    own = f"{settings.MEDIA_URL}images/2025/06/{'a' * 32}.png"
    article_id = services.article_save(
        author_id=author.id, title="t",
        content=f'<p>x</p><p><img src="{own}"></p><p><img src="https://elsewhere.example/y.png"></p>',
    )
    assert Article.objects.get(pk=article_id).content == f'<p>x</p><p><img src="{own}"></p><p></p>'


# --- abstracts ------------------------------------------------------------------------------------

def test_abstract_gains_no_space_where_inline_tags_were():
    assert abstract_of(content_sanitize("<p>正文内容，<b>加粗</b>。</p>")) == "正文内容，加粗。"
    assert abstract_of(content_sanitize("<p>un<em>believ</em>able <a href='https://x.example/'>link</a>s</p>")) == (
        "unbelievable links"
    )


def test_abstract_keeps_a_space_between_blocks():
    assert abstract_of(content_sanitize("<p>one</p><p>two</p>")) == "one two"
    assert abstract_of(content_sanitize("<h2>Title</h2><ul><li>a</li><li>b</li></ul>x<br>y")) == "Title a b x y"
    assert abstract_of(content_sanitize("<p>第一段</p><p>第二段</p>")) == "第一段 第二段"


def test_abstract_is_not_fooled_by_a_quoted_angle_bracket():
    html = content_sanitize(f'<p>a<img src="{LOCAL}x.png" alt="1 > 0">b</p>', image_base=LOCAL)
    assert abstract_of(html) == "ab"
