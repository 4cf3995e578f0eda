"""A demo follow graph for ``manage.py seed_demo`` (portal).

Bulk inserts that keep what the services keep: each user's counters equal the follow rows.
Skewed like real graphs (a few authors are followed by many); the demo account follows
``max_followees`` authors so its "Following" feed is not empty. No inboxes are written: they
are a cache, built from the database at each reader's first feed read.
"""

import random
from collections import Counter as Tally

from relations.models import Follow, FollowCounter


def demo_follows_create(*, user_ids: list[int], max_followees: int, rng: random.Random, batch_size: int,
                        favoured_user_id: int | None = None, tick=None) -> int:
    """Add follows among ``user_ids`` (on top of any there are); returns how many were added."""
    tick = tick or (lambda n: None)
    if len(user_ids) < 2 or max_followees <= 0:
        return 0
    existing = set(Follow.objects.filter(follower_id__in=user_ids).values_list("follower_id", "followee_id"))
    # Popularity by rank: the first authors of a shuffled list are followed far more often.
    ranked = user_ids[:]
    rng.shuffle(ranked)
    weights = [1 / (rank + 1) for rank in range(len(ranked))]
    rows: list[Follow] = []
    followers: Tally = Tally()
    followees: Tally = Tally()
    for uid in user_ids:
        want = max_followees if uid == favoured_user_id else int(max_followees * rng.random())
        chosen = set(rng.choices(ranked, weights=weights, k=want)) - {uid}
        for other in chosen:
            if (uid, other) not in existing:
                rows.append(Follow(follower_id=uid, followee_id=other))
                followees[uid] += 1
                followers[other] += 1
        tick(1)
    for i in range(0, len(rows), batch_size):
        Follow.objects.bulk_create(rows[i : i + batch_size])
    touched = set(followers) | set(followees)
    FollowCounter.objects.bulk_create([FollowCounter(user_id=u) for u in touched], ignore_conflicts=True)
    counters = list(FollowCounter.objects.filter(user_id__in=touched))
    for c in counters:
        c.follower_cnt += followers[c.user_id]
        c.followee_cnt += followees[c.user_id]
    FollowCounter.objects.bulk_update(counters, ["follower_cnt", "followee_cnt"], batch_size=batch_size)
    return len(rows)
