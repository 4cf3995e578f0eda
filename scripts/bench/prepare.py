"""Bench fixtures, run inside the bench's services environment (``python scripts/bench/prepare.py``).

Picks what the scenarios need from the ``seed_demo`` data — published article ids and users —
opens one real login session per user (tokens bound to the bench's User-Agent), computes the
hot list once, and prints it all as one JSON object on stdout.

``check-likes`` (second form) compares, after the like scenario, every counter with the live
like rows, the counts cache and the like ranking, and prints a JSON verdict.
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinybook.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from articles.models import ArticleStatus, LiveArticle  # noqa: E402
from interactions import cache as counts_cache  # noqa: E402
from interactions.models import BIZ_ARTICLE, Counter, Like  # noqa: E402
from ranking import services as ranking  # noqa: E402
from users.models import User  # noqa: E402
from users.services import session_start  # noqa: E402

UA = "tinybook-bench/1.0"


def prepare(n_articles: int, n_users: int) -> dict:
    ids = list(
        LiveArticle.objects.filter(status=ArticleStatus.PUBLISHED).order_by("-published_at").values_list("id", flat=True)[
            :n_articles
        ]
    )
    if not ids:
        raise SystemExit("no published articles: seed_demo did not run")
    users = list(User.objects.order_by("id").values_list("id", flat=True)[:n_users])
    tokens = [session_start(user_id=uid, user_agent=UA)[0] for uid in users]
    outcome = ranking.hot_list_refresh(trigger="command")
    # The feed scenario's readers: the bench users who follow the most authors (5 at least).
    from django.db.models import Count  # noqa: PLC0415

    from relations.models import Follow  # noqa: PLC0415

    following = (Follow.objects.filter(follower_id__in=users).values("follower_id")
                 .annotate(n=Count("id")).filter(n__gte=5).order_by("-n").values_list("follower_id", flat=True)[:50])
    feed_tokens = [tokens[users.index(uid)] for uid in following]
    return {"article_ids": ids, "user_ids": users, "tokens": tokens, "feed_tokens": feed_tokens, "hot": str(outcome)}


def check_likes(article_id: int, wait: float = 30.0) -> dict:
    """Counter == live like rows == counts cache == ranking score, for the liked article.

    The counter follows the like records through the bench's running ``consume_events``: wait
    (up to ``wait`` seconds) until it has taken in every changed record.
    """
    deadline = time.monotonic() + wait
    while Like.objects.filter(pending=True).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    rows = Like.objects.filter(biz=BIZ_ARTICLE, biz_id=article_id, status=True).aggregate(n=Count("id"))["n"]
    counter = Counter.objects.filter(biz=BIZ_ARTICLE, biz_id=article_id).values_list("like_cnt", flat=True).first() or 0
    cached = counts_cache.counts_get_many(BIZ_ARTICLE, [article_id]).get(article_id, {}).get("like_cnt")
    top = dict(counts_cache.ranking_top(BIZ_ARTICLE, 0, -1) or [])
    ranked = top.get(article_id, 0)
    pending = Like.objects.filter(pending=True).count()
    exact = pending == 0 and rows == counter and (cached is None or cached == counter) and ranked == counter
    return {"like_rows": rows, "pending": pending, "counter": counter, "cache": cached, "ranking": ranked, "exact": exact}


def seed_comments(article_id: int, n: int) -> dict:
    """``n`` comments on one article for the comment-listing scenario: roots, and two replies
    under each of the newest 25 (the first page shows replies); the counter exact. Nothing
    when it has them already (``--reuse``)."""
    from django.db.models import Count as Cnt

    from comments.models import Comment, CommentCounter

    mine = Comment.objects.filter(biz=BIZ_ARTICLE, biz_id=article_id)
    if mine.count() < n:
        mine.delete()
        users = list(User.objects.order_by("id").values_list("id", flat=True)[:200])
        replies = 50
        Comment.objects.bulk_create([Comment(user_id=users[i % len(users)], biz=BIZ_ARTICLE, biz_id=article_id,
                                             content=f"bench comment {i}\nsecond line") for i in range(n - replies)],
                                    batch_size=1000)
        roots = list(mine.order_by("-id")[: replies // 2])
        Comment.objects.bulk_create([Comment(user_id=users[(r.pk + k) % len(users)], biz=BIZ_ARTICLE, biz_id=article_id,
                                             root_id=r.pk, parent_id=r.pk, reply_to_user_id=r.user_id,
                                             content=f"reply {k}") for r in roots for k in range(2)])
        for root_id, c in mine.filter(root__isnull=False).values("root_id").annotate(c=Cnt("id")).values_list(
                "root_id", "c"):
            Comment.objects.filter(pk=root_id).update(reply_cnt=c)
        CommentCounter.objects.filter(biz=BIZ_ARTICLE, biz_id=article_id).delete()
        CommentCounter.objects.create(biz=BIZ_ARTICLE, biz_id=article_id, cnt=mine.count(), version=1)
    return {"article_id": article_id, "comments": mine.count()}


def check_comments(article_id: int) -> dict:
    """The counter == the visible comments, after the posting scenario."""
    from comments.models import Comment, CommentCounter

    rows = Comment.objects.filter(biz=BIZ_ARTICLE, biz_id=article_id, deleted=False).count()
    counter = CommentCounter.objects.filter(biz=BIZ_ARTICLE, biz_id=article_id).values_list("cnt", flat=True).first()
    return {"comments": rows, "counter": counter, "exact": rows == counter}


if __name__ == "__main__":
    if sys.argv[1:2] == ["check-likes"]:
        print(json.dumps(check_likes(int(sys.argv[2]))))
    elif sys.argv[1:2] == ["seed-comments"]:
        print(json.dumps(seed_comments(int(sys.argv[2]), int(sys.argv[3]))))
    elif sys.argv[1:2] == ["check-comments"]:
        print(json.dumps(check_comments(int(sys.argv[2]))))
    else:
        print(json.dumps(prepare(int(sys.argv[1]), int(sys.argv[2]))))
