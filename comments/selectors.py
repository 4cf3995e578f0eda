"""Comment reads: an object's threads (the first page through the cache), a thread's replies,
counts.

Threads are stored and cached in a language-free shape (``stored``: the authors' nicknames,
"" for none) and named for the reader when answered (``item``), as the hot list is.
"""

import json

from django.conf import settings
from django.core.cache import caches
from django.db.models import F, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles import selectors as articles
from articles.items import when
from comments import cache
from comments.models import BIZ_ARTICLE, Comment, CommentCounter
from tinybook.exceptions import NotFoundError
from users.names import display_name

COUNT_FIELD = "cnt"  # the count's field in the cache hash (kv.comment_page_key), for one-round-trip readers

_FIELDS = ("id", "biz_id", "root_id", "parent_id", "content", "deleted", "reply_cnt", "ctime",
           "user_id", "user__nickname", "reply_to_user_id", "reply_to_user__nickname")


def with_authors(qs):
    """The comments of ``qs`` with the names their items show (one query)."""
    return qs.select_related("user", "reply_to_user").only(*_FIELDS)


def stored(c: Comment, replies: list[dict] | None = None, *, nick: str | None = None,
           to_nick: str | None = None) -> dict:
    """One comment as cached: what every reader sees, names not yet chosen. The nicknames
    are the related users' (``with_authors``) unless given (a comment just created)."""
    gone = c.deleted
    if nick is None:
        nick = c.user.nickname
    if to_nick is None:
        to_nick = c.reply_to_user.nickname if c.reply_to_user_id else ""
    return {
        "id": c.pk,
        "bizId": c.biz_id,
        "rootId": c.root_id,
        "parentId": c.parent_id,
        "content": "" if gone else c.content,
        "uid": None if gone else c.user_id,
        "nick": "" if gone else nick,
        "toUid": c.reply_to_user_id,
        "toNick": to_nick if c.reply_to_user_id else "",
        "ctime": when(c.ctime),
        "replyCnt": c.reply_cnt,
        "replies": replies or [],
        "deleted": gone,
    }


def item(s: dict) -> dict:
    """The API item of a stored comment, named in the reader's language."""
    return {
        "id": s["id"],
        "bizId": s["bizId"],
        "rootId": s["rootId"],
        "parentId": s["parentId"],
        "content": s["content"],
        "user": None if s["uid"] is None else {"id": s["uid"], "name": display_name(s["uid"], s["nick"])},
        "replyTo": None if s["toUid"] is None else {"id": s["toUid"], "name": display_name(s["toUid"], s["toNick"])},
        "ctime": s["ctime"],
        "replyCnt": s["replyCnt"],
        "replies": [item(r) for r in s["replies"]],
        "deleted": s["deleted"],
    }


def _ensure_live(biz: str, biz_id: int) -> None:
    if biz != BIZ_ARTICLE or not articles.article_is_live(article_id=biz_id):
        raise NotFoundError(_("article not found"))


def _counter(biz: str, biz_id: int) -> tuple[int, int]:
    """(version, count) of the object's counter row; (0, 0) before its first comment."""
    row = CommentCounter.objects.filter(biz=biz, biz_id=biz_id).values_list("version", "cnt").first()
    return row or (0, 0)


def _threads(biz: str, biz_id: int, before: int | None, limit: int) -> list[dict]:
    """Roots newest first (id below ``before``), each with its first replies: two queries."""
    roots = Comment.objects.filter(biz=biz, biz_id=biz_id, root__isnull=True)
    if before is not None:
        roots = roots.filter(id__lt=before)
    roots = list(with_authors(roots).order_by("-id")[:limit])
    first = settings.COMMENT_FIRST_REPLIES
    by_root: dict[int, list[dict]] = {}
    with_replies = [r.pk for r in roots if r.reply_cnt]
    if with_replies and first > 0:
        replies = (
            with_authors(Comment.objects.filter(root_id__in=with_replies))
            .annotate(rank=Window(RowNumber(), partition_by=F("root_id"), order_by=F("id").asc()))
            .filter(rank__lte=first)
            .order_by("id")
        )
        for r in replies:
            by_root.setdefault(r.root_id, []).append(stored(r))
    return [stored(r, by_root.get(r.pk)) for r in roots]


def _first_page_size() -> int:
    return settings.COMMENT_PAGE_MAX + 1  # one more than the largest page tells the pages "there is more"


def _page_from_db(biz: str, biz_id: int) -> tuple[int, list[dict]]:
    """(version, first page) from the database, and into the cache."""
    # The version first, then the liveness and the page: whatever changes after the version was
    # read bumps it, so this page cannot replace the entry of that change (comment_cache_put.lua).
    version, cnt = _counter(biz, biz_id)
    _ensure_live(biz, biz_id)
    page = _threads(biz, biz_id, None, _first_page_size())
    cache.entry_put(biz, biz_id, version=version, cnt=cnt, page=page)
    return version, page


def threads_stored(*, biz: str = BIZ_ARTICLE, biz_id: int, before: int | None, limit: int) -> list[dict]:
    """``/comments/list``, stored shape. The first page (no ``before``) is the cache's: one Redis
    round trip when it is there; otherwise the database, and the cache is filled. NotFoundError
    unless the object is live; a withdrawn article's comments are hidden, not gone."""
    if before is not None or limit > _first_page_size():
        _ensure_live(biz, biz_id)
        return _threads(biz, biz_id, before, limit)
    entry = cache.entry_get(biz, biz_id)
    if entry is not None and entry.page is not None:
        return entry.page[:limit]
    return _page_from_db(biz, biz_id)[1][:limit]


def _local_key(biz: str, biz_id: int) -> str:
    return f"comments:answer:{biz}:{biz_id}"


def first_page_answer(*, biz: str = BIZ_ARTICLE, biz_id: int, msg: str) -> bytes:
    """The whole ``/comments/list`` answer for the first page at the default limit, as DRF's
    renderer writes it, encoded once per cache version and language in this process (the
    ``local`` cache). Each request asks Redis only whether the version is still the one encoded
    (``comment_page_read.lua``: the page itself is sent only when it changed). A version
    identifies what the page holds: every change of the object's comments bumps it."""
    local = caches["local"].get(_local_key(biz, biz_id))
    language = get_language()
    found = cache.entry_read(biz, biz_id, known=local[0] if local else None)
    if found is cache.SAME and language in local[1]:
        return local[1][language]
    if isinstance(found, cache.Entry) and found.page is not None:
        version, page = found.version, found.page
    elif found is cache.SAME:  # this language not encoded yet: the page once more
        entry = cache.entry_get(biz, biz_id)
        version, page = (entry.version, entry.page) if entry and entry.page is not None else _page_from_db(biz, biz_id)
    else:
        version, page = _page_from_db(biz, biz_id)
    body = json.dumps({"code": 0, "msg": msg, "data": [item(s) for s in page[: settings.COMMENT_PAGE_DEFAULT]]},
                      ensure_ascii=False, separators=(",", ":")).encode()
    answers = {**local[1], language: body} if local and local[0] == version else {language: body}
    caches["local"].set(_local_key(biz, biz_id), (version, answers), timeout=settings.COMMENT_CACHE_TTL)
    return body


def threads(*, biz: str = BIZ_ARTICLE, biz_id: int, before: int | None, limit: int) -> list[dict]:
    return [item(s) for s in threads_stored(biz=biz, biz_id=biz_id, before=before, limit=limit)]


def replies_stored(*, root_id: int, after: int | None, limit: int) -> list[dict]:
    """A thread's replies, oldest first, ids above ``after``. NotFoundError unless ``root_id`` is
    a root on a live object."""
    root = Comment.objects.filter(pk=root_id, root__isnull=True).values_list("biz", "biz_id").first()
    if root is None:
        raise NotFoundError(_("comment not found"))
    _ensure_live(*root)
    qs = Comment.objects.filter(root_id=root_id)
    if after is not None:
        qs = qs.filter(id__gt=after)
    return [stored(r) for r in with_authors(qs).order_by("id")[:limit]]


def replies(*, root_id: int, after: int | None, limit: int) -> list[dict]:
    return [item(s) for s in replies_stored(root_id=root_id, after=after, limit=limit)]


def comment_count(*, biz: str = BIZ_ARTICLE, biz_id: int) -> int:
    """Visible comments of a live object (``commentCnt``): the cache's count, else the counter
    row (which then goes to the cache, without a page)."""
    cnt = cache.count_get(biz, biz_id)
    if cnt is not None:
        return cnt
    version, cnt = _counter(biz, biz_id)
    cache.entry_put(biz, biz_id, version=version, cnt=cnt, page=None)
    return cnt


def comment_counts_many(*, biz: str = BIZ_ARTICLE, biz_ids: list[int]) -> dict[int, int]:
    """Visible comments per object (the dashboard), 0 for none: one query."""
    found = dict(CommentCounter.objects.filter(biz=biz, biz_id__in=biz_ids).values_list("biz_id", "cnt"))
    return {i: found.get(i, 0) for i in biz_ids}


def comments_total(*, biz: str = BIZ_ARTICLE, biz_ids) -> int:
    """Visible comments of all ``biz_ids`` (a list or a subquery): the dashboard's total."""
    return CommentCounter.objects.filter(biz=biz, biz_id__in=biz_ids).aggregate(n=Sum("cnt"))["n"] or 0
