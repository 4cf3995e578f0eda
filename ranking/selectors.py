"""Serving the hot list: in-process copy, validated by one small Redis read.

Per request: GET the generation (a few bytes). When it matches the in-process copy (at
most ``HOT_LOCAL_TTL`` old) that copy is served as it is, and so is its already encoded
answer; otherwise the list is read from Redis and decoded once. Every write of the list
bumps the generation, so a withdrawal leaves the list in every process on its next request.
Redis unreachable: the last copy this process had is served, however old.

The copy is a plain module object, not Django's local-memory cache: that cache pickles
on every get, which for a hundred items cost more than the rest of the request.
"""

import json
import logging
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings

from ranking import services
from tinybook import kv

logger = logging.getLogger(__name__)


@dataclass
class Copy:
    generation: bytes | None
    items: list[dict]
    expires: float  # time.monotonic() after which the copy is not trusted without Redis
    bodies: dict[str, bytes] = field(default_factory=dict)  # encoded answers by message


_lock = threading.Lock()
_copy: Copy | None = None  # the validated copy (HOT_LOCAL_TTL)
_last_good: Copy | None = None  # never expires: served when Redis cannot answer


def forget() -> None:
    """Drop this process's validated copy (the stale fallback stays)."""
    global _copy
    _copy = None


def _remember(generation, items: list[dict]) -> Copy:
    global _copy, _last_good
    copy = Copy(generation, items, time.monotonic() + settings.HOT_LOCAL_TTL)
    with _lock:
        _copy = _last_good = copy
    return copy


def _stale() -> Copy:
    logger.warning("hot list: Redis unavailable, serving the in-process copy (%s items)",
                   "no" if _last_good is None else len(_last_good.items))
    return _last_good or Copy(None, [], 0.0)


def _read(conn):
    raw, generation = conn.mget(kv.hot_list_key(), kv.hot_generation_key())
    return raw, generation


def _cold_start(conn) -> Copy:
    """Nothing stored yet: compute once under the lock; others wait briefly, then get []."""
    if services.hot_list_refresh(trigger="cold start") == "success":
        raw, generation = _read(conn)
        if raw is not None:
            return _remember(generation, json.loads(raw))
    deadline = time.monotonic() + settings.HOT_COLD_START_WAIT
    while time.monotonic() < deadline:
        time.sleep(0.05)
        raw, generation = _read(conn)
        if raw is not None:
            return _remember(generation, json.loads(raw))
    return Copy(None, [], 0.0)  # not remembered: the next request looks again


def _current() -> Copy:
    try:
        conn = kv.client()
        generation = conn.get(kv.hot_generation_key())
        copy = _copy
        if copy is not None and generation is not None and copy.generation == generation \
                and time.monotonic() < copy.expires:
            return copy
        raw, generation = _read(conn)
        if raw is None:
            return _cold_start(conn)
        return _remember(generation, json.loads(raw))
    except kv.REDIS_ERRORS:
        return _stale()


def hot_list() -> list[dict]:
    """The hot list as served by ``/ranking/hot`` and the home page (abstracts only)."""
    return _current().items


def hot_list_answer(msg: str) -> bytes:
    """The whole ``/ranking/hot`` answer, encoded once per copy and message (language)."""
    copy = _current()
    body = copy.bodies.get(msg)
    if body is None:
        # As DRF's JSONRenderer writes it (compact, UTF-8): the same bytes a Response would give.
        body = json.dumps({"code": 0, "msg": msg, "data": copy.items}, ensure_ascii=False,
                          separators=(",", ":")).encode()
        copy.bodies[msg] = body
    return body


def hot_list_for_home() -> list[dict]:
    """The hot list in the shape of the home templates (``templates/includes/article_item.html``)."""
    return [
        {
            "id": item["id"],
            "title": item["title"],
            "abstract": item["abstract"],  # escaped text, as the articles app stores it
            "author_name": item["authorName"],
            "read_cnt": item["readCnt"],
            "like_cnt": item["likeCnt"],
            "collect_cnt": item["collectCnt"],
        }
        for item in hot_list()
    ]
