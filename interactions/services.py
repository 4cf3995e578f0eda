"""Writes: likes, collects, collection folders, read events, the like ranking.

Concurrency model (see docs/interactions.md): the counter row of an object exists before
any write transaction touches it (created in its own short transaction, the unique index
deciding races), and every write transaction locks that row first (``SELECT … FOR UPDATE``).
So all writers of one object serialize on one row, in one lock order, and the like/collect
row below it is never raced for: no duplicate-key deadlocks on MariaDB, counts exact.
"""

import hashlib
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from articles import selectors as articles
from interactions import cache
from interactions.models import BIZ_ARTICLE, CollectedItem, Collection, Counter, Like
from tinybook import kv
from tinybook.exceptions import ApplicationError, NotFoundError

logger = logging.getLogger(__name__)

DEFAULT_FOLDER = 0


def _ensure_live(biz: str, biz_id: int) -> None:
    if biz != BIZ_ARTICLE or not articles.article_is_live(article_id=biz_id):
        raise NotFoundError(_("article not found"))


def _counter_ensure(biz: str, biz_id: int) -> None:
    """Make sure the counter row exists, in its own transaction when we are not in one."""
    if Counter.objects.filter(biz=biz, biz_id=biz_id).exists():
        return
    try:
        with transaction.atomic():
            Counter.objects.create(biz=biz, biz_id=biz_id)
    except IntegrityError:
        pass  # someone else created it: that is all we needed


def _counter_lock(biz: str, biz_id: int) -> None:
    Counter.objects.select_for_update().filter(biz=biz, biz_id=biz_id).values_list("pk", flat=True).get()


def _counter_add(biz: str, biz_id: int, field: str, delta: int) -> None:
    expr = F(field) + delta if delta > 0 else Greatest(F(field) + delta, 0)
    Counter.objects.filter(biz=biz, biz_id=biz_id).update(**{field: expr})


def _after_commit_count(biz: str, biz_id: int, field: str, delta: int) -> None:
    def apply():
        cache.counts_incr(biz, biz_id, field, delta)
        if field == "like_cnt":
            cache.ranking_incr(biz, biz_id, delta)

    transaction.on_commit(apply)


def like_set(*, user_id: int, biz: str = BIZ_ARTICLE, biz_id: int, liked: bool) -> bool:
    """Like or take back a like. Idempotent; returns True when the state changed."""
    if liked:
        _ensure_live(biz, biz_id)
    elif not Like.objects.filter(user_id=user_id, biz=biz, biz_id=biz_id, status=True).exists():
        return False  # nothing to take back: no lock, no write
    _counter_ensure(biz, biz_id)
    with transaction.atomic():
        _counter_lock(biz, biz_id)
        row = Like.objects.filter(user_id=user_id, biz=biz, biz_id=biz_id).first()
        if liked:
            if row is None:
                Like.objects.create(user_id=user_id, biz=biz, biz_id=biz_id, status=True)
            elif not row.status:
                Like.objects.filter(pk=row.pk, status=False).update(status=True)
            else:
                return False
        else:
            if row is None or not Like.objects.filter(pk=row.pk, status=True).update(status=False):
                return False
        delta = 1 if liked else -1
        _counter_add(biz, biz_id, "like_cnt", delta)
        _after_commit_count(biz, biz_id, "like_cnt", delta)
    return True


def _folder(user_id: int, cid: int) -> Collection | None:
    if cid == DEFAULT_FOLDER:
        return None
    folder = Collection.objects.filter(pk=cid, owner_id=user_id).first()
    if folder is None:
        raise NotFoundError(_("collection not found"))
    return folder


def collect_set(*, user_id: int, biz: str = BIZ_ARTICLE, biz_id: int, collected: bool, cid: int = 0) -> bool:
    """Collect into folder ``cid`` (0: default; collecting again moves it) or remove the collect.

    Returns True when the collected state changed (a move alone does not change counts).
    """
    if collected:
        _ensure_live(biz, biz_id)
        folder = _folder(user_id, cid)
    elif not CollectedItem.objects.filter(user_id=user_id, biz=biz, biz_id=biz_id).exists():
        return False
    _counter_ensure(biz, biz_id)
    with transaction.atomic():
        _counter_lock(biz, biz_id)
        row = CollectedItem.objects.filter(user_id=user_id, biz=biz, biz_id=biz_id).first()
        if collected:
            if row is not None:
                if row.collection_id != (folder.pk if folder else None):
                    row.collection = folder
                    row.save(update_fields=["collection", "utime"])
                return False
            CollectedItem.objects.create(user_id=user_id, biz=biz, biz_id=biz_id, collection=folder)
        else:
            if row is None:
                return False
            row.delete()
        delta = 1 if collected else -1
        _counter_add(biz, biz_id, "collect_cnt", delta)
        _after_commit_count(biz, biz_id, "collect_cnt", delta)
    return True


# --- collection folders ----------------------------------------------------------------------

def _folder_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= settings.COLLECTION_NAME_MAX:
        raise ApplicationError(_("name must be 1 to %(n)d characters") % {"n": settings.COLLECTION_NAME_MAX})
    return name


def collection_create(*, user_id: int, name: str) -> int:
    name = _folder_name(name)
    if Collection.objects.filter(owner_id=user_id).count() >= settings.COLLECTIONS_PER_USER_MAX:
        raise ApplicationError(_("too many collections"))
    return Collection.objects.create(owner_id=user_id, name=name).pk


def collection_rename(*, user_id: int, collection_id: int, name: str) -> None:
    name = _folder_name(name)
    if not Collection.objects.filter(pk=collection_id, owner_id=user_id).update(name=name):
        raise NotFoundError(_("collection not found"))


def collection_delete(*, user_id: int, collection_id: int) -> None:
    """Delete a folder; its items move to the default folder (they stay collected)."""
    with transaction.atomic():
        folder = Collection.objects.select_for_update().filter(pk=collection_id, owner_id=user_id).first()
        if folder is None:
            raise NotFoundError(_("collection not found"))
        CollectedItem.objects.filter(collection=folder).update(collection=None)
        folder.delete()


# --- reads -------------------------------------------------------------------------------------

def viewer_key(*, user_id: int | None, ip: str, user_agent: str) -> str:
    """Who is reading: the user id, or a hash of IP and User-Agent for anonymous readers."""
    if user_id:
        return f"u{user_id}"
    return "a" + hashlib.sha256(f"{ip}\n{user_agent}".encode()).hexdigest()[:32]


def read_record(*, biz: str = BIZ_ARTICLE, biz_id: int, viewer: str) -> bool:
    """Record one read, once per viewer within READ_DEDUP_WINDOW. True when counted.

    The event goes to the Redis stream (applied by ``consume_events``) or, in the embedded
    profile (READ_EVENTS_INLINE), straight to the counter. If Redis cannot take it, the
    read is applied to the database at once rather than lost.
    """
    window = settings.READ_DEDUP_WINDOW
    try:
        conn = kv.client()
        if window > 0 and not conn.set(kv.read_seen_key(biz, biz_id, viewer), 1, nx=True, ex=window):
            return False
        if not settings.READ_EVENTS_INLINE:
            conn.xadd(
                kv.read_stream_key(),
                {"biz": biz, "id": str(biz_id)},
                maxlen=settings.READ_EVENTS_STREAM_MAXLEN,
                approximate=True,
            )
            return True
    except kv.REDIS_ERRORS as exc:
        logger.warning("read event could not go through Redis, applied to the database: %s", exc)
    reads_apply(counts={(biz, biz_id): 1})
    return True


def reads_apply(*, counts: dict[tuple[str, int], int]) -> None:
    """Add aggregated read counts to the counters (one transaction), then to the cache."""
    with transaction.atomic():
        _reads_add(counts)
        transaction.on_commit(lambda: _reads_cache(counts))


def _reads_add(counts: dict[tuple[str, int], int]) -> None:
    for biz, biz_id in sorted(counts):  # one lock order across batches
        n = counts[(biz, biz_id)]
        if not Counter.objects.filter(biz=biz, biz_id=biz_id).update(read_cnt=F("read_cnt") + n):
            try:
                with transaction.atomic():
                    Counter.objects.create(biz=biz, biz_id=biz_id, read_cnt=n)
            except IntegrityError:
                Counter.objects.filter(biz=biz, biz_id=biz_id).update(read_cnt=F("read_cnt") + n)


def _reads_cache(counts):
    for (biz, biz_id), n in counts.items():
        cache.counts_incr(biz, biz_id, "read_cnt", n)


# --- like ranking ------------------------------------------------------------------------------

def like_ranking_drop(*, biz: str = BIZ_ARTICLE, biz_id: int) -> None:
    """The object left the readers (an article withdrawn): out of the ranking at once."""
    cache.ranking_remove(biz, biz_id)


def like_ranking_rebuild(*, biz: str = BIZ_ARTICLE, batch_size: int, progress=None) -> int:
    """Rebuild the ranking from the counters, in keyset batches (bounded memory). Returns its size."""

    def batches():
        last = 0
        while True:
            rows = list(
                Counter.objects.filter(biz=biz, pk__gt=last, like_cnt__gt=0)
                .order_by("pk")
                .values_list("pk", "biz_id", "like_cnt")[:batch_size]
            )
            if not rows:
                return
            last = rows[-1][0]
            if progress:
                progress(len(rows))
            yield [(biz_id, n) for _pk, biz_id, n in rows]

    return cache.ranking_replace(biz, batches())
