"""Writes: likes, collects, collection folders, read events, the like ranking.

Concurrency model (see docs/interactions.md). Likes: a like writes its own record only (one
statement, no counter lock) and marks it pending; ``likes_apply`` moves the counters over
pending records in batches, exactly once per change. Collects: the counter row of an object
exists before any write transaction touches it (created in its own short transaction, the
unique index deciding races), and every collect transaction locks that row first
(``SELECT … FOR UPDATE``), so collects of one object serialize on one row, in one lock order,
and the collect row below it is never raced for: no duplicate-key deadlocks on MariaDB.
"""

import functools
import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.constants import OnConflict
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import selectors as articles
from interactions import cache, metrics, selectors
from interactions.models import BIZ_ARTICLE, CollectedItem, Collection, Counter, Like
from tinybook import kv, tracing
from tinybook.exceptions import ApplicationError, NotFoundError

logger = logging.getLogger(__name__)

_read_view = kv.Script("read_view")

DEFAULT_FOLDER = 0


def _ensure_live(biz: str, biz_id: int) -> None:
    if biz != BIZ_ARTICLE or not articles.article_is_live(article_id=biz_id):
        raise NotFoundError(_("article not found"))


@contextmanager
def _counter_locked(biz: str, biz_id: int):
    """A transaction holding the lock of the object's counter row, created first if missing.

    Every change of an object's likes or collects runs inside it, so they are serialised per
    object: a record and its count change together, and a check-then-insert of a like row
    cannot race. The row is created outside the transaction (INSERT IGNORE), never while a
    lock on its absence is held.
    """
    while True:
        with transaction.atomic():
            if Counter.objects.select_for_update().filter(biz=biz, biz_id=biz_id).values_list("pk", flat=True).first():
                yield
                return
        Counter.objects.bulk_create([Counter(biz=biz, biz_id=biz_id)], ignore_conflicts=True)


def _counter_add(biz: str, biz_id: int, field: str, delta: int) -> None:
    expr = F(field) + delta if delta > 0 else Greatest(F(field) + delta, 0)
    Counter.objects.filter(biz=biz, biz_id=biz_id).update(**{field: expr})


def _after_commit_count(biz: str, biz_id: int, field: str, delta: int) -> None:
    transaction.on_commit(lambda: cache.counts_incr(biz, biz_id, field, delta))


def like_set(*, user_id: int, biz: str = BIZ_ARTICLE, biz_id: int, liked: bool) -> bool:
    """Like or take back a like. Idempotent; returns True when the state changed.

    The like record alone is written, in one statement that commits on its own: no counter
    row is locked, so likes of one popular article do not wait on each other. The changed row
    is marked ``pending``; ``likes_apply`` (the event consumer, in batches) moves the counter
    exactly once per change. The counts cache and the like ranking follow at once, so a reader
    never sees a count go back (docs/interactions.md).
    """
    if liked and biz != BIZ_ARTICLE:
        raise NotFoundError(_("article not found"))
    if not _like_write(user_id, biz, biz_id, liked, timezone.now()):
        if liked:
            _ensure_live(biz, biz_id)  # not changed: already liked, or nothing live to like
        return False
    if settings.READ_EVENTS_INLINE:  # no consumer in the embedded profile: the counter follows now
        likes_apply(biz=biz, biz_id=biz_id)
    delta = 1 if liked else -1
    if connection.in_atomic_block:
        transaction.on_commit(lambda: cache.like_counted(biz, biz_id, delta))
    else:
        cache.like_counted(biz, biz_id, delta)
    return True


def _like_write(user_id: int, biz: str, biz_id: int, liked: bool, now) -> bool:
    """Set the like record's state; True when it changed. A like needs the article live, and
    says so in its own statement (``articles.article_live_sql``): the toggling like is one
    statement, one round trip and one commit, with no check before it.

    Written as SQL rather than through the ORM: building these statements through the
    queryset API was a third of a like's Python function calls (docs/performance.md), and the
    ORM has no ``INSERT … SELECT`` or ``INSERT IGNORE`` of one row with a condition.
    """
    stamp = connection.ops.adapt_datetimefield_value(now)
    update, params = _like_update_sql(), [liked, True, stamp, not liked, user_id, biz, biz_id]
    live, live_params = articles.article_live_sql(biz_id)
    if liked:
        update, params = f"{update} AND EXISTS ({live})", params + live_params
    with connection.cursor() as cursor:
        cursor.execute(update, params)
        if cursor.rowcount == 1 or not liked:
            return cursor.rowcount == 1
        # A first like of this user for this object; nothing when the row exists (already
        # liked, or a racing like) or the article is not live.
        cursor.execute(_like_insert_sql(live), [user_id, biz, biz_id, True, False, True, stamp, stamp, *live_params])
        return cursor.rowcount == 1


@functools.cache
def _like_update_sql() -> str:
    """``UPDATE`` of one user's like row to a new state (params: the new state, pending, utime,
    the state it must have now, user, biz, biz id)."""
    table = connection.ops.quote_name(Like._meta.db_table)
    return (f"UPDATE {table} SET status = %s, pending = %s, utime = %s "  # noqa: S608
            "WHERE status = %s AND user_id = %s AND biz = %s AND biz_id = %s")


@functools.cache
def _like_insert_sql(live: str) -> str:
    """A new like row, inserted only where ``live`` (a one-row query) yields a row; ignored
    when the user's row for this object exists."""
    table = connection.ops.quote_name(Like._meta.db_table)
    insert = connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)
    return (f"{insert} {table} (user_id, biz, biz_id, status, counted, pending, ctime, utime) "  # noqa: S608
            f"SELECT %s, %s, %s, %s, %s, %s, %s, %s FROM ({live}) AS live")


def likes_apply(*, limit: int | None = None, biz: str | None = None, biz_id: int | None = None) -> int:
    """Move the like counters over pending like rows (all of them, or one object's), in one
    transaction: each row adds ``status - counted`` to its object's counter and is marked counted.
    The rows are locked while this runs, so a like changing one of them waits for the commit
    and marks it pending again: every change is counted exactly once, whoever applies it,
    however often this is run or interrupted. Returns how many rows were applied."""
    limit = limit or settings.LIKE_COUNTS_BATCH_SIZE
    rows_qs = Like.objects.select_for_update().filter(pending=True)
    if biz is not None:
        rows_qs = rows_qs.filter(biz=biz, biz_id=biz_id)
    with transaction.atomic():
        rows = list(rows_qs.order_by("biz", "biz_id", "id").values_list("id", "biz", "biz_id", "status", "counted")
                    [:limit])
        if not rows:
            return 0
        deltas: dict[tuple[str, int], int] = {}
        for _pk, row_biz, row_id, status, counted in rows:
            if status != counted:
                deltas[(row_biz, row_id)] = deltas.get((row_biz, row_id), 0) + (1 if status else -1)
        Like.objects.filter(pk__in=[r[0] for r in rows]).update(pending=False, counted=F("status"))
        _counts_add("like_cnt", {k: n for k, n in deltas.items() if n})
    return len(rows)


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
    with _counter_locked(biz, biz_id):
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


def read_view(*, biz: str = BIZ_ARTICLE, biz_id: int, viewer: str, user_id: int | None) -> selectors.Stats:
    """A reader opens a live object: record the read (once per viewer within
    READ_DEDUP_WINDOW) and return its stats for ``user_id`` — the read and the cached counts
    in one Redis round trip (a script)."""
    _fresh, cached, _copy, _extra = _read(biz, biz_id, viewer)
    return selectors.interaction_stats(biz=biz, biz_id=biz_id, user_id=user_id, cached=cached)


@dataclass(frozen=True)
class GuardedRead:
    """What ``read_view_guarded`` found under the guard key.

    ``HIT``: the object's cached copy was there; the read was recorded and ``stats`` and
    ``copy`` are set. ``GONE``: the key held the tombstone (the object left the readers).
    ``MISS``: nothing there, or Redis could not say; nothing was recorded in either case.
    """

    HIT: ClassVar[str] = "hit"
    MISS: ClassVar[str] = "miss"
    GONE: ClassVar[str] = "gone"

    outcome: str
    stats: selectors.Stats | None = None
    copy: bytes | None = None
    extra: bytes | None = None  # the ``also`` field's value on a hit (None: absent)


def read_view_guarded(*, biz: str = BIZ_ARTICLE, biz_id: int, viewer: str, user_id: int | None,
                      guard: str, tombstone: bytes, also: tuple[str, str] | None = None) -> GuardedRead:
    """``read_view`` only if the ``guard`` key holds the object's cached copy, in the same single
    round trip; the warm path of opening an article. On a miss the caller checks the object
    elsewhere (the database) and calls ``read_view``. The copy's format is the caller's business.
    ``also``: ``(hash key, field)`` read in the same round trip on a hit (``GuardedRead.extra``)."""
    try:
        found = _read(biz, biz_id, viewer, guard=(guard, tombstone), also=also)
    except kv.REDIS_ERRORS:
        return GuardedRead(GuardedRead.MISS)  # the caller's unguarded read_view will apply it
    if found is None:
        return GuardedRead(GuardedRead.MISS)
    if found is _GONE:
        return GuardedRead(GuardedRead.GONE)
    _fresh, cached, copy, extra = found
    stats = selectors.interaction_stats(biz=biz, biz_id=biz_id, user_id=user_id, cached=cached)
    return GuardedRead(GuardedRead.HIT, stats, copy, extra)


_GONE = object()


def _read(biz: str, biz_id: int, viewer: str, guard: tuple[str, bytes] | None = None,
          also: tuple[str, str] | None = None):
    """(counted, cached counts or None, guard copy or None, ``also`` value or None); with a guard, None when the guard
    key was empty and ``_GONE`` when it held the tombstone (nothing recorded). The event goes
    to the Redis stream (applied by ``consume_events``) or, in the embedded profile
    (READ_EVENTS_INLINE), straight to the counter. If Redis cannot take an unguarded read, it
    is applied to the database at once rather than lost; a guarded one raises the Redis error."""
    inline = settings.READ_EVENTS_INLINE
    keys = [kv.read_seen_key(biz, biz_id, viewer), kv.read_stream_key(), kv.counts_key(biz, biz_id)]
    # The entry carries the reader's trace context: the consumer's span joins this trace.
    args = [settings.READ_DEDUP_WINDOW, "0" if inline else "1", settings.READ_EVENTS_STREAM_MAXLEN, biz, biz_id,
            "" if inline else tracing.traceparent()]
    if guard is not None:
        keys.append(guard[0])
        args.append(guard[1])
        if also is not None:
            keys.append(also[0])
            args.append(also[1])
    try:
        with metrics.READ_PUBLISH_SECONDS.time():
            answer = _read_view(keys=keys, args=args)
    except kv.REDIS_ERRORS as exc:
        if guard is not None:
            raise
        metrics.READ_PUBLISH_FAILURES.inc()
        logger.warning("read event could not go through Redis, applied to the database: %s", exc)
        reads_apply(counts={(biz, biz_id): 1})
        return True, None, None, None
    if answer[0] == -1:
        return None if answer[1] is None else _GONE
    fresh, values = bool(answer[0]), answer[1:4]
    cached = None
    if all(v is not None for v in values):
        cached = dict(zip(cache.FIELDS, map(int, values), strict=True))
    if fresh and inline:
        reads_apply(counts={(biz, biz_id): 1})
        if cached is not None:
            cached["read_cnt"] += 1  # read before this read was applied
    return fresh, cached, (answer[4] if len(answer) > 4 else None), (answer[5] if len(answer) > 5 else None)


def reads_apply(*, counts: dict[tuple[str, int], int]) -> None:
    """Add aggregated read counts to the counters (one transaction), then to the cache."""
    with transaction.atomic():
        reads_add(counts=counts)
        transaction.on_commit(lambda: _reads_cache(counts))


def reads_add(*, counts: dict[tuple[str, int], int]) -> None:
    """Add a batch of read counts, inside the caller's transaction (the consumer moves its stream
    cursor in the same one): one UPDATE per business, counters created only when missing.

    The UPDATE is written as SQL (``read_cnt = read_cnt + CASE biz_id WHEN … END``) because
    the ORM's Case/When spends ten times the database's time compiling a 100-way CASE, and
    a statement per article made the consumer a round trip per article (docs/performance.md).
    Rows are locked in index order: one lock order for every batch.
    """
    _counts_add("read_cnt", counts)


def _counts_add(field: str, counts: dict[tuple[str, int], int]) -> None:
    """``field += n`` for each ``(biz, biz_id): n`` (never below zero), inside the caller's
    transaction; counters created only when missing."""
    by_biz: dict[str, dict[int, int]] = {}
    for (biz, biz_id), n in counts.items():
        by_biz.setdefault(biz, {})[biz_id] = n
    for biz, group in sorted(by_biz.items()):
        if _counts_update(field, biz, group) < len(group):
            present = set(Counter.objects.filter(biz=biz, biz_id__in=list(group)).values_list("biz_id", flat=True))
            missing = {biz_id: n for biz_id, n in group.items() if biz_id not in present}
            # Created at zero, then counted like the rest: a racing creator (a like) is harmless.
            Counter.objects.bulk_create([Counter(biz=biz, biz_id=biz_id) for biz_id in sorted(missing)],
                                        ignore_conflicts=True)
            _counts_update(field, biz, missing)


def _greatest() -> str:
    return "MAX" if connection.vendor == "sqlite" else "GREATEST"


def _counts_update(field: str, biz: str, group: dict[int, int]) -> int:
    """``field += n`` for each ``biz_id: n`` of ``group`` that has a counter; returns rows matched."""
    if not group:
        return 0
    ids = sorted(group)
    table = connection.ops.quote_name(Counter._meta.db_table)
    cases = " ".join(["WHEN %s THEN %s"] * len(ids))
    marks = ", ".join(["%s"] * len(ids))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    column = connection.ops.quote_name(field)
    sql = (f"UPDATE {table} SET {column} = {_greatest()}({column} + CASE biz_id {cases} END, 0), "  # noqa: S608
           "utime = %s "
           f"WHERE biz = %s AND biz_id IN ({marks})")
    params = [x for biz_id in ids for x in (biz_id, group[biz_id])] + [now, biz, *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _reads_cache(counts):
    for (biz, biz_id), n in counts.items():
        cache.counts_incr(biz, biz_id, "read_cnt", n)


# --- like ranking ------------------------------------------------------------------------------

def like_ranking_drop(*, biz: str = BIZ_ARTICLE, biz_id: int) -> None:
    """The object left the readers (an article withdrawn): out of the ranking at once."""
    cache.ranking_remove(biz, biz_id)


def like_ranking_restore(*, biz: str = BIZ_ARTICLE, biz_id: int) -> None:
    """The object is back for readers (an article republished): into the ranking with its likes."""
    likes = Counter.objects.filter(biz=biz, biz_id=biz_id).values_list("like_cnt", flat=True).first() or 0
    likes += selectors.pending_likes(biz=biz, biz_ids=[biz_id]).get(biz_id, 0)
    if likes:
        cache.ranking_put(biz, biz_id, likes)


def like_ranking_top(*, n: int, biz: str = BIZ_ARTICLE) -> list[dict]:
    """``/ranking/likes``: the top ``n``. After Redis lost the ranking (a restart, a flush) the
    first request to see it rebuilds it from the counters, once, under a lock (as the hot list's
    cold start does); until it is built the database answers, so the list is never empty."""
    state = cache.ranking_state(biz)
    if state[1] is False:
        token = cache.ranking_rebuild_lock(biz)
        if token is not None:
            try:
                like_ranking_rebuild(biz=biz, batch_size=settings.LIKE_RANKING_REBUILD_BATCH_SIZE)
                state = cache.ranking_state(biz)
            except kv.REDIS_ERRORS as exc:
                logger.warning("like ranking rebuild failed (%s); the database answers", type(exc).__name__)
            finally:
                cache.ranking_rebuild_unlock(biz, token)
    return selectors.like_ranking(n=n, biz=biz, state=state)


def like_ranking_rebuild(*, biz: str = BIZ_ARTICLE, batch_size: int, progress=None) -> int:
    """Rebuild the ranking from the counters, in keyset batches (bounded memory). Returns its size.

    The counters first take in every pending like (``likes_apply``): the ranking had them.
    """
    while likes_apply():
        pass

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
