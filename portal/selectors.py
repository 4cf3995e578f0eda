"""The home page and the author's dashboard, each composed from several apps."""

from dataclasses import dataclass

from django.conf import settings

from articles import selectors as articles
from articles.items import article_item
from articles.records import DraftRecord
from interactions import selectors as interactions
from interactions.selectors import Stats
from ranking import selectors as ranking
from relations import feed


@dataclass(frozen=True)
class HomePage:
    hot: list[dict]  # list entries (``listed``), the first page only
    newest: list[dict]
    has_next: bool


def listed(item: dict, published_at=None) -> dict:
    """A webook article item (``articles.items.article_item``) as the pages' lists show it
    (``templates/includes/article_item.html``)."""
    return {
        "id": item["id"],
        "title": item["title"],
        "abstract": item["abstract"],  # escaped text, as the articles app stores it
        "author_id": item["authorId"],
        "author_name": item["authorName"],
        "published_at": published_at,
        "read_cnt": item["readCnt"],
        "like_cnt": item["likeCnt"],
        "collect_cnt": item["collectCnt"],
    }


def home_page(*, page: int) -> HomePage:
    """Page ``page`` (from 1) of the newest live articles with their counts, and on the first
    page the head of the hot list."""
    size = settings.UI_HOME_PAGE_SIZE
    # One row more than a page tells whether there is a next page.
    records = articles.articles_live_list(offset=(page - 1) * size, limit=size + 1)
    has_next = len(records) > size and page < settings.UI_HOME_MAX_PAGES
    records = records[:size]
    counts = interactions.counts_many(biz_ids=[r.id for r in records])
    newest = [listed(article_item(r, counts[r.id]), r.published_at) for r in records]
    hot = [listed(item) for item in ranking.hot_list()[: settings.UI_HOME_HOT_COUNT]] if page == 1 else []
    return HomePage(hot=hot, newest=newest, has_next=has_next)


@dataclass(frozen=True)
class FeedPage:
    items: list[dict]  # list entries (``listed``)
    next: str | None  # the cursor of the next page


def following_feed(*, user_id: int, before: str | None, limit: int) -> FeedPage:
    """A page of the reader's "Following" feed with counts. Raises ``relations.feed.BadCursor``."""
    records, nxt = feed.feed_page(user_id=user_id, before=before, limit=limit)
    counts = interactions.counts_many(biz_ids=[r.id for r in records])
    return FeedPage(items=[listed(article_item(r, counts[r.id]), r.published_at) for r in records], next=nxt)


@dataclass(frozen=True)
class Dashboard:
    rows: list[tuple[DraftRecord, Stats]]  # this page of my articles, newest edit first
    totals: dict[str, int]  # reads, likes and collects of all my articles
    has_next: bool


def dashboard(*, author_id: int, offset: int) -> Dashboard:
    limit = settings.UI_DASHBOARD_PAGE_SIZE
    items = articles.article_list_for_author(author_id=author_id, offset=offset, limit=limit)
    stats = interactions.interaction_stats_many(biz_ids=[i.id for i in items], user_id=author_id)
    sums = interactions.counts_sum(biz_ids=articles.article_ids_for_author(author_id=author_id))
    return Dashboard(
        rows=[(item, stats[item.id]) for item in items],
        totals={"reads": sums["read_cnt"], "likes": sums["like_cnt"], "collects": sums["collect_cnt"]},
        has_next=len(items) == limit and offset + limit <= settings.ARTICLE_LIST_MAX_OFFSET,
    )
