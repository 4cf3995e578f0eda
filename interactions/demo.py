"""Demo data for ``manage.py seed_demo``: users, drafts and published articles, likes,
collects and reads, with every invariant the services keep.

Written with bulk inserts rather than one service call per row, on purpose: the services do
one transaction (and a few Redis round trips) per article or like, so 2,000 articles with
their likes would take minutes; this takes seconds (the benchmark seeds with it). What the
services guarantee is kept here by construction: a draft and its live copy share the id,
content is sanitized and the abstract derived as on save, each counter equals the rows it
counts, and the like ranking and the hot list are rebuilt through their own services.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from articles.content import abstract_of, content_clean
from articles.models import Article, ArticleStatus, LiveArticle
from interactions import services
from interactions.models import BIZ_ARTICLE, CollectedItem, Counter, Like
from users.models import User

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-Passw0rd!"  # noqa: S105 - an obviously fake password for a local demo account

_WORDS = (
    "river garden quiet morning letters city harbor winter light notes small kitchen station "
    "mountain paper lantern orchard bridge market island window cedar meadow compass signal "
    "weekend tea journey archive thread pattern season story field"
).split()
_NAMES = ("Ada", "Bo", "Chen", "Dana", "Eli", "Fang", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lin", "Mia", "Noor")
_SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu")


@dataclass
class Seeded:
    users: int = 0
    articles: int = 0
    published: int = 0
    likes: int = 0
    collects: int = 0
    reads: int = 0


def _title(rng: random.Random) -> str:
    words = rng.sample(_WORDS, rng.randint(3, 6))
    return " ".join(words).capitalize()


def _content(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(2, 6)):
        sentence = " ".join(rng.choices(_WORDS, k=rng.randint(12, 30))).capitalize() + "."
        paragraphs.append(f"<p>{sentence} <strong>{rng.choice(_WORDS)}</strong> {sentence}</p>")
    return "".join(paragraphs)


def demo_seed(*, users: int, articles: int, draft_ratio: float, max_likes: int, max_collects: int,
              max_reads: int, seed: int | None, batch_size: int, progress=None) -> Seeded:
    """Add demo data; ``progress(n)`` is told of every ``n`` rows written. One transaction."""
    rng = random.Random(seed)
    done = Seeded()
    tick = progress or (lambda n: None)
    now = timezone.now()
    password = make_password(DEMO_PASSWORD)  # hashed once: bcrypt for every user would take minutes
    with transaction.atomic():
        people = []
        if not User.objects.filter(email=DEMO_EMAIL).exists():
            people.append(User(email=DEMO_EMAIL, password=password, nickname="Demo"))
        start = User.objects.count()
        people += [
            User(email=f"reader{start + i}@example.com", password=password,
                 nickname=f"{rng.choice(_NAMES)} {rng.choice(_SURNAMES)}")
            for i in range(max(0, users - len(people)))
        ]
        for i in range(0, len(people), batch_size):
            User.objects.bulk_create(people[i : i + batch_size])
            tick(len(people[i : i + batch_size]))
        done.users = len(people)
        user_ids = list(User.objects.order_by("id").values_list("id", flat=True))

        for first in range(0, articles, batch_size):
            size = min(batch_size, articles - first)
            drafts, lives, counters, likes, collects = [], [], [], [], []
            for _ in range(size):
                content = content_clean(_content(rng))
                published = rng.random() >= draft_ratio
                # Spread over ten days: some inside the hot list's window, some outside.
                at = now - timedelta(hours=rng.uniform(0, 240))
                drafts.append(Article(author_id=rng.choice(user_ids), title=_title(rng), content=content,
                                      abstract=abstract_of(content), ctime=at, utime=at,
                                      status=ArticleStatus.PUBLISHED if published else ArticleStatus.UNPUBLISHED))
            Article.objects.bulk_create(drafts)  # ids set on the objects (MariaDB and SQLite alike)
            for draft in drafts:
                if draft.status != ArticleStatus.PUBLISHED:
                    continue
                lives.append(LiveArticle(id=draft.id, author_id=draft.author_id, title=draft.title,
                                         content=draft.content, abstract=draft.abstract, status=ArticleStatus.PUBLISHED,
                                         ctime=draft.ctime, utime=draft.utime, published_at=draft.ctime))
                # Skewed: most articles get a few likes, some get many (the hot list has a shape).
                fans = rng.sample(user_ids, min(len(user_ids), int(max_likes * rng.random() ** 2)))
                keepers = rng.sample(user_ids, min(len(user_ids), int(max_collects * rng.random() ** 2)))
                reads = rng.randint(len(fans), max(len(fans), max_reads))
                likes += [Like(user_id=u, biz=BIZ_ARTICLE, biz_id=draft.id, status=True) for u in fans]
                collects += [CollectedItem(user_id=u, biz=BIZ_ARTICLE, biz_id=draft.id) for u in keepers]
                counters.append(Counter(biz=BIZ_ARTICLE, biz_id=draft.id, read_cnt=reads, like_cnt=len(fans),
                                        collect_cnt=len(keepers)))
                done.likes += len(fans)
                done.collects += len(keepers)
                done.reads += reads
            LiveArticle.objects.bulk_create(lives)
            Counter.objects.bulk_create(counters)
            for rows, model in ((likes, Like), (collects, CollectedItem)):
                for i in range(0, len(rows), batch_size):
                    model.objects.bulk_create(rows[i : i + batch_size])
            done.articles += size
            done.published += len(lives)
            tick(size)
    services.like_ranking_rebuild(batch_size=batch_size)
    return done


def demo_needed() -> bool:
    """``--if-empty``: seed only a database with no user at all."""
    return not User.objects.exists()


def demo_account_exists() -> bool:
    return User.objects.filter(email=DEMO_EMAIL).exists()
