"""The new/edit page around the editor, without a browser: assets, settings, preview."""

import hashlib
import re
from pathlib import Path

import pytest

from articles.models import Article

ROOT = Path(__file__).resolve().parents[2]
QUILL = ROOT / "static" / "vendor" / "quill"
pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client, author):
    client.force_login(author)
    return client


def test_the_page_loads_the_vendored_editor_and_nothing_from_elsewhere(writer):
    html = writer.get("/dashboard/articles/new").content.decode()
    for asset in ("/static/vendor/quill/quill.js", "/static/vendor/quill/quill.snow.css",
                  "/static/js/editor.js", "/static/css/editor.css"):
        assert asset in html, asset
    assert not re.search(r'(src|href)="(https?:)?//', html), "no CDN"


def test_the_content_field_tells_the_editor_where_to_upload(writer, settings):
    html = writer.get("/dashboard/articles/new").content.decode()
    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    assert "data-editor" in textarea
    assert 'data-upload-url="/articles/upload"' in textarea
    assert f'data-image-base="{settings.MEDIA_URL}"' in textarea
    assert f'data-max-bytes="{settings.UPLOAD_IMAGE_MAX_BYTES}"' in textarea
    assert '<label for="id_content">Content</label>' in html  # no "(HTML)": nobody types HTML now
    assert re.search(r"<noscript>.*HTML is allowed", html, re.S)


def test_preview_shows_and_reloads_what_readers_will_see(writer, settings):
    own = f"{settings.MEDIA_URL}images/2025/06/{'b' * 32}.png"
    content = (f'<h2>Head</h2><ul><li>one</li></ul><p><img src="{own}"></p>'
               '<p><img src="https://elsewhere.example/x.png"></p>')
    html = writer.post("/dashboard/articles/new", {"title": "T", "content": content, "action": "preview"}).content.decode()
    preview = re.search(r'<div class="article-content" id="preview">(.*?)</div>', html, re.S).group(1)
    assert preview == f'<h2>Head</h2><ul><li>one</li></ul><p><img src="{own}"></p><p></p>'
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1)
    assert "elsewhere.example" not in textarea and "Head" in textarea  # the editor reloads the sanitized copy
    assert not Article.objects.exists()


def test_the_vendored_files_are_the_pinned_release_with_their_licences():
    sums = dict(reversed(line.split("  ")) for line in (QUILL / "SHA256SUMS").read_text().splitlines())
    assert {"quill.js", "quill.snow.css", "quill.js.map", "quill.snow.css.map", "LICENSE"} <= set(sums)
    for name, digest in sums.items():
        assert hashlib.sha256((QUILL / name).read_bytes()).hexdigest() == digest, name
    assert "Redistribution and use in source and binary forms" in (QUILL / "LICENSE").read_text()  # BSD-3
    third_party = (QUILL / "THIRD-PARTY-LICENSES.txt").read_text()
    for package in ("parchment", "quill-delta", "eventemitter3", "lodash-es", "fast-diff"):
        assert package in third_party, package
    assert "Quill Editor v2.0.3" in (QUILL / "quill.js.LICENSE.txt").read_text()
