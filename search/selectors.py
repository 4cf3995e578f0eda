"""Answering a search: the engine's ids, only live ones kept, made into the API's items.

Items are built from the articles and users themselves (never from the index), so what is
shown is what is live now; an id the engine returns that is not live any more (a failed index
write) is dropped from the answer and from the index.
"""

import hashlib
import json
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError

from articles import selectors as articles
from articles.content import text_of
from articles.items import public_list_item
from relations.selectors import follower_counts
from search import metrics, services, text
from search.backends import get_backend
from tinybook import kv
from users import selectors as users
from users.names import display_name

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    total: int
    items: list[dict]
    terms: list[str]


def _drop_stale(kind: str, ids: list[int]) -> None:
    if not ids:
        return
    logger.info("search: %d %s id(s) not live any more, removed from the index", len(ids), kind)
    try:
        (services.articles_sync if kind == "article" else services.users_sync)(ids=ids)
    except DatabaseError as exc:
        logger.warning("search index: stale %s ids not removed: %s", kind, exc)


def _article_items(ids: list[int], terms: list[str]) -> tuple[list[dict], list[int]]:
    records = articles.articles_live_by_ids(ids=ids, with_content=True)
    items = []
    for i in ids:
        record = records.get(i)
        if record is not None:
            highlight = text.snippet([text_of(record.content or ""), record.title, record.author_nickname], terms)
            items.append({**public_list_item(record), "highlight": highlight})
    return items, [i for i in ids if i not in records]


def _user_items(ids: list[int], terms: list[str]) -> tuple[list[dict], list[int]]:
    found = users.users_searchable_by_ids(ids=ids)
    counts = follower_counts([i for i in ids if i in found])
    items = []
    for i in ids:
        user = found.get(i)
        if user is not None:
            items.append({
                "id": user.id,
                "name": display_name(user.id, user.nickname),
                "aboutMe": user.about_me,
                "followerCnt": counts.get(user.id, 0),
                "highlight": text.snippet([user.about_me, user.nickname], terms),
            })
    return items, [i for i in ids if i not in found]


def _engine(kind: str, terms: list[str], offset: int, limit: int) -> tuple[int, list[int]]:
    """The engine's ``(total, ids)``, from the answer cache when the index has not changed since.

    A popular query is asked many times between two index writes; every index write bumps the
    generation (``services.answers_forget``), so a cached answer never outlives the index state
    it was computed from (nor SEARCH_CACHE_TTL). Redis failing means asking the engine."""
    ttl = settings.SEARCH_CACHE_TTL
    if ttl <= 0:
        return get_backend().search(kind, terms, offset, limit)
    digest = hashlib.sha256(json.dumps([[t.casefold() for t in terms], offset, limit]).encode()).hexdigest()[:32]
    key = None
    try:
        generation = int(kv.client().get(kv.search_generation_key()) or 0)
        key = kv.search_answer_key(generation, kind, digest)
        cached = kv.client().get(key)
        if cached is not None:
            total, ids = json.loads(cached)
            return total, ids
    except kv.REDIS_ERRORS:
        key = None
    total, ids = get_backend().search(kind, terms, offset, limit)
    if key is not None:
        try:
            kv.client().set(key, json.dumps([total, ids]), ex=ttl)
        except kv.REDIS_ERRORS:
            pass
    return total, ids


def search(*, kind: str, q: str, offset: int, limit: int) -> Answer:
    """Live articles (kind "article") or people ("user") matching every term of ``q``."""
    started = time.perf_counter()
    terms = text.terms(q)
    total, items = 0, []
    if terms:
        total, ids = _engine(kind, terms, offset, limit)
        items, stale = (_article_items if kind == "article" else _user_items)(ids, terms)
        _drop_stale(kind, stale)
        total -= len(stale)
    metrics.QUERIES.labels(kind).inc()
    metrics.QUERY_SECONDS.labels(kind).observe(time.perf_counter() - started)
    return Answer(total=max(total, len(items)), items=items, terms=terms)
