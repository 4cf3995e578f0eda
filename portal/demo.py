"""Demo data for ``manage.py seed_demo``: users, drafts and published articles, likes, collects
and reads. Each app writes its own rows (``<app>/demo.py``); this puts them together in one
transaction, batch by batch, then rebuilds the like ranking through its service."""

import random
from dataclasses import dataclass

from django.db import transaction

from articles.demo import demo_articles_create, demo_images_create
from interactions.demo import demo_interactions_create, demo_like_ranking_rebuild
from relations.demo import demo_follows_create
from rewards.demo import demo_rewards_create
from users.demo import demo_account_id, demo_user_ids, demo_users_create

# Published articles the demo rewards are drawn from (a bound: the ids are kept in memory).
_REWARD_CANDIDATES = 5000

DEMO_IMAGES = 4  # pictures shared by the demo articles that have one


@dataclass
class Seeded:
    users: int = 0
    articles: int = 0
    published: int = 0
    likes: int = 0
    collects: int = 0
    reads: int = 0
    rewards: int = 0
    follows: int = 0


def demo_seed(*, users: int, articles: int, draft_ratio: float, max_likes: int, max_collects: int,
              max_reads: int, seed: int | None, batch_size: int, progress=None, rewards: int = 0,
              max_follows: int = 0) -> Seeded:
    """Add demo data; ``progress(n)`` is told of every ``n`` rows written. One transaction."""
    rng = random.Random(seed)
    done = Seeded()
    tick = progress or (lambda n: None)
    image_urls = demo_images_create(count=DEMO_IMAGES, rng=rng) if articles else []  # files: no transaction
    with transaction.atomic():
        done.users = demo_users_create(count=users, rng=rng, batch_size=batch_size, tick=tick)
        user_ids = demo_user_ids()
        live_ids: list[int] = []  # a few published articles to reward
        for first in range(0, articles, batch_size):
            size = min(batch_size, articles - first)
            published = demo_articles_create(count=size, author_ids=user_ids, draft_ratio=draft_ratio, rng=rng,
                                             image_urls=image_urls)
            counted = demo_interactions_create(
                article_ids=published, user_ids=user_ids, max_likes=max_likes, max_collects=max_collects,
                max_reads=max_reads, rng=rng, batch_size=batch_size,
            )
            done.articles += size
            done.published += len(published)
            done.likes += counted.likes
            done.collects += counted.collects
            done.reads += counted.reads
            live_ids += published[: max(0, _REWARD_CANDIDATES - len(live_ids))]
            tick(size)
        done.follows = demo_follows_create(user_ids=user_ids, max_followees=max_follows, rng=rng,
                                           batch_size=batch_size, favoured_user_id=demo_account_id(), tick=tick)
        done.rewards = demo_rewards_create(article_ids=live_ids, user_ids=user_ids, count=rewards, rng=rng,
                                           favoured_author_id=demo_account_id())
    demo_like_ranking_rebuild(batch_size=batch_size)
    return done
