"""The pages that combine several apps: home, the article page, the author's dashboard."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe

from articles.content import content_sanitize
from portal import selectors, services
from relations import feed
from relations import selectors as relations
from rewards import selectors as rewards
from tinybook.net import client_ip
from tinybook.pages import domain_errors


def _home_page_number(request) -> int:
    """``?page=``: absent means 1; anything but 1..UI_HOME_MAX_PAGES is a 404 (docs/ui.md)."""
    raw = request.GET.get("page")
    if raw is None:
        return 1
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6) or not 1 <= int(raw) <= settings.UI_HOME_MAX_PAGES:
        raise Http404
    return int(raw)


@require_safe
def home(request):
    """The hot list and, for a logged-in reader, the "Following" feed (first page only), and
    the newest live articles, paginated."""
    page = _home_page_number(request)
    home = selectors.home_page(page=page)
    if page > 1 and not home.newest:
        raise Http404
    following = None
    if page == 1 and request.user.is_authenticated:
        following = selectors.following_feed(user_id=request.user.id, before=None, limit=settings.UI_FEED_PAGE_SIZE)
    return render(request, "portal/home.html", {
        "following": following,
        "hot": home.hot,
        "newest": home.newest,
        "page": page,
        "prev_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if home.has_next else None,
    })


@require_GET
@domain_errors
def article_page(request, article_id: int):
    record, counts = services.article_open(
        article_id=article_id,
        viewer_id=request.user.id if request.user.is_authenticated else None,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    viewer_id = request.user.id if request.user.is_authenticated else None
    return render(request, "portal/article.html", {
        "article": record,
        "followed": relations.is_following(follower_id=viewer_id, followee_id=record.author_id),
        # Sanitized on save; sanitized again here so nothing that reached the table another way
        # (admin SQL, an old row) is ever rendered raw.
        "content": content_sanitize(record.content),
        "counts": counts,
    })


def _offset(request) -> int:
    raw = request.GET.get("offset", "0")
    if not raw.isdigit():
        return 0
    return min(int(raw), settings.ARTICLE_LIST_MAX_OFFSET)


@login_required
@require_safe
def following_page(request):
    """The "Following" feed, a page at a time (``?before=`` is the cursor the previous gave)."""
    before = request.GET.get("before") or None
    try:
        page = selectors.following_feed(user_id=request.user.id, before=before, limit=settings.UI_FEED_PAGE_SIZE)
    except feed.BadCursor:
        raise Http404 from None
    return render(request, "portal/following.html", {"following": page, "first": before is None})


@login_required
def dashboard(request):
    offset = _offset(request)
    board = selectors.dashboard(author_id=request.user.id, offset=offset)
    limit = settings.UI_DASHBOARD_PAGE_SIZE
    return render(request, "portal/dashboard.html", {
        "rows": board.rows,
        "totals": board.totals,
        "prev_offset": max(offset - limit, 0) if offset else None,
        "next_offset": offset + limit if board.has_next else None,
        "earnings": rewards.earnings(author_id=request.user.id),
    })
