"""Where images go: S3-compatible storage (django-storages against moto's server) and local files
served by the site. Whatever the profile, the S3 tests here run against the fake S3 server."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles import images
from articles.tests.imagefiles import png_bytes
from conftest import login_client
from tinybook.checks import media_storage_check
from tinybook.storage import MediaSettingsError, local_base_check, public_base_check, s3_storage

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_an_upload_lands_in_the_bucket_and_readers_get_it_from_the_public_base(s3_media, user, settings):
    assert type(storages["default"]).__name__ == "S3Storage"
    data = png_bytes()
    resp = login_client(user).post("/articles/upload", {"file": ContentFile(data, name="a.png")}, format="multipart")
    url = resp.json()["data"]["url"]
    assert url.startswith(s3_media.public_base)
    key = url[len(s3_media.public_base):]
    obj = s3_media.client.get_object(Bucket="tinybook-media-test", Key=key)  # it is in the bucket
    assert obj["ContentType"] == "image/png"
    reader = requests.get(url, timeout=5)  # no credentials, as a browser behind the CDN
    assert reader.status_code == 200 and reader.content == obj["Body"].read()
    assert reader.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_content_type_follows_the_detected_format(s3_media):
    for ext, ctype in (("jpg", "image/jpeg"), ("webp", "image/webp"), ("gif", "image/gif")):
        name = default_storage.save(images.random_name(ext), ContentFile(b"x"))
        assert requests.get(default_storage.url(name), timeout=5).headers["Content-Type"] == ctype


def test_what_media_check_needs_from_s3(s3_media):
    name = default_storage.save(images.random_name("png"), ContentFile(png_bytes()))
    folder, base = name.rsplit("/", 1)
    assert base in default_storage.listdir(folder)[1]
    assert timedelta(0) <= timezone.now() - default_storage.get_modified_time(name) < timedelta(minutes=5)
    default_storage.delete(name)
    assert not default_storage.exists(name)
    assert requests.get(default_storage.url(name), timeout=5).status_code in (403, 404)


def test_a_key_prefix_in_the_bucket_is_part_of_the_public_url(s3_media, settings):
    options = s3_storage(endpoint_url=s3_media.endpoint, bucket="tinybook-media-test", access_key="k", secret_key="s",
                         region="us-east-1", public_base=s3_media.public_base, location="/site-a/")
    settings.STORAGES = {**settings.STORAGES, "default": options}
    name = default_storage.save(images.random_name("png"), ContentFile(png_bytes()))
    url = default_storage.url(name)
    assert url == f"{s3_media.public_base}site-a/{name}"
    assert requests.get(url, timeout=5).status_code == 200
    default_storage.delete(name)


def test_local_images_are_served_by_the_site_even_with_debug_off(settings, tmp_path):
    settings.DEBUG = False
    settings.MEDIA_STORAGE, settings.MEDIA_ROOT, settings.MEDIA_URL = "local", str(tmp_path), "/media/"
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(png_bytes())
    resp = Client().get("/media/images/a.png")
    assert resp.status_code == 200 and resp["Content-Type"] == "image/png"
    assert b"".join(resp.streaming_content) == png_bytes()
    for path in ("/media/images/", "/media/images/nope.png"):
        assert Client().get(path).status_code == 404, path
    (tmp_path.parent / "secret.txt").write_text("not for readers")
    for path in ("/media/../secret.txt", "/media/%2e%2e/secret.txt"):
        resp = Client().get(path)  # a path out of MEDIA_ROOT: refused as suspicious
        assert resp.status_code in (400, 404) and b"not for readers" not in resp.content, path
    settings.MEDIA_STORAGE = "s3"  # then readers get images from the bucket's base, not from us
    assert Client().get("/media/images/a.png").status_code == 404


# --- settings --------------------------------------------------------------------------------------

def test_the_public_base_must_be_a_url_for_s3_and_a_path_or_url_locally():
    with pytest.raises(MediaSettingsError):
        public_base_check("cdn.example.com")
    assert public_base_check("https://cdn.example.com/media") == "https://cdn.example.com/media/"
    opts = s3_storage(endpoint_url="", bucket="b", access_key="", secret_key="", region="",
                      public_base="https://cdn.example.com/media/")["OPTIONS"]
    assert (opts["url_protocol"], opts["custom_domain"], opts["endpoint_url"]) == ("https:", "cdn.example.com/media", None)
    assert local_base_check("/media") == "/media/"
    for bad in ("", "/", "//evil.example/", "media/"):
        with pytest.raises(MediaSettingsError):
            local_base_check(bad)


def _check(**overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(overrides)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_wrong_media_setting_stops_the_process():
    proc = _check(MEDIA_STORAGE="s3", MEDIA_PUBLIC_BASE="cdn.example.com")
    assert proc.returncode != 0 and "MEDIA_PUBLIC_BASE must be an http(s) URL" in proc.stderr
    proc = _check(MEDIA_STORAGE="ftp")
    assert proc.returncode != 0 and "MEDIA_STORAGE must be local or s3" in proc.stderr


def test_check_deploy_names_what_s3_storage_is_missing(settings):
    settings.MEDIA_STORAGE, settings.S3_BUCKET, settings.MEDIA_PUBLIC_BASE = "s3", "", ""
    [error] = media_storage_check()
    assert error.id == "tinybook.E001" and "S3_BUCKET and MEDIA_PUBLIC_BASE are not set" in error.msg
    settings.S3_BUCKET, settings.MEDIA_PUBLIC_BASE = "b", "https://cdn.example.com/"
    assert media_storage_check() == []
    settings.MEDIA_STORAGE = "local"
    assert [w.id for w in media_storage_check()] == ["tinybook.W001"]


def test_collectstatic_takes_the_vendored_editor_with_the_production_storage(settings, tmp_path):
    # The manifest storage fails on a missing file that a JS or CSS file refers to (Quill's
    # source maps); the vendored copy is complete.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    call_command("collectstatic", "--noinput", verbosity=0)
    names = {p.name for p in (tmp_path / "vendor" / "quill").iterdir()}
    assert {"quill.js", "quill.js.map", "quill.snow.css", "quill.snow.css.map", "LICENSE"} <= names
    assert any(n.startswith("quill.") and n.endswith(".js.gz") for n in names)
