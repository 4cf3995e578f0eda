"""The rules for what an article may contain: title, sanitized HTML, abstract.

Pure functions, used by the services and by the HTML form's preview.
"""

import html
import re
from urllib.parse import urljoin, urlsplit

import nh3
from django.conf import settings
from django.utils.translation import gettext as _

from tinybook.exceptions import ApplicationError

# nh3's (ammonia's) default allowlist of tags and attributes: formatting, links, images,
# tables, code. No <script>/<style> (their text is dropped too), no on* attributes, no
# style attribute (CSS can overlay the page), and only these URL schemes.
TITLE_COLUMN_MAX = 255  # the VARCHAR length of Article.title and LiveArticle.title
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# A start or end tag as nh3 writes it (attribute values in double quotes, which may hold ">").
_TAG = re.compile(r'</?([A-Za-z][A-Za-z0-9]*)\b(?:[^>"]|"[^"]*")*>')
_IMG = re.compile(r'<img\b(?:[^>"]|"[^"]*")*>')
_IMG_START = re.compile(r"<im", re.IGNORECASE)
# Elements that break a line when rendered: between them the abstract needs a space.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd details div dl dt figcaption figure footer "
    "h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section summary table tbody td tfoot "
    "th thead tr ul".split()
)
# Never in a URL we wrote; a browser would still follow some of them ("/media\\..\\x").
_URL_ODDITIES = re.compile(r"[\\\s\x00-\x1f\x7f]")
_SPACE = re.compile(r"\s+")
# C0 controls except tab and newlines: invisible in a title and refused by some clients.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def title_clean(raw: str) -> str:
    title = _CONTROL.sub("", raw or "").translate(_LINE_BREAKS).strip()
    if not title:
        raise ApplicationError(_("title must not be empty"))
    # The column is VARCHAR(255): a larger setting must not turn into a database error.
    limit = min(settings.ARTICLE_TITLE_MAX, TITLE_COLUMN_MAX)
    if len(title) > limit:
        raise ApplicationError(_("title must be at most %(n)d characters") % {"n": limit})
    return title


def own_image(src: str, image_base: str) -> bool:
    """True when ``src`` is under ``image_base`` (MEDIA_URL: "/media/" or "https://cdn.example.com/").

    nh3 hands over decoded values ("&#47;&#47;evil" arrives as "//evil") and has already dropped
    schemes other than ALLOWED_URL_SCHEMES (``data:``, ``javascript:``).
    """
    if not src or not image_base or _URL_ODDITIES.search(src):
        return False
    if not src.startswith(image_base):
        return False
    if urlsplit(image_base).netloc:  # an absolute base, the CDN: the prefix names host and path
        return True
    # A relative base ("/media/"): the same site only; "//evil.example/media/x" is another host.
    origin = "https://site.invalid"
    return image_base != "/" and urljoin(origin + "/", src).startswith(origin + image_base)


def content_sanitize(raw: str, *, image_base: str | None = None) -> str:
    """Allowlisted HTML; links get rel=noopener noreferrer nofollow; images only from our own
    public base (``MEDIA_URL`` unless ``image_base`` is given).

    Idempotent: sanitizing the output again gives the same HTML (check_articles compares copies).
    """
    raw = raw or ""
    options = {"url_schemes": ALLOWED_URL_SCHEMES, "link_rel": "noopener noreferrer nofollow"}
    # The reader page sanitizes on every view, and the filter below is a Python call per
    # attribute: content that cannot hold an image (no "<img", nor "<image", which parsers
    # read as <img>) is cleaned without it, to the same result.
    images = _IMG_START.search(raw) is not None
    if images:
        base = settings.MEDIA_URL if image_base is None else image_base

        def attribute_filter(tag: str, attr: str, value: str):
            if tag == "img" and attr == "src":
                return value if own_image(value, base) else None
            return value

        options["attribute_filter"] = attribute_filter
    html = nh3.clean(raw, **options)
    if images:
        # An image from elsewhere lost its src above; drop the empty <img> itself.
        html = _IMG.sub(lambda m: m.group(0) if ' src="' in m.group(0) else "", html)
    # An HTML parser drops one newline right after <pre> and html5ever does not write it back, so
    # a code block whose first line is blank would lose that line on every save. nh3 writes <pre>
    # without attributes: this restores exactly what the parser took.
    return html.replace("<pre>\n", "<pre>\n\n")


def content_clean(raw: str) -> str:
    content = content_sanitize(raw)
    if len(content.encode("utf-8")) > settings.ARTICLE_CONTENT_MAX_BYTES:
        raise ApplicationError(
            _("content must be at most %(n)d KB") % {"n": settings.ARTICLE_CONTENT_MAX_BYTES // 1024}
        )
    return content


def abstract_of(sanitized: str) -> str:
    """First ARTICLE_ABSTRACT_LENGTH characters of the text, tags stripped, HTML-escaped.

    ``sanitized`` is nh3 output: well-formed, every literal ``<`` in text escaped and every
    attribute value double-quoted, so ``_TAG`` matches exactly the tags. A block element
    ("<p>one</p><p>two</p>") is a break between words and becomes a space; an inline one
    ("正文内容，<b>加粗</b>。") is not, and leaves nothing behind.
    """
    return html.escape(text_of(sanitized)[: settings.ARTICLE_ABSTRACT_LENGTH])


def text_of(sanitized: str) -> str:
    """The text of sanitized content, unescaped, tags stripped (block elements become spaces)."""
    text = _TAG.sub(lambda m: " " if m.group(1).lower() in _BLOCK_TAGS else "", sanitized)
    return _SPACE.sub(" ", html.unescape(text)).strip()
