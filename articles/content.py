"""The rules for what an article may contain: title, sanitized HTML, abstract.

Pure functions, used by the services and by the HTML form's preview.
"""

import html
import re

import nh3
from django.conf import settings
from django.utils.translation import gettext as _

from tinybook.exceptions import ApplicationError

# nh3's (ammonia's) default allowlist of tags and attributes: formatting, links, images,
# tables, code. No <script>/<style> (their text is dropped too), no on* attributes, no
# style attribute (CSS can overlay the page), and only these URL schemes.
TITLE_COLUMN_MAX = 255  # the VARCHAR length of Article.title and LiveArticle.title
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
_TAG = re.compile(r"<[^>]*>")
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


def content_sanitize(raw: str) -> str:
    """Allowlisted HTML; links get rel=noopener noreferrer nofollow."""
    return nh3.clean(
        raw or "",
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def content_clean(raw: str) -> str:
    content = content_sanitize(raw)
    if len(content.encode("utf-8")) > settings.ARTICLE_CONTENT_MAX_BYTES:
        raise ApplicationError(
            _("content must be at most %(n)d KB") % {"n": settings.ARTICLE_CONTENT_MAX_BYTES // 1024}
        )
    return content


def abstract_of(sanitized: str) -> str:
    """First ARTICLE_ABSTRACT_LENGTH characters of the text, tags stripped, HTML-escaped.

    ``sanitized`` is nh3 output: well-formed, with every literal ``<`` in text escaped,
    so removing ``<...>`` removes exactly the tags.
    """
    text = html.unescape(_TAG.sub(" ", sanitized))
    text = _SPACE.sub(" ", text).strip()
    return html.escape(text[: settings.ARTICLE_ABSTRACT_LENGTH])
