"""Keeping the index in step with the articles and the people (the truth is always theirs).

``articles_sync`` / ``users_sync`` look each id up in its own app: a live article (an active
user with a name or an about-me) is written to the index, anything else is removed. The same
call serves publish, republish, withdraw and repair, so the index can only move towards the
truth. ``reindex`` rebuilds a whole kind, ``check`` compares it with the truth; both walk both
sides by id in batches, so memory stays bounded however many there are.
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings

from articles import selectors as articles
from articles.content import text_of
from search import metrics
from search.backends import KINDS, Doc, get_backend
from tinybook import kv
from users import selectors as users

logger = logging.getLogger(__name__)


def _article_doc(record) -> Doc:
    return Doc(id=record.id, title=record.title, body=text_of(record.content or ""),
               author=record.author_nickname, ts=record.published_at, version=record.utime)


def _user_doc(user) -> Doc:
    return Doc(id=user.id, title=user.nickname, body=user.about_me, author="",
               ts=user.date_joined, version=user.updated_at)


def answers_forget() -> None:
    """Every cached answer is dead from now on (the index changed): the next search asks the engine."""
    try:
        kv.client().incr(kv.search_generation_key())
    except kv.REDIS_ERRORS as exc:
        # Cached answers live SEARCH_CACHE_TTL at most; the live filter still drops what was withdrawn.
        logger.warning("search: cached answers not invalidated (Redis): %s", exc)


def _write(kind: str, ids: list[int], found: dict) -> None:
    backend, to_doc = get_backend(), (_article_doc if kind == "article" else _user_doc)
    docs = [to_doc(found[i]) for i in ids if i in found]
    gone = [i for i in ids if i not in found]
    backend.upsert(kind, docs)
    backend.delete(kind, gone)
    answers_forget()
    metrics.INDEX_UPDATES.labels(kind, "upsert").inc(len(docs))
    metrics.INDEX_UPDATES.labels(kind, "delete").inc(len(gone))


def articles_sync(*, ids: list[int]) -> None:
    """Index the live ones among ``ids``, remove the others."""
    ids = list(dict.fromkeys(ids))
    _write("article", ids, articles.articles_live_by_ids(ids=ids, with_content=True))


def users_sync(*, ids: list[int]) -> None:
    ids = list(dict.fromkeys(ids))
    _write("user", ids, users.users_searchable_by_ids(ids=ids))


def author_articles_sync(*, author_id: int) -> int:
    """Reindex an author's live articles (their name is part of each); how many."""
    done = 0
    for batch in articles.articles_live_batches(batch_size=settings.SEARCH_REINDEX_BATCH_SIZE, author_id=author_id):
        get_backend().upsert("article", [_article_doc(r) for r in batch])
        metrics.INDEX_UPDATES.labels("article", "upsert").inc(len(batch))
        done += len(batch)
    answers_forget()
    return done


# --- the whole index -----------------------------------------------------------------------------

def _source_batches(kind: str, batch_size: int) -> Iterator[list]:
    if kind == "article":
        return articles.articles_live_batches(batch_size=batch_size)
    return users.users_searchable_batches(batch_size=batch_size)


def _source_versions(kind: str, batch_size: int) -> Iterator[tuple[int, object]]:
    if kind == "article":
        for batch in articles.articles_live_versions(batch_size=batch_size):
            yield from batch
    else:
        for batch in users.users_searchable_batches(batch_size=batch_size):
            yield from ((u.id, u.updated_at) for u in batch)


def _index_versions(kind: str, batch_size: int) -> Iterator[tuple[int, str]]:
    after = 0
    while True:
        batch = get_backend().versions(kind, after_id=after, batch_size=batch_size)
        yield from batch
        if len(batch) < batch_size:
            return
        after = batch[-1][0]


def source_count(kind: str) -> int:
    return articles.articles_live_count() if kind == "article" else users.users_searchable_count()


@dataclass
class Report:
    """What ``check`` found: ids live but not indexed, indexed with an older version, indexed
    but not live (withdrawn, deleted, deactivated)."""

    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    orphaned: list[int] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphaned)


def check(kind: str, *, fix: bool = False, batch_size: int | None = None, limit: int | None = None) -> Report:
    """Walk the truth and the index side by side by id (a merge join; bounded memory). At most
    ``limit`` ids of each finding are listed (all are counted for ``fix``, which repairs them)."""
    batch_size = batch_size or settings.SEARCH_REINDEX_BATCH_SIZE
    backend, report = get_backend(), Report()
    repair: list[int] = []

    def note(found: list[int], doc_id: int) -> None:
        if limit is None or len(found) < limit:
            found.append(doc_id)
        if fix:
            repair.append(doc_id)
            if len(repair) >= batch_size:
                _repair(kind, repair)

    source, index = _source_versions(kind, batch_size), _index_versions(kind, batch_size)
    s, i = next(source, None), next(index, None)
    while s is not None or i is not None:
        if i is None or (s is not None and s[0] < i[0]):
            note(report.missing, s[0])
            s = next(source, None)
        elif s is None or i[0] < s[0]:
            note(report.orphaned, i[0])
            i = next(index, None)
        else:
            if backend.version_key(s[1]) != i[1]:
                note(report.stale, s[0])
            s, i = next(source, None), next(index, None)
        report.checked += 1
    if fix and repair:
        _repair(kind, repair)
    return report


def _repair(kind: str, ids: list[int]) -> None:
    (articles_sync if kind == "article" else users_sync)(ids=list(ids))
    ids.clear()


def reindex(kind: str, *, batch_size: int | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Write every live document of ``kind``, then remove what is no longer live; how many written.

    The index stays searchable throughout (documents are replaced, never dropped first)."""
    batch_size = batch_size or settings.SEARCH_REINDEX_BATCH_SIZE
    backend, to_doc = get_backend(), (_article_doc if kind == "article" else _user_doc)
    written = 0
    for batch in _source_batches(kind, batch_size):
        backend.upsert(kind, [to_doc(r) for r in batch])
        metrics.INDEX_UPDATES.labels(kind, "upsert").inc(len(batch))
        answers_forget()
        written += len(batch)
        if progress:
            progress(len(batch))
    # What is left over: indexed but no longer live (removed; nothing listed, memory stays flat).
    check(kind, fix=True, batch_size=batch_size, limit=0)
    return written


def clear(kind: str) -> None:
    get_backend().clear(kind)
    answers_forget()


__all__ = ["KINDS", "Report", "articles_sync", "author_articles_sync", "check", "clear", "reindex", "users_sync"]
