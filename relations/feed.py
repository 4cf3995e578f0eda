"""The "Following" feed: a push/pull hybrid (docs/relations.md).

- Push: an author with at most ``FEED_PUSH_MAX_FOLLOWERS`` followers has each new article put
  into every follower's inbox (``kv.feed_inbox_key``, a sorted set of article ids scored by
  publication time in ms, trimmed to ``FEED_INBOX_SIZE``) by a Celery task, in batches of
  ``FEED_FANOUT_BATCH_SIZE`` inboxes, after the publish committed (``fanout``).
- Pull: the articles of followees above the threshold are read from the database when the
  feed is read, and merged.
- The inbox is a cache: only an inbox that exists is pushed into; a missing one (flushed,
  evicted, expired after ``FEED_INBOX_TTL`` unread) is rebuilt from the database at the next
  read. Withdrawn articles and authors no longer followed are filtered at read.

Order is newest publication first, ties by id; the cursor is ``(published_at, id)`` of the
last item, so publishing while someone pages never repeats or skips an article.
"""

import base64
import binascii
import functools
import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Q

from articles import selectors as articles
from articles.items import public_list_item
from articles.records import LiveRecord
from relations import metrics
from relations.models import Follow, FollowCounter
from tinybook import kv

logger = logging.getLogger(__name__)

_add = kv.Script("feed_inbox_add")
_fanout = kv.Script("feed_fanout")

BUILT = kv.feed_inbox_sentinel()
TRIMMED = "trimmed"
_MARKS = {BUILT.encode(), TRIMMED.encode()}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


class BadCursor(ValueError):
    """``before`` is not a cursor this feed gave out."""


# --- cursor and scores --------------------------------------------------------------------------

def _micros(when: datetime) -> int:
    return (when - _EPOCH) // _US


def score_of(when: datetime) -> int:
    """An inbox score: publication time in whole milliseconds (exact in a double)."""
    return _micros(when) // 1000


def cursor_encode(record: LiveRecord) -> str:
    raw = f"{_micros(record.published_at)}.{record.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int]:
    """``(published_at, id)`` of the last article of the previous page; BadCursor otherwise."""
    if not cursor.isascii() or len(cursor) > 64:
        raise BadCursor(cursor)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCursor(cursor) from None
    micros, _, article_id = raw.partition(".")
    if not (micros.isdigit() and article_id.isdigit() and len(micros) <= 18 and len(article_id) <= 16):
        raise BadCursor(cursor)
    if f"{int(micros)}.{int(article_id)}" != raw or base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=") != cursor:
        raise BadCursor(cursor)  # only the very string this feed gave out
    try:
        return _EPOCH + int(micros) * _US, int(article_id)
    except OverflowError:
        raise BadCursor(cursor) from None


def _key(record: LiveRecord) -> tuple[datetime, int]:
    return record.published_at, record.id


# --- who is pushed, who is pulled -------------------------------------------------------------------

def _followees_split(user_id: int) -> tuple[list[int], list[int]]:
    """``(pushed, pulled)``: the reader's followees at or below the push threshold, and above it."""
    followees = list(Follow.objects.filter(follower_id=user_id).values_list("followee_id", flat=True))
    big = set(FollowCounter.objects.filter(user_id__in=followees, follower_cnt__gt=settings.FEED_PUSH_MAX_FOLLOWERS)
              .values_list("user_id", flat=True)) if followees else set()
    return [u for u in followees if u not in big], sorted(big)


def big_authors() -> frozenset[int]:
    """Every author above the push threshold: few by design, read through the followers index
    and kept in this process for ``FEED_BIG_AUTHORS_TTL`` seconds."""
    local = caches["local"]
    key = f"feed:big:{settings.FEED_PUSH_MAX_FOLLOWERS}"
    found = local.get(key)
    if found is None:
        found = frozenset(FollowCounter.objects.filter(follower_cnt__gt=settings.FEED_PUSH_MAX_FOLLOWERS)
                          .values_list("user_id", flat=True))
        local.set(key, found, settings.FEED_BIG_AUTHORS_TTL)
    return found


def _followed_among(user_id: int, author_ids: set[int]) -> set[int]:
    """Which of ``author_ids`` the reader follows now; asked on every feed page, so written as
    SQL (the ORM's statement building was a fifth of a page's Python calls, docs/performance.md)."""
    if not author_ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(_followed_among_sql() % ", ".join(["%s"] * len(author_ids)), [user_id, *author_ids])
        return {followee for (followee,) in cursor.fetchall()}


@functools.cache
def _followed_among_sql() -> str:
    qn, meta = connection.ops.quote_name, Follow._meta
    followee = qn(meta.get_field("followee").column)
    return (f"SELECT {followee} FROM {qn(meta.db_table)} "  # noqa: S608 (names from the model)
            f"WHERE {qn(meta.get_field('follower').column)} = %%s AND {followee} IN (%s)")


def is_pushed_author(author_id: int) -> bool:
    """Whether the author's new articles are pushed (at most FEED_PUSH_MAX_FOLLOWERS followers)."""
    row = FollowCounter.objects.filter(user_id=author_id).values_list("follower_cnt", flat=True).first()
    return (row or 0) <= settings.FEED_PUSH_MAX_FOLLOWERS


def push_wanted(author_id: int) -> bool:
    """Whether a new article of the author is to be pushed: followed, and not above the threshold."""
    row = FollowCounter.objects.filter(user_id=author_id).values_list("follower_cnt", flat=True).first()
    return 0 < (row or 0) <= settings.FEED_PUSH_MAX_FOLLOWERS


# --- the inbox ---------------------------------------------------------------------------------------

def _pairs(records: list[LiveRecord]) -> list:
    out: list = []
    for r in records:
        out += [score_of(r.published_at), r.id]
    return out


def inbox_rebuild(user_id: int) -> int:
    """Build the reader's inbox from the database: the newest FEED_INBOX_SIZE live articles of
    the followees who are pushed. Marked built first, so a fan-out landing meanwhile is kept."""
    size = settings.FEED_INBOX_SIZE
    key = kv.feed_inbox_key(user_id)
    conn = kv.client()
    conn.delete(key)
    _add(keys=[key], args=[size, settings.FEED_INBOX_TTL, "1", "0"], conn=conn)
    pushed, _pulled = _followees_split(user_id)
    records = articles.articles_live_by_authors(author_ids=pushed, limit=size)
    trimmed = "1" if len(records) >= size else "0"
    _add(keys=[key], args=[size, settings.FEED_INBOX_TTL, "0", trimmed, *_pairs(records)], conn=conn)
    metrics.FEED_INBOX_REBUILDS.inc()
    return len(records)


def inbox_follow_added(*, user_id: int, followee_id: int) -> None:
    """A new followee's recent articles enter the reader's inbox (when it exists and the
    followee is pushed; a pulled one is read at read time)."""
    if not is_pushed_author(followee_id):
        return
    size = settings.FEED_INBOX_SIZE
    records = articles.articles_live_by_authors(author_ids=[followee_id], limit=size)
    if not records:
        return
    trimmed = "1" if len(records) >= size else "0"
    _add(keys=[kv.feed_inbox_key(user_id)], args=[size, settings.FEED_INBOX_TTL, "0", trimmed, *_pairs(records)])


def inbox_follow_removed(*, user_id: int, followee_id: int) -> None:
    """The articles of someone the reader no longer follows leave the inbox."""
    key = kv.feed_inbox_key(user_id)
    conn = kv.client()
    ids = [int(m) for m in conn.zrange(key, 0, -1) if m not in _MARKS]
    gone = [aid for aid, r in articles.articles_live_by_ids(ids=ids).items() if r.author_id == followee_id]
    if gone:
        conn.zrem(key, *gone)


def fanout(*, article_id: int, author_id: int) -> int:
    """Push a newly published article into its author's followers' inboxes; returns how many
    inboxes took it. Nothing for an author above the threshold or an article no longer live."""
    record = articles.articles_live_by_ids(ids=[article_id]).get(article_id)
    if record is None or record.author_id != author_id:
        metrics.FEED_FANOUT_TASKS.labels(outcome="gone").inc()
        return 0
    if not is_pushed_author(author_id):
        metrics.FEED_FANOUT_TASKS.labels(outcome="pull").inc()
        return 0
    batch_size = settings.FEED_FANOUT_BATCH_SIZE
    args = [settings.FEED_INBOX_SIZE, score_of(record.published_at), article_id]
    conn = kv.client()
    pushed = 0
    after: tuple | None = None
    while True:
        qs = Follow.objects.filter(followee_id=author_id)
        if after is not None:
            qs = qs.filter(Q(ctime__lt=after[0]) | Q(ctime=after[0], pk__lt=after[1]))
        batch = list(qs.order_by("-ctime", "-id").values_list("ctime", "id", "follower_id")[:batch_size])
        if not batch:
            break
        n = _fanout(keys=[kv.feed_inbox_key(f) for _c, _i, f in batch], args=args, conn=conn)
        pushed += n
        metrics.FEED_FANOUT_BATCHES.inc()
        metrics.FEED_FANOUT_PUSHES.inc(n)
        if len(batch) < batch_size:
            break
        after = batch[-1][:2]
    metrics.FEED_FANOUT_TASKS.labels(outcome="pushed").inc()
    return pushed


# --- reading -----------------------------------------------------------------------------------------

def _inbox_candidates(user_id: int, before: tuple[datetime, int] | None, want: int,
                      bigs: frozenset[int]) -> tuple[list[LiveRecord], bool, set[int]]:
    """Live inbox articles older than ``before`` by authors the reader follows, at least
    ``want`` of them unless the inbox ran out; whether the database must be asked for older
    pushed articles (the inbox ran out short of ``want`` and had been trimmed: it is the newest
    part of the truth, complete only down to its oldest member); and which of ``bigs`` the
    reader follows (asked in the same query as the inbox's authors)."""
    key = kv.feed_inbox_key(user_id)
    conn = kv.client()
    top = "(+inf" if before is None else score_of(before[0])
    chunk = want + 10
    # The inbox's marks and its first chunk in one round trip; the chunk is read again only
    # when the inbox had to be built first.
    pipe = conn.pipeline(transaction=False)
    pipe.zscore(key, BUILT)
    pipe.zscore(key, TRIMMED)
    pipe.expire(key, settings.FEED_INBOX_TTL)
    pipe.zrevrangebyscore(key, top, "-inf", start=0, num=chunk)
    built, trimmed, _, members = pipe.execute()
    if built is None:
        inbox_rebuild(user_id)
        trimmed = conn.zscore(key, TRIMMED)
        members = None
    offset = 0
    found: list[LiveRecord] = []
    pulled: set[int] | None = None
    while True:
        if members is None:
            members = conn.zrevrangebyscore(key, top, "-inf", start=offset, num=chunk)
        offset += len(members)
        ids = [int(m) for m in members if m not in _MARKS]
        records = [r for r in articles.articles_live_by_ids(ids=ids).values()
                   if before is None or _key(r) < before]
        followed = _followed_among(user_id, {r.author_id for r in records} | (bigs if pulled is None else set()))
        if pulled is None:
            pulled = followed & bigs
        found += [r for r in records if r.author_id in followed]
        if len(found) >= want:
            return found, False, pulled
        if len(members) < chunk:
            return found, trimmed is not None, pulled
        members = None


def feed_page(*, user_id: int, before: str | None, limit: int) -> tuple[list[LiveRecord], str | None]:
    """One page of the reader's feed and the cursor of the next (None at the end).

    Raises BadCursor for a ``before`` this feed did not give out.
    """
    after = cursor_decode(before) if before else None
    want = limit + 1  # one more tells whether there is a next page
    records = {}
    try:
        inboxed, deep, pulled = _inbox_candidates(user_id, after, want, big_authors())
    except kv.REDIS_ERRORS as exc:  # the inbox is a cache: without Redis, the database answers
        logger.warning("feed inbox unavailable: %s", type(exc).__name__)
        inboxed, deep, pulled = [], True, set()
    records.update({r.id: r for r in inboxed})
    if deep:
        pushed, pulled_now = _followees_split(user_id)
        authors = pushed + pulled_now
    else:
        authors = sorted(pulled)
    metrics.FEED_READS.labels(pull="yes" if pulled else "no").inc()
    records.update({r.id: r for r in articles.articles_live_by_authors(author_ids=authors, limit=want, before=after)})
    page = sorted(records.values(), key=_key, reverse=True)[:want]
    if len(page) > limit:
        return page[:limit], cursor_encode(page[limit - 1])
    return page, None


def feed_items(*, user_id: int, before: str | None, limit: int) -> dict:
    """``/feed``'s data: ``{items, next}``, items as ``/articles/pub/list`` gives them."""
    page, nxt = feed_page(user_id=user_id, before=before, limit=limit)
    return {"items": [public_list_item(r) for r in page], "next": nxt}
