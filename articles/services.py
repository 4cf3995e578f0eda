"""Article writes: save a draft, publish it, withdraw it.

Each write is one transaction that first locks the draft row by primary key. The reader
cache is written inside it, under that lock; the author's caches are deleted after it
(see docs/articles.md). A cache failure never undoes or fails a write.
"""

import logging
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone

from articles import cache, signals
from articles.content import abstract_of, content_clean, title_clean
from articles.metrics import ARTICLE_FOREIGN_WRITES
from articles.models import Article, ArticleStatus, LiveArticle
from articles.selectors import live_record
from tinybook.exceptions import NotFoundError

logger = logging.getLogger(__name__)


def _not_found(*, action: str, author_id: int, article_id: int) -> NotFoundError:
    """The article is not the author's. If it exists at all, that is worth an alert."""
    if Article.objects.filter(pk=article_id).exists():
        ARTICLE_FOREIGN_WRITES.labels(action=action).inc()
        logger.warning(
            "possible tampering: user %s tried to %s article %s of another author",
            author_id,
            action,
            article_id,
        )
    return NotFoundError()


def _draft_lock(*, action: str, author_id: int, article_id: int) -> Article:
    """Lock the author's draft row (in a transaction) or raise "not found".

    Every write locks the draft by primary key first, so writes to one article queue in
    one order (a lock taken through the author index first would deadlock with them)
    and the live row always ends up matching the draft of the last one to commit.
    """
    draft = Article.objects.select_for_update().filter(pk=article_id).first()
    if draft is None or draft.author_id != author_id:
        raise _not_found(action=action, author_id=author_id, article_id=article_id)
    return draft


def _draft_write(*, action: str, author_id: int, article_id: int | None, title: str, content: str,
                 status: int) -> Article:
    """Create the draft, or update it where it is the author's, and lock it (in a transaction)."""
    title = title_clean(title)
    content = content_clean(content)
    now = timezone.now()
    fields = {"title": title, "content": content, "abstract": abstract_of(content), "status": status, "utime": now}
    if article_id is None:
        return Article.objects.create(author_id=author_id, ctime=now, **fields)
    draft = _draft_lock(action=action, author_id=author_id, article_id=article_id)
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.save(update_fields=list(fields))
    return draft


def _notify(signal, **kwargs) -> None:
    for receiver, result in signal.send_robust(sender=Article, **kwargs):
        if isinstance(result, Exception):
            logger.error(
                "article signal receiver %r failed: %s", receiver, result, exc_info=(type(result), result, result.__traceback__)
            )


@contextmanager
def _reader_cache_guard():
    """If the transaction fails after the reader cache was written, drop that entry.

    Yields a list to append the written article id to. The database is then the truth
    again and the next reader refills from it.
    """
    written: list[int] = []
    try:
        yield written
    except BaseException:
        for article_id in written:
            cache.reader_forget(article_id)
        raise


def article_save(*, author_id: int, article_id: int | None = None, title: str, content: str) -> int:
    """Create or update a draft. Its status becomes UNPUBLISHED; a live copy stays as it was."""
    with transaction.atomic():
        draft = _draft_write(
            action="edit",
            author_id=author_id,
            article_id=article_id,
            title=title,
            content=content,
            status=ArticleStatus.UNPUBLISHED,
        )
    cache.author_forget(author_id=author_id, article_id=draft.pk)
    return draft.pk


def _live_upsert(draft: Article, now) -> None:
    """INSERT … ON CONFLICT/DUPLICATE KEY UPDATE; ``published_at`` is set only by the insert."""
    LiveArticle.objects.bulk_create(
        [
            LiveArticle(
                id=draft.pk,
                author_id=draft.author_id,
                title=draft.title,
                content=draft.content,
                abstract=draft.abstract,
                status=ArticleStatus.PUBLISHED,
                ctime=draft.ctime,
                utime=draft.utime,
                published_at=now,
            )
        ],
        update_conflicts=True,
        # MySQL's ON DUPLICATE KEY UPDATE takes no conflict target; SQLite's ON CONFLICT needs one.
        unique_fields=["id"] if connection.features.supports_update_conflicts_with_target else None,
        update_fields=["author", "title", "content", "abstract", "status", "utime"],
    )


def article_publish(*, author_id: int, article_id: int | None = None, title: str, content: str) -> int:
    """Save the draft and put it live, both or neither; the reader copy is cached at once."""
    with _reader_cache_guard() as written, transaction.atomic():
        draft = _draft_write(
            action="publish",
            author_id=author_id,
            article_id=article_id,
            title=title,
            content=content,
            status=ArticleStatus.PUBLISHED,
        )
        _live_upsert(draft, draft.utime)
        live = LiveArticle.objects.select_related("author").get(pk=draft.pk)
        # Written while the draft row is locked: a concurrent withdraw of this article
        # waits for our commit and then writes its tombstone after this, never before.
        written.append(draft.pk)
        cache.reader_put(live_record(live))
    cache.author_forget(author_id=author_id, article_id=draft.pk)
    _notify(signals.article_published, article_id=draft.pk, author_id=author_id)
    return draft.pk


def article_withdraw(*, author_id: int, article_id: int) -> None:
    """Status PRIVATE in both tables; readers lose it at once, the cached copy too."""
    now = timezone.now()
    with _reader_cache_guard() as written, transaction.atomic():
        draft = _draft_lock(action="withdraw", author_id=author_id, article_id=article_id)
        draft.status, draft.utime = ArticleStatus.PRIVATE, now
        draft.save(update_fields=["status", "utime"])
        LiveArticle.objects.filter(pk=article_id).update(status=ArticleStatus.PRIVATE, utime=now)
        # While the draft row is locked (see article_publish), and before readers can see
        # the commit: a reader filling the cache from a pre-commit read finds the tombstone.
        written.append(article_id)
        cache.reader_withdraw(article_id)
    cache.author_forget(author_id=author_id, article_id=article_id)
    _notify(signals.article_withdrawn, article_id=article_id, author_id=author_id)



def article_live_repair(*, article_id: int) -> str:
    """Make the live row agree with the draft (``check_articles --fix``); returns what was done.

    A published draft gets its live copy (re)written; a live row whose draft is gone is
    deleted; a live row still PUBLISHED while its draft was withdrawn is withdrawn. A
    draft edited after publishing (status UNPUBLISHED) legitimately differs: untouched.
    """
    with transaction.atomic():
        draft = Article.objects.select_for_update().filter(pk=article_id).first()
        if draft is None:
            deleted, _ = LiveArticle.objects.filter(pk=article_id).delete()
            action = "deleted" if deleted else "none"
        elif draft.status == ArticleStatus.PUBLISHED:
            _live_upsert(draft, draft.utime)
            action = "copied"
        elif draft.status == ArticleStatus.PRIVATE:
            updated = LiveArticle.objects.filter(pk=article_id).exclude(status=ArticleStatus.PRIVATE).update(
                status=ArticleStatus.PRIVATE
            )
            action = "withdrawn" if updated else "none"
        else:
            action = "none"
    if action == "copied":
        live = LiveArticle.objects.select_related("author").get(pk=article_id)
        cache.reader_put(live_record(live))
        _notify(signals.article_published, article_id=article_id, author_id=live.author_id)
    elif action in ("deleted", "withdrawn"):
        cache.reader_withdraw(article_id)
        _notify(signals.article_withdrawn, article_id=article_id, author_id=draft.author_id if draft else None)
    return action
