"""Reads: counts (cache first), the viewer's likes and collects, lists, the like ranking."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.db.models import Count, Q, Sum, Value
from django.utils.translation import get_language

from articles import selectors as articles
from articles.items import article_item
from interactions import cache
from interactions.models import BIZ_ARTICLE, CollectedItem, Collection, Counter, Like
from tinybook.exceptions import NotFoundError

logger = logging.getLogger(__name__)

@dataclass(frozen=True)
class Stats:
    read_cnt: int = 0
    like_cnt: int = 0
    collect_cnt: int = 0
    liked: bool = False
    collected: bool = False


def counts_many(*, biz: str = BIZ_ARTICLE, biz_ids: list[int]) -> dict[int, dict[str, int]]:
    """Counts of each id: one Redis round trip, one query for the misses (then cached whole)."""
    biz_ids = list(dict.fromkeys(biz_ids))
    found = cache.counts_get_many(biz, biz_ids)
    missing = [i for i in biz_ids if i not in found]
    if missing:
        loaded = {i: dict.fromkeys(cache.FIELDS, 0) for i in missing}
        for row in Counter.objects.filter(biz=biz, biz_id__in=missing).values("biz_id", *cache.FIELDS):
            loaded[row["biz_id"]] = {f: row[f] for f in cache.FIELDS}
        # Likes the counters have not taken in yet (the consumer applies them in batches): the
        # cache starts from the live count, as the like ranking does.
        for biz_id, n in pending_likes(biz=biz, biz_ids=missing).items():
            loaded[biz_id]["like_cnt"] = max(0, loaded[biz_id]["like_cnt"] + n)
        cache.counts_fill_many(biz, loaded)
        found.update(loaded)
    return found


def pending_likes(*, biz: str, biz_ids: list[int]) -> dict[int, int]:
    """What the like counters of ``biz_ids`` do not include yet: ``status - counted`` summed over
    their pending like rows (one query). ``like_cnt`` + this is the live count."""
    out: dict[int, int] = {}
    for biz_id, status, counted in Like.objects.filter(pending=True, biz=biz, biz_id__in=biz_ids).values_list(
            "biz_id", "status", "counted"):
        if status != counted:
            out[biz_id] = out.get(biz_id, 0) + (1 if status else -1)
    return out


def counts_sum(*, biz: str = BIZ_ARTICLE, biz_ids) -> dict[str, int]:
    """Summed counts of ``biz_ids`` (a list or an id subquery): from the counters, plus the like
    changes they have not taken in yet; two queries."""
    sums = Counter.objects.filter(biz=biz, biz_id__in=biz_ids).aggregate(**{f: Sum(f) for f in cache.FIELDS})
    totals = {f: sums[f] or 0 for f in cache.FIELDS}
    # + the like changes the counters have not taken in yet (one query on the pending index)
    pending = Like.objects.filter(pending=True, biz=biz, biz_id__in=biz_ids).aggregate(
        up=Count("id", filter=Q(status=True, counted=False)), down=Count("id", filter=Q(status=False, counted=True)))
    totals["like_cnt"] = max(0, totals["like_cnt"] + pending["up"] - pending["down"])
    return totals


def _viewer_marks(biz: str, biz_ids: list[int], user_id: int | None) -> tuple[set[int], set[int]]:
    """Which ids the viewer liked and collected: one query (a UNION).

    The marks are a nicety on a page the cache can serve: with the database away the viewer
    is served like an anonymous reader (nothing marked) instead of failing.
    """
    if not user_id or not biz_ids:
        return set(), set()
    try:
        return _viewer_marks_query(biz, biz_ids, user_id)
    except DatabaseError as exc:
        logger.warning("viewer marks unavailable (database: %s); served unmarked", type(exc).__name__)
        return set(), set()


def _viewer_marks_query(biz: str, biz_ids: list[int], user_id: int) -> tuple[set[int], set[int]]:
    liked = Like.objects.filter(user_id=user_id, biz=biz, biz_id__in=biz_ids, status=True).annotate(
        kind=Value("l")).values_list("biz_id", "kind")
    collected = CollectedItem.objects.filter(user_id=user_id, biz=biz, biz_id__in=biz_ids).annotate(
        kind=Value("c")).values_list("biz_id", "kind")
    rows = list(liked.union(collected, all=True))
    return {i for i, k in rows if k == "l"}, {i for i, k in rows if k == "c"}


def interaction_stats(*, biz: str = BIZ_ARTICLE, biz_id: int, user_id: int | None,
                      cached: dict[str, int] | None = None) -> Stats:
    """Stats of one object; ``cached``: its counts as just read from the cache, if they were there."""
    if cached is None:
        return interaction_stats_many(biz=biz, biz_ids=[biz_id], user_id=user_id)[biz_id]
    liked, collected = _viewer_marks(biz, [biz_id], user_id)
    return Stats(**cached, liked=biz_id in liked, collected=biz_id in collected)


def interaction_stats_many(*, biz: str = BIZ_ARTICLE, biz_ids: list[int], user_id: int | None) -> dict[int, Stats]:
    counts = counts_many(biz=biz, biz_ids=biz_ids)
    liked, collected = _viewer_marks(biz, biz_ids, user_id)
    return {i: Stats(**counts[i], liked=i in liked, collected=i in collected) for i in counts}


def liked_ids(*, user_id: int, biz: str = BIZ_ARTICLE, offset: int, limit: int) -> list[int]:
    """My liked ids, most recently liked first."""
    return list(
        Like.objects.filter(user_id=user_id, biz=biz, status=True)
        .order_by("-utime", "-id")
        .values_list("biz_id", flat=True)[offset : offset + limit]
    )


def collected_ids(*, user_id: int, biz: str = BIZ_ARTICLE, offset: int, limit: int,
                  collection_id: int | None = None) -> list[int]:
    """My collected ids, most recently collected first; in one folder when ``collection_id`` is given
    (0: the default folder). Someone else's folder is "not found"."""
    qs = CollectedItem.objects.filter(user_id=user_id, biz=biz)
    if collection_id is not None:
        if collection_id == 0:
            qs = qs.filter(collection__isnull=True)
        elif not Collection.objects.filter(pk=collection_id, owner_id=user_id).exists():
            raise NotFoundError()
        else:
            qs = qs.filter(collection_id=collection_id)
    return list(qs.order_by("-utime", "-id").values_list("biz_id", flat=True)[offset : offset + limit])


@dataclass(frozen=True)
class Folder:
    id: int
    name: str
    count: int
    ctime: object = None


def collection_list(*, user_id: int, biz: str = BIZ_ARTICLE) -> list[Folder]:
    """My folders, the default one (id 0) first, each with its item count."""
    default_count = CollectedItem.objects.filter(user_id=user_id, biz=biz, collection__isnull=True).count()
    folders = [Folder(id=0, name="", count=default_count)]
    for c in Collection.objects.filter(owner_id=user_id).annotate(n=Count("items")).order_by("ctime", "id"):
        folders.append(Folder(id=c.pk, name=c.name, count=c.n, ctime=c.ctime))
    return folders


# --- like ranking --------------------------------------------------------------------------------

def _like_ranking_compute(biz: str, n: int, *, from_db: bool = False) -> list[dict]:
    items: list[dict] = []
    start, scanned = 0, 0
    while len(items) < n:
        # Ask for a little more than needed: withdrawn articles may still be in the set.
        page = None if from_db else cache.ranking_top(biz, start, start + 2 * n - 1)
        if page is None:  # Redis down or the set not built: the database answers (the counter index by likes)
            page = list(Counter.objects.filter(biz=biz, like_cnt__gt=0).order_by("-like_cnt", "biz_id")
                        .values_list("biz_id", "like_cnt")[start : start + 2 * n])
        if not page:
            break
        start += len(page)
        scanned += len(page)
        live = articles.articles_live_by_ids(ids=[i for i, _n in page])
        counts = counts_many(biz=biz, biz_ids=[i for i, _n in page if i in live])
        for biz_id, _likes in page:
            if biz_id in live and len(items) < n:
                items.append(article_item(live[biz_id], counts[biz_id]))
        if scanned >= settings.LIKE_RANKING_MAX_SCAN:
            break
    return items


_UNREAD = object()


def like_ranking(*, n: int, biz: str = BIZ_ARTICLE, state=_UNREAD) -> list[dict]:
    """Top ``n`` live articles by likes, through a short in-process cache (LIKE_RANKING_LOCAL_TTL).

    ``state``: ``cache.ranking_state`` if the caller already read it. While the ranking is not
    built (Redis lost it, ``interactions.services.like_ranking_top`` rebuilds it) the database
    answers.
    """
    local = caches["local"]
    # One small read: a copy made before an article was withdrawn (generation bumped) is never
    # served again, in any process. Redis away: the last copy of this process, if any.
    generation, built = cache.ranking_state(biz) if state is _UNREAD else state
    key = f"like-ranking:{biz}:{n}:{get_language()}"  # author names are in the reader's language
    copy = local.get(key)
    if copy is not None and (generation is None or copy[0] == generation):
        return copy[1]
    items = _like_ranking_compute(biz, n, from_db=built is False)
    local.set(key, (generation, items), settings.LIKE_RANKING_LOCAL_TTL)
    return items


def like_counts_many(*, biz: str = BIZ_ARTICLE, biz_ids: list[int]) -> dict[int, int]:
    """Like counts straight from the database, for batch jobs (the hot list).

    Unlike ``counts_many`` it neither reads nor fills the Redis hashes: a job walking a
    million articles must not load a million hashes into Redis. Ids without a counter
    row are absent (callers treat them as 0). Likes the counters have not taken in yet are added.
    """
    counts = dict(Counter.objects.filter(biz=biz, biz_id__in=biz_ids).values_list("biz_id", "like_cnt"))
    for biz_id, n in pending_likes(biz=biz, biz_ids=biz_ids).items():  # not in the counters yet
        counts[biz_id] = max(0, counts.get(biz_id, 0) + n)
    return counts
