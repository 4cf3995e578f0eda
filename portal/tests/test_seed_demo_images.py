"""seed_demo puts pictures in some articles, stored like uploads and served from our own base."""

import re
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from articles.models import LiveArticle
from tinybook.tests.media import stored_images

pytestmark = pytest.mark.django_db(transaction=True)


def test_some_demo_articles_have_a_picture_of_our_own(media, settings):
    call_command("seed_demo", "--users", "3", "--articles", "30", "--draft-ratio", "0", "--seed", "3", "-v", "0",
                 stdout=StringIO())
    srcs = {src for content in LiveArticle.objects.values_list("content", flat=True)
            for src in re.findall(r'<img src="([^"]+)"', content)}
    assert srcs and all(src.startswith(settings.MEDIA_URL) for src in srcs)
    names = {src[len(settings.MEDIA_URL):] for src in srcs}
    assert names <= set(stored_images()) and all(default_storage.size(n) > 0 for n in names)
