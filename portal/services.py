"""Opening an article: the live copy, one read recorded, the viewer's counts and marks.

The warm path is one Redis round trip for all three: interactions records the read only if
articles' cached reader copy is there (the guard key, a ``tinybook.kv`` builder), and returns
that copy for articles to decode. On a miss the article is checked in the database first.
"""

from articles import selectors as articles
from articles.records import LiveRecord
from interactions import services as interactions
from interactions.selectors import Stats
from tinybook import kv
from tinybook.exceptions import NotFoundError


def article_open(*, article_id: int, viewer_id: int | None, ip: str, user_agent: str) -> tuple[LiveRecord, Stats]:
    """A reader opens an article (API or page). NotFoundError unless it is live."""
    viewer = interactions.viewer_key(user_id=viewer_id, ip=ip, user_agent=user_agent)
    read = interactions.read_view_guarded(
        biz_id=article_id, viewer=viewer, user_id=viewer_id,
        guard=kv.article_reader_key(article_id), tombstone=kv.TOMBSTONE,
    )
    if read.outcome == read.GONE:
        raise NotFoundError()
    if read.outcome == read.HIT:
        return articles.article_live_from_copy(article_id=article_id, copy=read.copy), read.stats
    record = articles.article_live_get(article_id=article_id)  # the database, and refills the cache
    return record, interactions.read_view(biz_id=article_id, viewer=viewer, user_id=viewer_id)
