"""SEAM for the interactions issue: reader counts, the viewer's like/collect, read events.

Articles does not own counters. Until the interactions app provides them, every article
has no reads, likes or collects, so these functions answer real zeros and record
nothing. The interactions issue replaces the bodies below with calls to its own
selectors/services (e.g. ``interactions.selectors.article_engagement``); the article
views and pages already call them at the right places.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Engagement:
    read_cnt: int = 0
    like_cnt: int = 0
    collect_cnt: int = 0
    liked: bool = False
    collected: bool = False


def article_engagement(*, article_id: int, viewer_id: int | None) -> Engagement:
    """Counts of one live article, and whether ``viewer_id`` (None: anonymous) liked/collected it."""
    return Engagement()


def articles_engagement(*, article_ids: list[int], viewer_id: int | None) -> dict[int, Engagement]:
    """The same for many articles in one go (the dashboard): one query, not one per row."""
    return {article_id: Engagement() for article_id in article_ids}


def article_viewed(*, article_id: int, viewer_id: int | None, ip: str, user_agent: str) -> None:
    """A reader opened a live article (API or page): where the read event will be recorded."""
    return None
