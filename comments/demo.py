"""Demo comment threads for ``manage.py seed_demo`` (portal).

Bulk inserts keeping by construction what the services keep: each counter equals the visible
comments, each root's ``reply_cnt`` its replies.
"""

import random

from comments.models import BIZ_ARTICLE, Comment, CommentCounter

_ROOTS = (
    "Thanks for writing this up, it helped.",
    "I tried this and it worked on the first go.",
    "Could you say more about the second part?",
    "Interesting: I had always done it the other way.",
    "Bookmarked.\nI will come back to this one.",
)
_REPLIES = (
    "Same here.",
    "Good question, I wondered too.",
    "Agreed.",
    "Which version did you use?",
)


def demo_comments_create(*, article_ids: list[int], user_ids: list[int], max_threads: int,
                         rng: random.Random) -> int:
    """Up to ``max_threads`` threads on some of ``article_ids``, each with a few replies;
    returns the comments written."""
    if not user_ids or max_threads <= 0:
        return 0
    written = 0
    counters = []
    for article_id in article_ids:
        threads = int(max_threads * rng.random() ** 2)
        if not threads:
            continue
        roots = Comment.objects.bulk_create([
            Comment(user_id=rng.choice(user_ids), biz=BIZ_ARTICLE, biz_id=article_id, content=rng.choice(_ROOTS))
            for _ in range(threads)
        ])
        if any(r.pk is None for r in roots):  # a backend without RETURNING: read the ids back
            roots = list(Comment.objects.filter(biz=BIZ_ARTICLE, biz_id=article_id, root__isnull=True).order_by("id"))
        replies = []
        for root in roots:
            for _ in range(rng.randint(0, 4)):
                replies.append(Comment(user_id=rng.choice(user_ids), biz=BIZ_ARTICLE, biz_id=article_id,
                                       root_id=root.pk, parent_id=root.pk, reply_to_user_id=root.user_id,
                                       content=rng.choice(_REPLIES)))
                root.reply_cnt += 1
        Comment.objects.bulk_create(replies)
        Comment.objects.bulk_update(roots, ["reply_cnt"])
        counters.append(CommentCounter(biz=BIZ_ARTICLE, biz_id=article_id, cnt=len(roots) + len(replies)))
        written += len(roots) + len(replies)
    CommentCounter.objects.bulk_create(counters)
    return written
