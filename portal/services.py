"""Opening an article: the live copy, one read recorded, the viewer's counts and marks, and
the comment count.

The warm path is one Redis round trip for all of it: interactions records the read only if
articles' cached reader copy is there (the guard key, a ``tinybook.kv`` builder), and returns
that copy for articles to decode, with the comment count from comments' cache hash
(``also``). On a miss the article is checked in the database first.
"""

from dataclasses import dataclass

from articles import selectors as articles
from articles.records import LiveRecord
from comments import selectors as comments
from interactions import services as interactions
from interactions.selectors import Stats
from tinybook import kv
from tinybook.exceptions import NotFoundError


@dataclass(frozen=True)
class Opened:
    article: LiveRecord
    stats: Stats
    comment_cnt: int


def _comment_cnt(cached: bytes | None, article_id: int) -> int:
    if cached is not None:
        try:
            return int(cached)
        except ValueError:
            pass
    return comments.comment_count(biz_id=article_id)


def article_open(*, article_id: int, viewer_id: int | None, ip: str, user_agent: str) -> Opened:
    """A reader opens an article (API or page). NotFoundError unless it is live."""
    viewer = interactions.viewer_key(user_id=viewer_id, ip=ip, user_agent=user_agent)
    read = interactions.read_view_guarded(
        biz_id=article_id, viewer=viewer, user_id=viewer_id,
        guard=kv.article_reader_key(article_id), tombstone=kv.TOMBSTONE,
        also=(kv.comment_page_key(comments.BIZ_ARTICLE, article_id), comments.COUNT_FIELD),
    )
    if read.outcome == read.GONE:
        raise NotFoundError()
    if read.outcome == read.HIT:
        record = articles.article_live_from_copy(article_id=article_id, copy=read.copy)
        return Opened(record, read.stats, _comment_cnt(read.extra, article_id))
    record = articles.article_live_get(article_id=article_id)  # the database, and refills the cache
    stats = interactions.read_view(biz_id=article_id, viewer=viewer, user_id=viewer_id)
    return Opened(record, stats, comments.comment_count(biz_id=article_id))
