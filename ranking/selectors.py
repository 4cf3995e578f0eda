"""Serving the hot list: in-process copy, validated by one small Redis read.

Per request: GET the generation (a few bytes). When it matches the in-process copy (the
``local`` cache, at most ``HOT_LOCAL_TTL`` old) that copy is served as it is; otherwise
the list is read from Redis and decoded once. Every write of the list bumps the
generation, so a withdrawal leaves the list in every process on its next request.
Redis unreachable: the last copy this process had is served, however old.
"""

import json
import logging
import time

from django.conf import settings
from django.core.cache import caches

from ranking import services
from tinybook import kv

logger = logging.getLogger(__name__)

# The process-level copy that never expires: served when Redis cannot answer.
_last_good: list[dict] | None = None


def _remember(generation, items: list[dict]) -> list[dict]:
    global _last_good
    _last_good = items
    caches["local"].set(services.LOCAL_KEY, (generation, items), settings.HOT_LOCAL_TTL)
    return items


def _stale() -> list[dict]:
    logger.warning("hot list: Redis unavailable, serving the in-process copy (%s items)",
                   "no" if _last_good is None else len(_last_good))
    return _last_good or []


def _read(conn):
    raw, generation = conn.mget(kv.hot_list_key(), kv.hot_generation_key())
    return raw, generation


def _cold_start(conn) -> list[dict]:
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
    return []  # not remembered: the next request looks again


def hot_list() -> list[dict]:
    """The hot list as served by ``/ranking/hot`` and the home page (abstracts only)."""
    try:
        conn = kv.client()
        generation = conn.get(kv.hot_generation_key())
        cached = caches["local"].get(services.LOCAL_KEY)
        if cached is not None and generation is not None and cached[0] == generation:
            return cached[1]
        raw, generation = _read(conn)
        if raw is None:
            return _cold_start(conn)
        return _remember(generation, json.loads(raw))
    except kv.REDIS_ERRORS:
        return _stale()


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
