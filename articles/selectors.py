"""Article reads, for our views and for other apps.

The public API for other apps (interactions, ranking) is the ``article_live_*`` /
``articles_live_*`` functions below; it only ever answers about PUBLISHED live rows, so
a withdrawn article is gone for every caller at once. See docs/articles.md.
"""

import functools
import html
import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Q

from articles import cache
from articles.models import Article, ArticleStatus, LiveArticle
from articles.records import DraftRecord, LiveRecord
from tinybook.exceptions import NotFoundError

_LIST_FIELDS = ("id", "author", "title", "abstract", "status", "ctime", "utime")
_LIVE_LIST_FIELDS = ("id", "author", "title", "abstract", "ctime", "utime", "published_at")
# IN (...) lists are split so one call never builds a giant query.
_IDS_CHUNK = 1000


def draft_record(article: Article, *, with_content: bool = True) -> DraftRecord:
    return DraftRecord(
        id=article.pk,
        author_id=article.author_id,
        title=article.title,
        content=article.content if with_content else None,
        abstract=article.abstract,
        status=article.status,
        ctime=article.ctime,
        utime=article.utime,
    )


def live_record(live: LiveArticle, *, with_content: bool = True) -> LiveRecord:
    """``live.author`` should be select_related: the author's name is part of the record."""
    return LiveRecord(
        id=live.pk,
        author_id=live.author_id,
        author_nickname=live.author.nickname,
        title=live.title,
        content=live.content if with_content else None,
        abstract=live.abstract,
        ctime=live.ctime,
        utime=live.utime,
        published_at=live.published_at,
    )


# --- the author's own articles ------------------------------------------------------------------

def _author_page_from_db(author_id: int, offset: int, limit: int) -> list[DraftRecord]:
    rows = (
        Article.objects.filter(author_id=author_id)
        .only(*_LIST_FIELDS)
        .order_by("-utime", "-id")[offset : offset + limit]
    )
    return [draft_record(a, with_content=False) for a in rows]


def _precache_detail(author_id: int, article_id: int) -> None:
    article = Article.objects.filter(pk=article_id, author_id=author_id).first()
    if article is not None:
        cache.author_detail_set(draft_record(article))


def article_ids_for_author(*, author_id: int):
    """All the author's article ids, as a subquery (not evaluated here)."""
    return Article.objects.filter(author_id=author_id).values("id")


def article_list_for_author(*, author_id: int, offset: int, limit: int) -> list[DraftRecord]:
    """The author's articles, newest edit first, abstracts only (``content`` is None).

    The first page is cached whole (``ARTICLE_LIST_MAX_LIMIT`` items) so every limit up
    to that is served from it. When a page comes from the database, its first
    article's detail is pre-cached: authors usually open what they just listed.
    """
    page_size = settings.ARTICLE_LIST_MAX_LIMIT
    if offset == 0 and limit <= page_size:
        page = cache.author_page_get(author_id)
        if page is not None:
            return page[:limit]
        page = _author_page_from_db(author_id, 0, page_size)
        cache.author_page_set(author_id, page)
        items = page[:limit]
    else:
        items = _author_page_from_db(author_id, offset, limit)
    if items:
        _precache_detail(author_id, items[0].id)
    return items


def article_detail_for_author(*, author_id: int, article_id: int) -> DraftRecord:
    """One of the author's own articles with content; anyone else's is "not found"."""
    cached = cache.author_detail_get(article_id)
    if cached is not None and cached.author_id == author_id:
        return cached
    article = Article.objects.filter(pk=article_id, author_id=author_id).first()
    if article is None:
        raise NotFoundError()
    return draft_record(article)


# --- readers and other apps (public API) ---------------------------------------------------------

def _published():
    return LiveArticle.objects.filter(status=ArticleStatus.PUBLISHED)


def article_live_get(*, article_id: int) -> LiveRecord:
    """A published article with content; NotFoundError otherwise (withdrawn included)."""
    cached = cache.reader_get(article_id)
    if cached is cache.WITHDRAWN:
        raise NotFoundError()
    if cached is not None:
        return cached
    live = _published().select_related("author").filter(pk=article_id).first()
    if live is None:
        raise NotFoundError()
    record = live_record(live)
    cache.reader_fill(record)
    return record


def article_live_from_copy(*, article_id: int, copy: bytes) -> LiveRecord:
    """The article from its reader-cache entry as read by someone else (interactions' guarded
    read); the database answers when the entry cannot be read."""
    record = cache.reader_decode(copy)
    if isinstance(record, LiveRecord):
        return record
    if record is cache.WITHDRAWN:
        raise NotFoundError()
    return article_live_get(article_id=article_id)


def article_is_live(*, article_id: int) -> bool:
    """From the database (a primary-key lookup), never a possibly stale cache."""
    return _published().filter(pk=article_id).exists()


def article_live_sql(article_id: int) -> tuple[str, list]:
    """``(sql, params)`` of a query that yields one row (the article's id) while the article is
    published and none otherwise, for another app to put in its own statement, so that a write
    that needs a live article checks it in the same statement and round trip (a like:
    ``INSERT … SELECT``, ``UPDATE … WHERE EXISTS``). Like ``article_is_live``, it asks the
    database, never a cache."""
    return _live_sql(), [article_id, ArticleStatus.PUBLISHED]


@functools.cache
def _live_sql() -> str:
    qn = connection.ops.quote_name
    meta = LiveArticle._meta
    return (f"SELECT {qn(meta.pk.column)} FROM {qn(meta.db_table)} "  # noqa: S608 (names from the model)
            f"WHERE {qn(meta.pk.column)} = %s AND {qn(meta.get_field('status').column)} = %s")


def article_author_id(*, article_id: int) -> int | None:
    """The author of an article in any state (comment moderation); None when there is none."""
    return Article.objects.filter(pk=article_id).values_list("author_id", flat=True).first()


def articles_live_ids(*, ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` are published now (e.g. to drop withdrawn ones from a list)."""
    ids = list(dict.fromkeys(ids))
    found: set[int] = set()
    for i in range(0, len(ids), _IDS_CHUNK):
        found.update(_published().filter(pk__in=ids[i : i + _IDS_CHUNK]).values_list("pk", flat=True))
    return found


def articles_live_by_ids(*, ids: Iterable[int], with_content: bool = False) -> dict[int, LiveRecord]:
    """Published articles among ``ids``, by id, abstracts only (``content`` is None) unless
    ``with_content``."""
    ids = list(dict.fromkeys(ids))
    out: dict[int, LiveRecord] = {}
    if not ids:
        return out
    # SQL, not the ORM: the feed and search build a page from these on every request, and
    # building the queryset's statement and converting its rows was most of the query's cost
    # (model instances before that, docs/performance.md). The statement is the ORM's
    # ``_published().filter(pk__in=…).values_list(…)`` with the author's nickname joined.
    select, status = _live_by_ids_sql(with_content), ArticleStatus.PUBLISHED
    from_db = _datetime_from_db()
    with connection.cursor() as cursor:
        for i in range(0, len(ids), _IDS_CHUNK):
            chunk = ids[i : i + _IDS_CHUNK]
            cursor.execute(select % ", ".join(["%s"] * len(chunk)), [status, *chunk])
            for pk, author_id, nickname, title, content, abstract, ctime, utime, published_at in cursor.fetchall():
                out[pk] = LiveRecord(pk, author_id, nickname, title, content, abstract,
                                     from_db(ctime), from_db(utime), from_db(published_at))
    return out


@functools.cache
def _live_by_ids_sql(with_content: bool) -> str:
    """The live articles' statement of ``articles_live_by_ids``; ``%%s`` stands for the ids."""
    qn = connection.ops.quote_name
    live, author = LiveArticle._meta, LiveArticle._meta.get_field("author").related_model._meta

    def col(name: str) -> str:
        return f"a.{qn(live.get_field(name).column)}"

    content = col("content") if with_content else "NULL"
    return (f"SELECT {col('id')}, {col('author')}, u.{qn(author.get_field('nickname').column)}, {col('title')}, "  # noqa: S608
            f"{content}, {col('abstract')}, {col('ctime')}, {col('utime')}, {col('published_at')} "
            f"FROM {qn(live.db_table)} a INNER JOIN {qn(author.db_table)} u ON u.{qn(author.pk.column)} = {col('author')} "
            f"WHERE {col('status')} = %%s AND {col('id')} IN (%s)")


def _datetime_from_db():
    """What the ORM does to a datetime column's value (aware, in the connection's zone)."""
    convert = connection.ops.convert_datetimefield_value
    return lambda value: None if value is None else convert(value, None, connection)


def articles_live_batches(*, batch_size: int, author_id: int | None = None) -> Iterator[list[LiveRecord]]:
    """Every published article (of ``author_id`` when given) with content, by id, in batches:
    keyset pagination, one bounded query per batch (search's reindex)."""
    after = 0
    while True:
        qs = _published().filter(pk__gt=after)
        if author_id is not None:
            qs = qs.filter(author_id=author_id)
        rows = list(qs.select_related("author").only(*_LIVE_LIST_FIELDS, *_AUTHOR_FIELDS, "content")
                    .order_by("id")[:batch_size])
        if not rows:
            return
        yield [live_record(r) for r in rows]
        if len(rows) < batch_size:
            return
        after = rows[-1].pk


def articles_live_versions(*, batch_size: int) -> Iterator[list[tuple[int, datetime]]]:
    """``(id, utime)`` of every published article, by id, in batches (search's check)."""
    after = 0
    while True:
        batch = list(_published().filter(pk__gt=after).order_by("id").values_list("id", "utime")[:batch_size])
        if not batch:
            return
        yield batch
        if len(batch) < batch_size:
            return
        after = batch[-1][0]


_AUTHOR_FIELDS = ("author__nickname",)


def articles_live_list(*, offset: int, limit: int) -> list[LiveRecord]:
    """Published articles, newest publication first, abstracts only (``content`` is None)."""
    rows = (
        _published()
        .select_related("author")
        .only(*_LIVE_LIST_FIELDS, *_AUTHOR_FIELDS)
        .order_by("-published_at", "-id")[offset : offset + limit]
    )
    return [live_record(r, with_content=False) for r in rows]


def _before(qs, before: tuple[datetime, int] | None):
    if before is None:
        return qs
    return qs.filter(Q(published_at__lt=before[0]) | Q(published_at=before[0], pk__lt=before[1]))


def articles_live_by_authors(*, author_ids: Iterable[int], limit: int,
                             before: tuple[datetime, int] | None = None) -> list[LiveRecord]:
    """The newest ``limit`` published articles of these authors, newest publication first,
    strictly older than ``before`` (``(published_at, id)``) when given; abstracts only."""
    author_ids = list(dict.fromkeys(author_ids))
    if not author_ids or limit <= 0:
        return []
    rows = (
        _before(_published().filter(author_id__in=author_ids), before)
        .select_related("author")
        .only(*_LIVE_LIST_FIELDS, *_AUTHOR_FIELDS)
        .order_by("-published_at", "-id")[:limit]
    )
    return [live_record(r, with_content=False) for r in rows]


def articles_live_for_author(*, author_id: int, offset: int, limit: int) -> list[LiveRecord]:
    """One author's published articles, newest publication first (their public page)."""
    rows = (
        _published().filter(author_id=author_id)
        .select_related("author")
        .only(*_LIVE_LIST_FIELDS, *_AUTHOR_FIELDS)
        .order_by("-published_at", "-id")[offset : offset + limit]
    )
    return [live_record(r, with_content=False) for r in rows]


def articles_live_count(*, author_id: int | None = None) -> int:
    """How many published articles the author (everyone, without ``author_id``) has now
    (withdrawn and drafts not counted)."""
    qs = _published()
    return (qs if author_id is None else qs.filter(author_id=author_id)).count()


def articles_live_published_since(*, since: datetime, batch_size: int) -> Iterator[list[tuple[int, datetime]]]:
    """``(id, published_at)`` of articles published at or after ``since``, in batches.

    Keyset pagination on the (status, published_at, id) index: each batch is one
    bounded query and memory stays at ``batch_size`` rows however many there are.
    """
    after: tuple[datetime, int] | None = None
    while True:
        qs = _published().filter(published_at__gte=since)
        if after is not None:
            qs = qs.filter(Q(published_at__gt=after[0]) | Q(published_at=after[0], pk__gt=after[1]))
        batch = list(qs.order_by("published_at", "id").values_list("id", "published_at")[:batch_size])
        if not batch:
            return
        yield batch
        if len(batch) < batch_size:
            return
        after = (batch[-1][1], batch[-1][0])


# The src of an <img> as nh3 writes it (double-quoted values, which may hold ">").
_IMG_SRC = re.compile(r'<img\b(?:[^>"]|"[^"]*")*?\ssrc="([^"]*)"')


def article_image_urls(*, batch_size: int) -> set[str]:
    """Every image URL that an article refers to: drafts and live copies, whatever their status
    (a withdrawn article may be published again; a live copy may be older than its draft).

    Keyset batches by id over the rows whose content has an image at all.
    """
    urls: set[str] = set()
    for model in (Article, LiveArticle):
        after = 0
        while True:
            rows = list(
                model.objects.filter(pk__gt=after, content__contains="<img")
                .order_by("pk")
                .values_list("pk", "content")[:batch_size]
            )
            for _pk, content in rows:
                urls.update(html.unescape(src) for src in _IMG_SRC.findall(content))
            if len(rows) < batch_size:
                break
            after = rows[-1][0]
    return urls
