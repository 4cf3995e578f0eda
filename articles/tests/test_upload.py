"""POST /articles/upload: an image in, its public URL out; every refusal is code 4 and stores nothing.

The storage is the profile's own (tinybook/tests/media.py): files under a temporary MEDIA_ROOT
served by the site in the embedded profile, a bucket of a local fake S3 server (moto) in the
services profile. Images are read back the way a reader's browser does.
"""

import io
import re

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from articles import media as media_services
from articles.tests.imagefiles import (
    ELF,
    HTML_AS_PNG,
    PE,
    SVG,
    encode,
    jpeg_with_gps,
    png_bytes,
    png_header_only,
    two_colour,
)
from conftest import login_client
from tinybook.exceptions import DependencyError
from tinybook.tests.media import stored_images

pytestmark = pytest.mark.django_db

URL_NAME = re.compile(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|webp|gif)")


def upload(client, data: bytes, name="photo.jpg", content_type="image/jpeg", **extra):
    return client.post("/articles/upload", {"file": SimpleUploadedFile(name, data, content_type=content_type)},
                       format="multipart", **extra)


def ok_url(resp) -> str:
    assert resp.status_code == 200, resp.content
    payload = resp.json()
    assert payload["code"] == 0 and payload["msg"] == "uploaded", payload
    return payload["data"]["url"]


def refused(resp, message: str) -> None:
    assert resp.status_code == 200, resp.content
    payload = resp.json()
    assert payload["code"] == 4, payload
    assert message in payload["msg"], payload


def fetch(url: str):
    """What a reader's browser gets for ``url``: (status, content type, cache control, body)."""
    if url.startswith("http"):
        resp = requests.get(url, timeout=5)  # the public base of the fake S3: no credentials
        return resp.status_code, resp.headers.get("Content-Type"), resp.headers.get("Cache-Control"), resp.content
    resp = Client().get(url)
    body = b"".join(resp.streaming_content) if resp.status_code == 200 else b""
    return resp.status_code, resp.get("Content-Type"), resp.get("Cache-Control"), body


@pytest.fixture
def member(user):
    return login_client(user)


def test_an_image_is_stored_re_encoded_under_a_random_name_and_readers_get_it(member, media, settings):
    url = ok_url(upload(member, jpeg_with_gps(), name="holiday-in-beijing.jpg"))
    assert url.startswith(settings.MEDIA_URL)
    name = url[len(settings.MEDIA_URL):]
    assert URL_NAME.fullmatch(name) and "holiday" not in url
    assert stored_images() == [name]
    status, content_type, cache, body = fetch(url)
    assert (status, content_type) == (200, "image/jpeg")
    assert cache == "public, max-age=31536000, immutable"
    picture = Image.open(io.BytesIO(body))
    assert picture.format == "JPEG" and picture.size == (640, 360)
    assert not picture.getexif() and b"GPS" not in body and b"FakeCam" not in body


def test_the_same_picture_twice_gets_two_names(member, media):
    first, second = (ok_url(upload(member, png_bytes(), name="a.png", content_type="image/png")) for _ in range(2))
    assert first != second and len(stored_images()) == 2


@pytest.mark.parametrize("fmt, ext", [("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif")])
def test_png_webp_and_gif_keep_their_format(member, media, fmt, ext):
    url = ok_url(upload(member, encode(two_colour(mode="RGB"), fmt), name="x.bin", content_type="application/octet-stream"))
    assert url.endswith(f".{ext}")


def test_the_editor_page_uploads_with_its_session_and_csrf_token(user, media):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    token = browser.get("/dashboard/articles/new").cookies["csrftoken"].value
    file = {"file": SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")}
    refused(browser.post("/articles/upload", file), "not allowed")  # no token: a forged request
    assert stored_images() == []
    file = {"file": SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")}
    resp = browser.post("/articles/upload", file, HTTP_X_CSRFTOKEN=token)
    assert ok_url(resp) and len(stored_images()) == 1


# --- refused: code 4, nothing stored ---------------------------------------------------------------

TEXT = b"Dear diary,\nnot a picture at all.\n"


@pytest.mark.parametrize(
    "data, name, content_type, message",
    [
        pytest.param(TEXT, "notes.txt", "text/plain", "not a JPEG, PNG, WebP or GIF", id="wrong-type-text"),
        pytest.param(encode(two_colour(), "BMP"), "old.bmp", "image/bmp", "not a JPEG, PNG, WebP or GIF",
                     id="wrong-type-bmp"),
        pytest.param(SVG, "logo.svg", "image/svg+xml", "not a JPEG, PNG, WebP or GIF", id="svg-with-a-script"),
        pytest.param(ELF, "photo.png", "image/png", "not a JPEG, PNG, WebP or GIF", id="renamed-executable-elf"),
        pytest.param(PE, "photo.jpg", "image/jpeg", "not a JPEG, PNG, WebP or GIF", id="renamed-executable-exe"),
        pytest.param(HTML_AS_PNG, "page.png", "image/png", "not a JPEG, PNG, WebP or GIF", id="html-named-png"),
        pytest.param(png_header_only(9_000, 9_000), "bomb.png", "image/png", "too many pixels",
                     id="too-many-pixels-bomb"),
        pytest.param(encode(Image.effect_noise((200, 200), 64).convert("RGB"), "JPEG")[:3000], "cut.jpg",
                     "image/jpeg", "damaged or incomplete", id="truncated"),
    ],
)
def test_what_is_not_a_usable_image_is_refused(member, media, data, name, content_type, message):
    refused(upload(member, data, name=name, content_type=content_type), message)
    assert stored_images() == []


def test_too_many_pixels_follows_the_setting(member, media, settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 10_000
    refused(upload(member, encode(two_colour((200, 100)), "PNG"), name="a.png"), "too many pixels")
    ok_url(upload(member, encode(two_colour((100, 100)), "PNG"), name="b.png"))
    assert len(stored_images()) == 1


def test_a_file_over_the_size_limit_is_refused(member, media, settings):
    noise = encode(Image.effect_noise((120, 120), 90).convert("RGB"), "PNG")
    settings.UPLOAD_IMAGE_MAX_BYTES = len(noise) - 1
    refused(upload(member, noise, name="big.png"), "larger than")
    assert stored_images() == []
    settings.UPLOAD_IMAGE_MAX_BYTES = len(noise)
    ok_url(upload(member, noise, name="fits.png"))


@pytest.mark.parametrize("logged_in_by", ["token", "session"])
def test_a_body_declared_too_large_is_refused_before_it_is_read(user, media, settings, logged_in_by):
    # The body says it is 10 GB and is a few bytes: answering "too large" (and not a parse
    # error about a short body) shows nothing read it, not even the session's CSRF check.
    client = login_client(user) if logged_in_by == "token" else Client(enforce_csrf_checks=True)
    if logged_in_by == "session":
        client.force_login(user)
    resp = client.generic("POST", "/articles/upload", b"--x\r\n", content_type="multipart/form-data; boundary=x",
                          CONTENT_LENGTH=str(10 * 1024**3))
    refused(resp, "larger than 5.0")
    assert stored_images() == []


def test_no_login_is_401_and_stores_nothing(media):
    # SPEC section 2: a route that needs login answers a bare 401 without a usable token, as
    # every member route does (issue 23 said "code 4"; the API contract wins).
    assert upload(APIClient(), png_bytes(), name="a.png").status_code == 401
    assert upload(APIClient(HTTP_AUTHORIZATION="Bearer null"), png_bytes(), name="a.png").status_code == 401
    assert Client().post("/articles/upload", {"file": SimpleUploadedFile("a.png", png_bytes())}).status_code == 401
    assert stored_images() == []


def test_uploads_over_the_rate_limit_are_refused(member, user, media, settings):
    settings.UPLOAD_IMAGE_RATE_LIMIT = 2
    for _ in range(2):
        ok_url(upload(member, png_bytes(), name="a.png"))
    refused(upload(member, png_bytes(), name="a.png"), "too many images uploaded")
    assert len(stored_images()) == 2
    # per user: someone else still may
    from users.tests.factories import UserFactory

    ok_url(upload(login_client(UserFactory.create()), png_bytes(), name="a.png"))


def test_a_body_that_is_not_multipart_is_refused(member, media):
    resp = member.post("/articles/upload", {"file": "aGVsbG8="}, format="json")
    refused(resp, "multipart/form-data")
    resp = member.generic("POST", "/articles/upload", b"--x\r\ngarbage", content_type="multipart/form-data; boundary=x")
    assert resp.json()["code"] == 4
    refused(member.post("/articles/upload", {"other": "x"}, format="multipart"), "file:")
    refused(upload(member, b"", name="empty.png"), "file:")
    assert stored_images() == []


def test_uploads_are_not_configured_without_a_bucket(member, media, settings):
    settings.MEDIA_STORAGE, settings.S3_BUCKET = "s3", ""
    refused(upload(member, png_bytes(), name="a.png"), "not configured")


def test_redis_down_refuses_uploads_with_code_5(user, media, redis_down):
    with pytest.raises(DependencyError):
        media_services.image_upload(user_id=user.id, upload=SimpleUploadedFile("a.png", png_bytes()))
    assert stored_images() == []


def test_outcomes_are_counted(member, media):
    def count(outcome):
        return REGISTRY.get_sample_value("tinybook_image_uploads_total", {"outcome": outcome}) or 0

    stored, not_image = count("stored"), count("not_image")
    ok_url(upload(member, png_bytes(), name="a.png"))
    upload(member, SVG, name="a.svg", content_type="image/svg+xml")
    assert (count("stored"), count("not_image")) == (stored + 1, not_image + 1)
