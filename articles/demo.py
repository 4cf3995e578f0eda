"""Demo articles for ``manage.py seed_demo`` (portal): drafts and their live copies.

Bulk inserts rather than ``article_publish`` per article (one transaction and a few Redis
round trips each: 2,000 articles would take minutes). What the services guarantee is kept by
construction: a draft and its live copy share the id, content is sanitized and the abstract
derived as on save.
"""

import random
from datetime import timedelta

from django.utils import timezone

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


def _content(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(2, 6)):
        sentence = " ".join(rng.choices(_WORDS, k=rng.randint(12, 30))).capitalize() + "."
        paragraphs.append(f"<p>{sentence} <strong>{rng.choice(_WORDS)}</strong> {sentence}</p>")
    return "".join(paragraphs)


def demo_articles_create(*, count: int, author_ids: list[int], draft_ratio: float, rng: random.Random) -> list[int]:
    """``count`` articles by random authors, a ``draft_ratio`` share left as drafts; returns
    the ids of the published ones. Publication times spread over ten days: some inside the
    hot list's window, some outside."""
    now = timezone.now()
    drafts = []
    for _ in range(count):
        content = content_clean(_content(rng))
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
