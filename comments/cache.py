"""Comments in Redis: admission (rate limit and duplicates) and the first-page cache.

The cache entry of an object is a hash (``kv.comment_page_key``) with the counter's version,
the visible-comment count and, once a reader has filled it, the first page of threads. Every
write puts its own version and count after it commits, which takes the page out; a reader that
missed fills it back with the version it read before reading the page. ``comment_cache_put.lua``
keeps the newest: the page served is never older than the last write that reached Redis.
Every call here but ``admit`` survives Redis failing (a miss, the database answers).
"""

import json
import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings

from tinybook import kv

logger = logging.getLogger(__name__)

_admit = kv.Script("comment_admit")
_put = kv.Script("comment_cache_put")
_read = kv.Script("comment_page_read")

ADMITTED, RATE_LIMITED, DUPLICATE = 1, 0, 2


def admit(*, user_id: int, biz: str, biz_id: int, digest: str) -> int:
    """``ADMITTED``, ``RATE_LIMITED`` or ``DUPLICATE``, one round trip; raises a ``kv.REDIS_ERRORS``."""
    now_ms = int(time.time() * 1000)
    return int(_admit(
        keys=[kv.comment_rate_key(user_id), kv.comment_duplicate_key(user_id, biz, biz_id, digest)],
        args=[now_ms, 60_000, settings.COMMENT_RATE, f"{now_ms}-{uuid.uuid4().hex[:12]}",
              settings.COMMENT_DUPLICATE_WINDOW],
    ))


def admit_undo(*, user_id: int, biz: str, biz_id: int, digest: str) -> None:
    """The admitted comment was not stored after all: the same text may be sent again at once."""
    try:
        kv.client().delete(kv.comment_duplicate_key(user_id, biz, biz_id, digest))
    except kv.REDIS_ERRORS as exc:
        logger.warning("comment duplicate key not released: %s", exc)


@dataclass(frozen=True)
class Entry:
    version: int
    cnt: int
    page: list | None  # stored threads, or None when a write took the page out


def entry_get(biz: str, biz_id: int) -> Entry | None:
    try:
        v, cnt, page = kv.client().hmget(kv.comment_page_key(biz, biz_id), "v", "cnt", "page")
    except kv.REDIS_ERRORS as exc:
        logger.warning("comments cache read failed for %s:%s: %s", biz, biz_id, exc)
        return None
    if v is None or cnt is None:
        return None
    try:
        return Entry(int(v), int(cnt), json.loads(page) if page is not None else None)
    except ValueError:
        return None


SAME = object()  # entry_read: the entry's version is the one the caller holds


def entry_read(biz: str, biz_id: int, *, known: int | None) -> "Entry | object | None":
    """Like ``entry_get``, but ``SAME`` (without sending the page) when the entry's version is
    ``known``; one round trip. None: no entry, or Redis failed."""
    try:
        found = _read(keys=[kv.comment_page_key(biz, biz_id)], args=["" if known is None else known])
    except kv.REDIS_ERRORS as exc:
        logger.warning("comments cache read failed for %s:%s: %s", biz, biz_id, exc)
        return None
    try:
        if not found:
            return None
        if len(found) == 1:
            return SAME if known is not None and int(found[0]) == known else None
        page = found[2] if len(found) > 2 else None
        return Entry(int(found[0]), int(found[1]), json.loads(page) if page is not None else None)
    except (ValueError, TypeError):
        return None


def count_get(biz: str, biz_id: int) -> int | None:
    try:
        cnt = kv.client().hget(kv.comment_page_key(biz, biz_id), "cnt")
    except kv.REDIS_ERRORS as exc:
        logger.warning("comments count read failed for %s:%s: %s", biz, biz_id, exc)
        return None
    try:
        return int(cnt) if cnt is not None else None
    except ValueError:
        return None


def entry_put(biz: str, biz_id: int, *, version: int, cnt: int, page: list | None) -> None:
    """Put what was read at (or written with) ``version``; older than what is there: ignored."""
    data = json.dumps(page, ensure_ascii=False, separators=(",", ":")) if page is not None else ""
    try:
        _put(keys=[kv.comment_page_key(biz, biz_id)], args=[version, cnt, data, settings.COMMENT_CACHE_TTL])
    except kv.REDIS_ERRORS as exc:
        # A writer's put lost: the entry may be behind until it expires (COMMENT_CACHE_TTL).
        logger.warning("comments cache write failed for %s:%s: %s", biz, biz_id, exc)
