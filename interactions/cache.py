"""The counts cache and the like ranking in Redis. Every call here survives Redis failing.

Counts: one hash per object (``kv.counts_key``), either whole or absent. Writers only
increment a hash that exists (Lua); readers fill a missing hash whole from the database.
"""

import logging
import uuid

from django.conf import settings

from tinybook import kv

logger = logging.getLogger(__name__)

FIELDS = ("read_cnt", "like_cnt", "collect_cnt")

_incr = kv.Script("counts_incr")
_fill = kv.Script("counts_fill")
_lease_release = kv.Script("lease_release")


def counts_incr(biz: str, biz_id: int, field: str, delta: int) -> None:
    try:
        _incr(keys=[kv.counts_key(biz, biz_id)], args=[field, delta])
    except kv.REDIS_ERRORS as exc:
        # The hash may now be behind the database until it expires (COUNTS_CACHE_TTL).
        logger.warning("counts cache increment failed for %s:%s: %s", biz, biz_id, exc)


def counts_get_many(biz: str, biz_ids: list[int]) -> dict[int, dict[str, int]]:
    """Cached counts of the ids that are cached; a missing id is a miss. One round trip."""
    if not biz_ids:
        return {}
    try:
        pipe = kv.client().pipeline(transaction=False)
        for biz_id in biz_ids:
            pipe.hmget(kv.counts_key(biz, biz_id), *FIELDS)
        answers = pipe.execute()
    except kv.REDIS_ERRORS as exc:
        logger.warning("counts cache read failed: %s", exc)
        return {}
    out = {}
    for biz_id, values in zip(biz_ids, answers, strict=True):
        if values and all(v is not None for v in values):
            try:
                out[biz_id] = {f: int(v) for f, v in zip(FIELDS, values, strict=True)}
            except ValueError:
                continue
    return out


def counts_fill_many(biz: str, counts: dict[int, dict[str, int]]) -> None:
    if not counts:
        return
    try:
        conn = kv.client()
        pipe = conn.pipeline(transaction=False)
        for biz_id, values in counts.items():
            args = [settings.COUNTS_CACHE_TTL]
            for f in FIELDS:
                args += [f, values[f]]
            _fill(keys=[kv.counts_key(biz, biz_id)], args=args, conn=pipe)
        pipe.execute()
    except kv.REDIS_ERRORS as exc:
        logger.warning("counts cache fill failed: %s", exc)


def like_counted(biz: str, biz_id: int, delta: int) -> None:
    """A like or unlike committed: the counts cache and the like ranking, one round trip."""
    try:
        _incr(keys=[kv.counts_key(biz, biz_id), kv.like_ranking_key(biz)], args=["like_cnt", delta, biz_id])
    except kv.REDIS_ERRORS as exc:
        # Behind until the hash expires (COUNTS_CACHE_TTL) or `rebuild_like_ranking` runs.
        logger.warning("like cache/ranking update failed for %s:%s: %s", biz, biz_id, exc)


def ranking_remove(biz: str, biz_id: int) -> None:
    """Out of the ranking, and every process's short-lived copy of the top list is stale."""
    try:
        pipe = kv.client().pipeline(transaction=False)
        pipe.zrem(kv.like_ranking_key(biz), biz_id)
        pipe.incr(kv.like_ranking_generation_key(biz))
        pipe.execute()
    except kv.REDIS_ERRORS as exc:
        logger.warning("like ranking removal failed for %s:%s: %s", biz, biz_id, exc)


def ranking_put(biz: str, biz_id: int, likes: int) -> None:
    """Set the object's score in the ranking (its like count from the database)."""
    try:
        kv.client().zadd(kv.like_ranking_key(biz), {str(biz_id): likes})
    except kv.REDIS_ERRORS as exc:
        logger.warning("like ranking update failed for %s:%s: %s", biz, biz_id, exc)


def ranking_state(biz: str) -> tuple[int | None, bool | None]:
    """(generation, built) in one round trip: the top-likes generation (0 before any removal)
    and whether the ranking was built whole; (None, None) when Redis failed."""
    try:
        generation, built = kv.client().mget(kv.like_ranking_generation_key(biz), kv.like_ranking_built_key(biz))
    except kv.REDIS_ERRORS:
        return None, None
    return int(generation or 0), built is not None


def ranking_rebuild_lock(biz: str) -> str | None:
    """A token when this process may rebuild the ranking now (nobody else is), else None."""
    token = uuid.uuid4().hex
    try:
        taken = kv.client().set(kv.like_ranking_rebuild_lock_key(biz), token, nx=True,
                                px=int(settings.LIKE_RANKING_REBUILD_LOCK_TTL * 1000))
    except kv.REDIS_ERRORS:
        return None
    return token if taken else None


def ranking_rebuild_unlock(biz: str, token: str) -> None:
    try:
        _lease_release(keys=[kv.like_ranking_rebuild_lock_key(biz)], args=[token])
    except kv.REDIS_ERRORS:
        pass  # it expires within LIKE_RANKING_REBUILD_LOCK_TTL


def ranking_top(biz: str, start: int, stop: int) -> list[tuple[int, int]] | None:
    """``(biz_id, likes)`` from rank ``start`` to ``stop`` inclusive; None when Redis failed."""
    try:
        rows = kv.client().zrevrange(kv.like_ranking_key(biz), start, stop, withscores=True)
    except kv.REDIS_ERRORS as exc:
        logger.warning("like ranking read failed: %s", exc)
        return None
    return [(int(member), int(score)) for member, score in rows]


def ranking_replace(biz: str, pairs_batches) -> int:
    """Build the ranking under a temporary key from batches of ``(biz_id, likes)``, then swap it in."""
    conn = kv.client()
    final = kv.like_ranking_key(biz)
    tmp = final + ":rebuild"
    conn.delete(tmp)
    total = 0
    for batch in pairs_batches:
        if batch:
            conn.zadd(tmp, {str(i): n for i, n in batch})
            total += len(batch)
    # The swap and the "built" mark together: a reader never sees the mark over a partial set.
    pipe = conn.pipeline(transaction=True)
    if total:
        pipe.rename(tmp, final)
    else:
        pipe.delete(final)
    pipe.set(kv.like_ranking_built_key(biz), "1")
    pipe.execute()
    return total
