"""Reader counts, the viewer's like/collect, read events.

Articles does not own counters: these functions delegate to the interactions app's
selectors and services (imported at call time: interactions depends on articles, not
the other way round at import). The article views and pages call them.
"""

from dataclasses import dataclass

from articles import cache, selectors
from articles.records import LiveRecord
from tinybook import kv
from tinybook.exceptions import NotFoundError


@dataclass(frozen=True)
class Engagement:
    read_cnt: int = 0
    like_cnt: int = 0
    collect_cnt: int = 0
    liked: bool = False
    collected: bool = False


def _engagement(stats) -> Engagement:
    return Engagement(read_cnt=stats.read_cnt, like_cnt=stats.like_cnt, collect_cnt=stats.collect_cnt,
                      liked=stats.liked, collected=stats.collected)


def articles_engagement(*, article_ids: list[int], viewer_id: int | None) -> dict[int, Engagement]:
    """The same for many articles in one go (the dashboard): one query, not one per row."""
    from interactions import selectors

    stats = selectors.interaction_stats_many(biz_ids=list(article_ids), user_id=viewer_id)
    return {article_id: _engagement(s) for article_id, s in stats.items()}


def author_totals(*, author_id: int) -> Engagement:
    """Reads, likes and collects of all the author's articles together (one query)."""
    from interactions import selectors as interactions

    sums = interactions.counts_sum(biz_ids=selectors.article_ids_for_author(author_id=author_id))
    return Engagement(read_cnt=sums["read_cnt"], like_cnt=sums["like_cnt"], collect_cnt=sums["collect_cnt"])


def article_read(*, article_id: int, viewer_id: int | None, ip: str, user_agent: str) -> tuple[LiveRecord, Engagement]:
    """A reader opens an article (API or page): the live copy, one read (deduplicated per
    viewer) and the viewer's engagement. Warm path: one Redis round trip for all three (the
    read is recorded only if the cached live copy is there, in the same script). Otherwise
    the article is checked in the database first (NotFoundError when not live), then read."""
    from interactions import services

    viewer = services.viewer_key(user_id=viewer_id, ip=ip, user_agent=user_agent)
    try:
        stats, raw = services.read_view_guarded(
            biz_id=article_id, viewer=viewer, user_id=viewer_id,
            guard=kv.article_reader_key(article_id), tombstone=cache.TOMBSTONE,
        )
    except services.Unguarded as missed:
        if missed.value == cache.TOMBSTONE:
            raise NotFoundError() from None
        record = selectors.article_live_get(article_id=article_id)  # the database, and refill
        return record, _engagement(services.read_view(biz_id=article_id, viewer=viewer, user_id=viewer_id))
    record = cache.reader_decode(raw)
    if not isinstance(record, LiveRecord):  # an unreadable copy: the database has the article
        record = selectors.article_live_get(article_id=article_id)
    return record, _engagement(stats)
