"""Demo articles for ``manage.py seed_demo`` (portal): drafts and their live copies.

Bulk inserts rather than ``article_publish`` per article (one transaction and a few Redis
round trips each: 2,000 articles would take minutes). What the services guarantee is kept by
construction: a draft and its live copy share the id, content is sanitized and the abstract
derived as on save.
"""

import io
import random
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from articles import images, media
from articles.content import abstract_of, content_clean
from articles.models import Article, ArticleStatus, LiveArticle

_WORDS = (
    "river garden quiet morning letters city harbor winter light notes small kitchen station "
    "mountain paper lantern orchard bridge market island window cedar meadow compass signal "
    "weekend tea journey archive thread pattern season story field"
).split()


def _title(rng: random.Random) -> str:
    words = rng.sample(_WORDS, rng.randint(3, 6))
    return " ".join(words).capitalize()


def _content(rng: random.Random, image_urls: list[str]) -> str:
    paragraphs = []
    for _ in range(rng.randint(2, 6)):
        sentence = " ".join(rng.choices(_WORDS, k=rng.randint(12, 30))).capitalize() + "."
        paragraphs.append(f"<p>{sentence} <strong>{rng.choice(_WORDS)}</strong> {sentence}</p>")
    if image_urls and rng.random() < 0.3:  # some articles have a picture after their first paragraph
        paragraphs.insert(1, f'<p><img src="{rng.choice(image_urls)}"></p>')
    return "".join(paragraphs)


def _picture(rng: random.Random) -> bytes:
    """A landscape of soft bands and a sun, in a random palette."""
    width, height = 960, 540
    sky, land = [tuple(rng.randint(40, 230) for _ in range(3)) for _ in range(2)]
    im = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(im)
    for band in range(6):
        shade = tuple(max(0, c - band * 18) for c in land)
        top = height // 2 + band * 45 + rng.randint(-20, 20)
        draw.polygon([(0, top + rng.randint(-30, 30)), (width, top + rng.randint(-30, 30)), (width, height), (0, height)],
                     fill=shade)
    x, y, r = rng.randint(100, width - 100), rng.randint(60, height // 2 - 40), rng.randint(30, 70)
    draw.ellipse([x - r, y - r, x + r, y + r], fill=(250, 204, 21))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def demo_images_create(*, count: int, rng: random.Random) -> list[str]:
    """``count`` pictures stored like uploads (same checks, random names); their public URLs.
    None when uploads are not configured (S3 without a bucket)."""
    if not media.media_configured():
        return []
    urls = []
    for _ in range(count):
        clean = images.clean_image(
            _picture(rng), max_bytes=settings.UPLOAD_IMAGE_MAX_BYTES, max_pixels=settings.UPLOAD_IMAGE_MAX_PIXELS,
            max_frames=settings.UPLOAD_IMAGE_MAX_FRAMES, max_side=settings.UPLOAD_IMAGE_MAX_SIDE,
        )
        name = default_storage.save(images.random_name(clean.ext, prefix=media.IMAGES_DIR), ContentFile(clean.data))
        urls.append(default_storage.url(name))
    return urls


def demo_articles_create(*, count: int, author_ids: list[int], draft_ratio: float, rng: random.Random,
                         image_urls: list[str] = ()) -> list[int]:
    """``count`` articles by random authors, a ``draft_ratio`` share left as drafts, some with
    one of ``image_urls``; returns the ids of the published ones. Publication times spread over
    ten days: some inside the hot list's window, some outside."""
    now = timezone.now()
    drafts = []
    image_urls = list(image_urls)
    for _ in range(count):
        content = content_clean(_content(rng, image_urls))
        published = rng.random() >= draft_ratio
        at = now - timedelta(hours=rng.uniform(0, 240))
        drafts.append(Article(author_id=rng.choice(author_ids), title=_title(rng), content=content,
                              abstract=abstract_of(content), ctime=at, utime=at,
                              status=ArticleStatus.PUBLISHED if published else ArticleStatus.UNPUBLISHED))
    Article.objects.bulk_create(drafts)  # ids set on the objects (MariaDB and SQLite alike)
    lives = [
        LiveArticle(id=d.id, author_id=d.author_id, title=d.title, content=d.content, abstract=d.abstract,
                    status=ArticleStatus.PUBLISHED, ctime=d.ctime, utime=d.utime, published_at=d.ctime)
        for d in drafts if d.status == ArticleStatus.PUBLISHED
    ]
    LiveArticle.objects.bulk_create(lives)
    return [live.id for live in lives]
