"""manage.py media_check [--fix]: images no article refers to, older than a day, listed and removed."""

import io
import os
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from articles import media, services
from articles.tests.imagefiles import png_bytes
from tinybook.storage import local_storage
from tinybook.tests.media import stored_images

pytestmark = pytest.mark.django_db


def uploaded(user_id: int) -> str:
    return media.image_upload(user_id=user_id, upload=SimpleUploadedFile("a.png", png_bytes()))


def media_check(*args) -> str:
    out = io.StringIO()
    call_command("media_check", *args, stdout=out)
    return out.getvalue()


def name_of(url, settings):
    return url[len(settings.MEDIA_URL):]


@pytest.fixture(params=["profile storage", "s3"])
def storage(request):
    """Each test runs on the profile's storage and on the fake S3."""
    return request.getfixturevalue("media" if request.param == "profile storage" else "s3_media")


@pytest.fixture
def local_media(settings, tmp_path):
    """Local files whose age a test can set."""
    settings.MEDIA_STORAGE, settings.MEDIA_ROOT, settings.MEDIA_URL = "local", str(tmp_path), "/media/"
    settings.STORAGES = {**settings.STORAGES, "default": local_storage(root=str(tmp_path), base_url="/media/")}
    return tmp_path


def test_only_images_no_article_refers_to_are_removed(storage, author, settings):
    in_draft, only_live, withdrawn, unused = (uploaded(author.id) for _ in range(4))
    services.article_save(author_id=author.id, title="draft", content=f'<p><img src="{in_draft}"></p>')
    live_id = services.article_publish(author_id=author.id, title="live", content=f'<p><img src="{only_live}"></p>')
    # edited after publishing: the draft no longer has the picture, the readers' copy still does
    services.article_save(author_id=author.id, article_id=live_id, title="live", content="<p>new text</p>")
    gone_id = services.article_publish(author_id=author.id, title="gone", content=f'<p><img src="{withdrawn}"></p>')
    services.article_withdraw(author_id=author.id, article_id=gone_id)

    # everything is younger than a day
    assert media_check().splitlines()[-1].startswith("0 unreferenced image(s) older than 86400 s")
    settings.MEDIA_CHECK_MIN_AGE = 0
    report = media_check()
    assert f"unreferenced: {name_of(unused, settings)}" in report
    assert "1 unreferenced image(s)" in report and "run with --fix" in report
    assert len(stored_images()) == 4  # listing removes nothing

    report = media_check("--fix")
    assert "removed 1" in report
    assert sorted(stored_images()) == sorted(name_of(u, settings) for u in (in_draft, only_live, withdrawn))
    assert media_check().splitlines()[-1].startswith("0 unreferenced")


def test_the_age_limit_is_a_day_by_default(local_media, author, settings):
    old, fresh = uploaded(author.id), uploaded(author.id)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(local_media / name_of(old, settings), (two_days_ago, two_days_ago))
    report = media_check("--fix")
    assert f"unreferenced: {name_of(old, settings)}" in report and name_of(fresh, settings) not in report
    assert not default_storage.exists(name_of(old, settings)) and default_storage.exists(name_of(fresh, settings))


def test_an_empty_storage_is_fine(local_media):
    assert media_check("--fix").startswith("0 unreferenced image(s)")
