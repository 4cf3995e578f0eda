"""Demo likes, collects and reads for ``manage.py seed_demo`` (portal).

Bulk inserts, keeping by construction what the services keep: each counter equals the rows
it counts (reads are at least the likes), and the like ranking is rebuilt through its service.
"""

import random
from dataclasses import dataclass

from interactions import services
from interactions.models import BIZ_ARTICLE, CollectedItem, Counter, Like


@dataclass
class Seeded:
    likes: int = 0
    collects: int = 0
    reads: int = 0


def demo_interactions_create(*, article_ids: list[int], user_ids: list[int], max_likes: int, max_collects: int,
                             max_reads: int, rng: random.Random, batch_size: int) -> Seeded:
    done = Seeded()
    counters, likes, collects = [], [], []
    for article_id in article_ids:
        # Skewed: most articles get a few likes, some get many (the hot list has a shape).
        fans = rng.sample(user_ids, min(len(user_ids), int(max_likes * rng.random() ** 2)))
        keepers = rng.sample(user_ids, min(len(user_ids), int(max_collects * rng.random() ** 2)))
        reads = rng.randint(len(fans), max(len(fans), max_reads))
        likes += [Like(user_id=u, biz=BIZ_ARTICLE, biz_id=article_id, status=True, counted=True)
                  for u in fans]
        collects += [CollectedItem(user_id=u, biz=BIZ_ARTICLE, biz_id=article_id) for u in keepers]
        counters.append(Counter(biz=BIZ_ARTICLE, biz_id=article_id, read_cnt=reads, like_cnt=len(fans),
                                collect_cnt=len(keepers)))
        done.likes += len(fans)
        done.collects += len(keepers)
        done.reads += reads
    Counter.objects.bulk_create(counters)
    for rows, model in ((likes, Like), (collects, CollectedItem)):
        for i in range(0, len(rows), batch_size):
            model.objects.bulk_create(rows[i : i + batch_size])
    return done


def demo_like_ranking_rebuild(*, batch_size: int) -> None:
    services.like_ranking_rebuild(batch_size=batch_size)
