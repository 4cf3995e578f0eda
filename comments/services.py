"""Comment writes: create, delete, and hiding/showing with the article.

Concurrency model (as interactions', docs/comments.md): the object's counter row exists before
a write transaction touches it, and every write of the object's comments locks it first
(``SELECT … FOR UPDATE``). So the writes of one article serialize on one row: a comment, its
root's ``reply_cnt`` and the article's count change together, a reply cannot slip into a
thread whose root is being removed, and the count equals the visible comments.
After each commit the cache entry gets the new version and count (``comments.cache``).
"""

import functools
import hashlib
import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from articles import selectors as articles
from comments import cache, metrics, selectors
from comments.models import BIZ_ARTICLE, Comment, CommentCounter
from tinybook import kv
from tinybook.exceptions import (
    ApplicationError,
    DependencyError,
    ForbiddenError,
    NotFoundError,
    TooManyAttemptsError,
)
from users import selectors as users

logger = logging.getLogger(__name__)


@contextmanager
def _counter_locked(biz: str, biz_id: int):
    """A transaction holding the lock of the object's counter row, created first if missing
    (outside any transaction, the unique index deciding races). Yields ``counted(delta)``:
    the count moves by ``delta`` and the version by one, from the values read under the lock
    (exact: nobody else writes the row meanwhile); the cache follows the commit."""
    lock_sql, update_sql = _counter_sql()
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(lock_sql, [biz, biz_id])
                row = cursor.fetchone()
            if row:
                pk, version, cnt = row

                def counted(delta: int, pk=pk, version=version, cnt=cnt) -> None:  # once per transaction
                    new_version, new_cnt = version + 1, max(cnt + delta, 0)
                    with connection.cursor() as cursor:
                        cursor.execute(update_sql, [new_cnt, new_version, pk])
                    transaction.on_commit(lambda: cache.entry_put(biz, biz_id, version=new_version, cnt=new_cnt,
                                                                  page=None))

                yield counted
                return
        CommentCounter.objects.bulk_create([CommentCounter(biz=biz, biz_id=biz_id)], ignore_conflicts=True)


@functools.cache
def _counter_sql() -> tuple[str, str]:
    """The counter row's lock and its update, as SQL: every comment write runs them while it
    holds the article's lock, and the ORM's statement building there was time every other
    writer of the article waited through (docs/performance.md). They are the ORM's
    ``select_for_update().filter(biz, biz_id).values_list(pk, version, cnt)`` and
    ``filter(pk).update(cnt, version)``."""
    qn, meta = connection.ops.quote_name, CommentCounter._meta
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    cnt, version = qn(meta.get_field("cnt").column), qn(meta.get_field("version").column)
    lock = (f"SELECT {pk}, {version}, {cnt} FROM {table} "  # noqa: S608 (names from the model)
            f"WHERE {qn(meta.get_field('biz').column)} = %s AND {qn(meta.get_field('biz_id').column)} = %s "
            f"{connection.ops.for_update_sql() if connection.features.has_select_for_update else ''}")
    update = f"UPDATE {table} SET {cnt} = %s, {version} = %s WHERE {pk} = %s"  # noqa: S608
    return lock, update


def _content(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise ApplicationError(_("must not be empty"), field="content", label=pgettext("field", "content"))
    if len(text) > settings.COMMENT_MAX_CHARS:
        raise ApplicationError(_("must be at most %(n)d characters") % {"n": settings.COMMENT_MAX_CHARS},
                               field="content", label=pgettext("field", "content"))
    return text


def _thread(biz: str, biz_id: int, root_id: int | None,
            parent_id: int | None) -> tuple[int | None, int | None, str]:
    """(root id, id of the user answered, their nickname) for a new comment; code 4 when the
    thread is wrong."""
    if root_id is None and parent_id is None:
        return None, None, ""
    if root_id is None:  # a parent alone names its thread
        parent = Comment.objects.filter(pk=parent_id).values_list("root_id", flat=True).first()
        root_id = parent or parent_id
    root = Comment.objects.filter(pk=root_id, biz=biz, biz_id=biz_id, root__isnull=True).values_list(
        "user_id", "deleted").first()
    if root is None:
        raise ApplicationError(_("no such comment in this article"), field="rootId",
                               label=pgettext("field", "rootId"))
    if parent_id is None:
        return root_id, None, ""
    answered = (Comment.objects.filter(Q(pk=root_id) | Q(root_id=root_id), pk=parent_id, deleted=False)
                .values_list("user_id", "user__nickname").first())
    if answered is None:
        raise ApplicationError(_("no such comment in this thread"), field="parentId",
                               label=pgettext("field", "parentId"))
    return root_id, *answered


def _admit(user_id: int, biz: str, biz_id: int, digest: str) -> bool:
    """True when admitted through Redis; False when Redis failed and COMMENT_RATE_LIMIT_FAIL_OPEN."""
    try:
        outcome = cache.admit(user_id=user_id, biz=biz, biz_id=biz_id, digest=digest)
    except kv.REDIS_ERRORS:
        metrics.COMMENT_ADMIT_FAILURES.inc()
        logger.warning("comment limits unavailable (Redis); fail_open=%s", settings.COMMENT_RATE_LIMIT_FAIL_OPEN)
        if settings.COMMENT_RATE_LIMIT_FAIL_OPEN:
            return False
        raise DependencyError() from None
    if outcome == cache.DUPLICATE:
        metrics.COMMENT_REFUSALS.labels(reason="duplicate").inc()
        raise ApplicationError(_("you just posted the same comment"))
    if outcome == cache.RATE_LIMITED:
        metrics.COMMENT_REFUSALS.labels(reason="rate").inc()
        raise TooManyAttemptsError(_("too many comments, try again in a minute"))
    return True


def comment_create(*, user_id: int, biz: str = BIZ_ARTICLE, biz_id: int, root_id: int | None = None,
                   parent_id: int | None = None, content: str) -> dict:
    """Post a comment: a root, or a reply in ``root_id``'s thread answering ``parent_id``.

    Checked in this order, nothing stored on a refusal: the text (1..COMMENT_MAX_CHARS after
    trimming), the object (a live article), the thread, then the rate limit and duplicates
    (Redis, one round trip), then the thread again under the lock. Returns the API item.
    """
    try:
        text = _content(content)
        live, nick = _live_and_nickname(biz, biz_id, user_id)
        if not live:
            raise NotFoundError(_("article not found"))
        _thread(biz, biz_id, root_id, parent_id)
    except ApplicationError:
        metrics.COMMENT_REFUSALS.labels(reason="invalid").inc()
        raise
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    admitted = _admit(user_id, biz, biz_id, digest)
    try:
        with _counter_locked(biz, biz_id) as counted:
            root_id, answered, to_nick = _thread(biz, biz_id, root_id, parent_id)  # the truth, under the lock
            comment = Comment.objects.create(user_id=user_id, biz=biz, biz_id=biz_id, root_id=root_id,
                                             parent_id=parent_id, reply_to_user_id=answered, content=text)
            if root_id is not None:
                Comment.objects.filter(pk=root_id).update(reply_cnt=F("reply_cnt") + 1)
            counted(+1)
    except Exception:
        if admitted:
            cache.admit_undo(user_id=user_id, biz=biz, biz_id=biz_id, digest=digest)
        raise
    metrics.COMMENTS_CREATED.labels(level="root" if root_id is None else "reply").inc()
    return selectors.item(selectors.stored(comment, nick=nick, to_nick=to_nick))


def _live_and_nickname(biz: str, biz_id: int, user_id: int) -> tuple[bool, str]:
    """(whether the commented object is live, the poster's nickname): one statement, one round
    trip, from the database (articles' and users' own queries, ``article_live_sql`` and
    ``user_nickname_sql``); the nickname is for the answer, which names the poster."""
    if biz != BIZ_ARTICLE:
        return False, ""
    live, live_params = articles.article_live_sql(biz_id)
    nick, nick_params = users.user_nickname_sql(user_id)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS ({live}), ({nick})", [*live_params, *nick_params])
        is_live, nickname = cursor.fetchone()
    return bool(is_live), nickname or ""


def comment_delete(*, user_id: int, comment_id: int, staff: bool | None = None) -> bool:
    """Delete a comment as its author, the article's author or staff. Idempotent: a comment
    already gone (or a root already kept as "[deleted]") changes nothing and returns False.

    A root with replies stays as a placeholder; a reply's thread loses one; a placeholder whose
    last reply goes, goes too. The count drops by the one visible comment removed.
    ``staff``: None asks the database (an API token does not say).
    """
    found = Comment.objects.filter(pk=comment_id).values_list("biz", "biz_id", "user_id").first()
    if found is None:
        return False
    biz, biz_id, author_id = found
    if staff:
        by = "staff"
    elif author_id == user_id:
        by = "author"
    elif biz == BIZ_ARTICLE and articles.article_author_id(article_id=biz_id) == user_id:
        by = "article_author"
    elif staff is None and users.user_is_staff(user_id=user_id):
        by = "staff"
    else:
        raise ForbiddenError(_("you may not delete this comment"))
    with _counter_locked(biz, biz_id) as counted:
        comment = Comment.objects.filter(pk=comment_id).first()
        if comment is None or comment.deleted:
            return False
        if comment.root_id is None:
            if comment.reply_cnt > 0:
                Comment.objects.filter(pk=comment.pk).update(deleted=True, content="")
            else:
                comment.delete()
        else:
            comment.delete()
            Comment.objects.filter(pk=comment.root_id).update(reply_cnt=Greatest(F("reply_cnt") - 1, 0))
            Comment.objects.filter(pk=comment.root_id, deleted=True, reply_cnt=0).delete()
        counted(-1)
    metrics.COMMENTS_DELETED.labels(by=by).inc()
    logger.info("comment %s deleted by user %s (%s)", comment_id, user_id, by)
    return True


def comments_visibility_changed(*, biz: str = BIZ_ARTICLE, biz_id: int) -> None:
    """The object left the readers or came back (an article withdrawn or republished): its
    cached page goes at once; the next reader asks the database, which says whether to show it."""
    with _counter_locked(biz, biz_id) as counted:
        counted(0)


def comment_thread_of(*, comment_id: int) -> tuple[str, int] | None:
    """(biz, biz_id) of a comment, for the pages' redirects."""
    return Comment.objects.filter(pk=comment_id).values_list("biz", "biz_id").first()


def comment_counts_check(*, fix: bool, batch_size: int) -> dict[str, int]:
    """Compare every object's counter and every root's ``reply_cnt`` with the rows, in keyset
    batches of counters; with ``fix``, repair each mismatch under that object's lock (the
    services never leave one; a user removed from the database takes their comments with them
    without telling the counters). Returns ``{"objects", "counts_wrong", "threads_wrong"}``."""
    done = {"objects": 0, "counts_wrong": 0, "threads_wrong": 0}
    last = 0
    while True:
        batch = list(CommentCounter.objects.filter(pk__gt=last).order_by("pk")
                     .values_list("pk", "biz", "biz_id", "cnt")[:batch_size])
        if not batch:
            return done
        last = batch[-1][0]
        for _pk, biz, biz_id, cnt in batch:
            done["objects"] += 1
            wrong_count = _visible(biz, biz_id) != cnt
            wrong_threads = _threads_wrong(biz, biz_id)
            done["counts_wrong"] += wrong_count
            done["threads_wrong"] += len(wrong_threads)
            if fix and (wrong_count or wrong_threads):
                _repair(biz, biz_id)


def _visible(biz: str, biz_id: int) -> int:
    return Comment.objects.filter(biz=biz, biz_id=biz_id, deleted=False).count()


def _threads_wrong(biz: str, biz_id: int) -> dict[int, int]:
    """{root id: its true reply count} of the roots whose ``reply_cnt`` is off."""
    true = dict(Comment.objects.filter(biz=biz, biz_id=biz_id, root__isnull=False).values("root_id")
                .annotate(n=Count("id")).values_list("root_id", "n"))
    roots = Comment.objects.filter(biz=biz, biz_id=biz_id, root__isnull=True).values_list("pk", "reply_cnt")
    return {pk: true.get(pk, 0) for pk, n in roots if n != true.get(pk, 0)}


def _repair(biz: str, biz_id: int) -> None:
    with _counter_locked(biz, biz_id) as counted:
        for root_id, n in _threads_wrong(biz, biz_id).items():
            Comment.objects.filter(pk=root_id).update(reply_cnt=n)
        Comment.objects.filter(biz=biz, biz_id=biz_id, root__isnull=True, deleted=True, reply_cnt=0).delete()
        cnt = CommentCounter.objects.filter(biz=biz, biz_id=biz_id).values_list("cnt", flat=True).get()
        counted(_visible(biz, biz_id) - cnt)
    logger.warning("comment counts of %s:%s repaired", biz, biz_id)
