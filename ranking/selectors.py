"""Serving the hot list: in-process copy, validated by one small Redis read.

Per request: GET the generation (a few bytes). When it matches the in-process copy (at
most ``HOT_LOCAL_TTL`` old) that copy is served as it is, and so is its already encoded
answer; otherwise the list is read from Redis and decoded once. Every write of the list
bumps the generation, so a withdrawal leaves the list in every process on its next request.
Redis unreachable: the last copy this process had is served, however old.
"""

import json
import logging
import time

from django.conf import settings
from django.utils.translation import get_language

from articles.items import with_names
from ranking import copies, services
from tinybook import kv

logger = logging.getLogger(__name__)


def _stale() -> copies.Copy:
    last = copies.last_good()
    logger.warning("hot list: Redis unavailable, serving the in-process copy (%s items)",
                   "no" if last is None else len(last.items))
    return last or copies.Copy(None, [], 0.0)


def _read(conn):
    raw, generation = conn.mget(kv.hot_list_key(), kv.hot_generation_key())
    return raw, generation


def _cold_start(conn) -> copies.Copy:
    """Nothing stored yet: compute once under the lock; others wait briefly, then get []."""
    if services.hot_list_refresh(trigger="cold start") == "success":
        raw, generation = _read(conn)
        if raw is not None:
            return copies.remember(generation, json.loads(raw))
    deadline = time.monotonic() + settings.HOT_COLD_START_WAIT
    while time.monotonic() < deadline:
        time.sleep(0.05)
        raw, generation = _read(conn)
        if raw is not None:
            return copies.remember(generation, json.loads(raw))
    return copies.Copy(None, [], 0.0)  # not remembered: the next request looks again


def _current() -> copies.Copy:
    try:
        conn = kv.client()
        generation = conn.get(kv.hot_generation_key())
        copy = copies.current()
        if copy is not None and generation is not None and copy.generation == generation \
                and time.monotonic() < copy.expires:
            return copy
        raw, generation = _read(conn)
        if raw is None:
            return _cold_start(conn)
        return copies.remember(generation, json.loads(raw))
    except kv.REDIS_ERRORS:
        return _stale()


def _named(copy: copies.Copy) -> list[dict]:
    """The copy's items with their authors named in the current language (once per language)."""
    language = get_language()
    items = copy.named.get(language)
    if items is None:
        items = copy.named[language] = with_names(copy.items)
    return items


def hot_list() -> list[dict]:
    """The hot list as served by ``/ranking/hot`` and the home page (abstracts only)."""
    return _named(_current())


def hot_list_answer(msg: str) -> bytes:
    """The whole ``/ranking/hot`` answer, encoded once per copy and language."""
    copy = _current()
    language = get_language()
    body = copy.bodies.get(language)
    if body is None:
        # As DRF's JSONRenderer writes it (compact, UTF-8): the same bytes a Response would give.
        body = json.dumps({"code": 0, "msg": msg, "data": _named(copy)}, ensure_ascii=False,
                          separators=(",", ":")).encode()
        copy.bodies[language] = body
    return body
