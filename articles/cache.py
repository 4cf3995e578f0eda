"""The Redis caches of articles. Every function here swallows Redis failures.

A cache failure never fails a request the database can answer: reads fall back to the
database, writes and deletes are logged and skipped. The reader copy is invalidated
with a tombstone rather than a delete, and readers fill it with SET NX, so a reader
who loaded the article just before it was withdrawn cannot put it back in the cache.
"""

import json
import logging

from django.conf import settings

from articles.records import DraftRecord, LiveRecord
from tinybook import kv

logger = logging.getLogger(__name__)

WITHDRAWN = object()  # reader_get: the article was withdrawn (no need to ask the database)


def _warn(op: str, exc: Exception) -> None:
    logger.warning("article cache %s failed (%s); using the database", op, type(exc).__name__)


def _get(key: str):
    try:
        return kv.client().get(key)
    except kv.REDIS_ERRORS as exc:
        _warn("read", exc)
        return None


def _set(key: str, value: bytes | str, ttl: int, *, nx: bool = False) -> None:
    try:
        kv.client().set(key, value, ex=ttl, nx=nx)
    except kv.REDIS_ERRORS as exc:
        _warn("write", exc)


def _delete(*keys: str) -> None:
    try:
        kv.client().delete(*keys)
    except kv.REDIS_ERRORS as exc:
        _warn("delete", exc)


def _decode(raw):
    try:
        return json.loads(raw)
    except (ValueError, TypeError):
        return None


# --- author: first list page and pre-cached detail -------------------------------------------

def author_page_get(author_id: int) -> list[DraftRecord] | None:
    raw = _get(kv.article_author_first_page_key(author_id))
    items = _decode(raw) if raw is not None else None
    if not isinstance(items, list):
        return None
    try:
        return [DraftRecord.from_json(item) for item in items]
    except (KeyError, TypeError, ValueError):
        return None


def author_page_set(author_id: int, items: list[DraftRecord]) -> None:
    payload = json.dumps([item.to_json() for item in items])
    _set(kv.article_author_first_page_key(author_id), payload, settings.ARTICLE_LIST_CACHE_TTL)


def author_detail_get(article_id: int) -> DraftRecord | None:
    raw = _get(kv.article_author_detail_key(article_id))
    data = _decode(raw) if raw is not None else None
    if not isinstance(data, dict):
        return None
    try:
        return DraftRecord.from_json(data)
    except (KeyError, TypeError, ValueError):
        return None


def author_detail_set(record: DraftRecord) -> None:
    _set(
        kv.article_author_detail_key(record.id),
        json.dumps(record.to_json()),
        settings.ARTICLE_DETAIL_CACHE_TTL,
    )


def author_forget(*, author_id: int, article_id: int | None) -> None:
    """After any write by the author: the first page and that article's detail go."""
    keys = [kv.article_author_first_page_key(author_id)]
    if article_id is not None:
        keys.append(kv.article_author_detail_key(article_id))
    _delete(*keys)


# --- readers ----------------------------------------------------------------------------------

def reader_get(article_id: int):
    """The cached LiveRecord, ``WITHDRAWN``, or None (not cached / cache unavailable)."""
    return reader_decode(_get(kv.article_reader_key(article_id)))


def reader_decode(raw: bytes | None):
    """A reader-copy value as read from Redis: LiveRecord, ``WITHDRAWN``, or None."""
    if raw is None:
        return None
    if raw == kv.TOMBSTONE:
        return WITHDRAWN
    data = _decode(raw)
    if not isinstance(data, dict):
        return None
    try:
        return LiveRecord.from_json(data)
    except (KeyError, TypeError, ValueError):
        return None


def reader_put(record: LiveRecord) -> None:
    """At publish: the new copy replaces whatever was cached (a tombstone included)."""
    _set(kv.article_reader_key(record.id), json.dumps(record.to_json()), settings.ARTICLE_READER_CACHE_TTL)


def reader_fill(record: LiveRecord) -> None:
    """After a reader's miss: only if nothing (no newer copy, no tombstone) is there."""
    _set(
        kv.article_reader_key(record.id),
        json.dumps(record.to_json()),
        settings.ARTICLE_READER_CACHE_TTL,
        nx=True,
    )


def reader_withdraw(article_id: int) -> None:
    _set(kv.article_reader_key(article_id), kv.TOMBSTONE, settings.ARTICLE_READER_CACHE_TTL)


def reader_forget(article_id: int) -> None:
    _delete(kv.article_reader_key(article_id))
