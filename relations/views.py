"""Pages: the author page, their followers and followees, and the follow button's form."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from articles import selectors as articles
from relations import selectors, services
from tinybook.exceptions import ApplicationError, NotFoundError
from tinybook.fields import MAX_ID
from tinybook.pages import domain_errors


def _page_number(request) -> int:
    """``?page=``: absent means 1; anything but a number from 1 is a 404."""
    raw = request.GET.get("page")
    if raw is None:
        return 1
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6) or int(raw) < 1:
        raise Http404
    return int(raw)


def _check_id(uid: int) -> None:
    if not 1 <= uid <= MAX_ID:
        raise Http404


def _viewer(request) -> int | None:
    return request.user.id if request.user.is_authenticated else None


@require_safe
@domain_errors
def author_page(request, uid: int):
    """Name, about-me, counts, the follow button and the author's live articles, newest first."""
    _check_id(uid)
    page = _page_number(request)
    card = selectors.author_card(user_id=uid, viewer_id=_viewer(request))
    size = settings.UI_AUTHOR_PAGE_SIZE
    offset = (page - 1) * size
    if offset > settings.ARTICLE_LIST_MAX_OFFSET:
        raise Http404
    records = articles.articles_live_for_author(author_id=uid, offset=offset, limit=size + 1)
    if page > 1 and not records:
        raise Http404
    return render(request, "relations/author.html", {
        "card": card,
        "records": records[:size],
        "page": page,
        "prev_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if len(records) > size else None,
        "is_self": _viewer(request) == uid,
    })


def _people_page(request, uid: int, *, followers: bool):
    _check_id(uid)
    page = _page_number(request)
    card = selectors.author_card(user_id=uid, viewer_id=_viewer(request))
    size = settings.UI_FOLLOW_LIST_SIZE
    offset = (page - 1) * size
    if offset > settings.ARTICLE_LIST_MAX_OFFSET:
        raise Http404
    listing = selectors.followers_list if followers else selectors.followees_list
    people = listing(user_id=uid, viewer_id=_viewer(request), offset=offset, limit=size + 1)
    return render(request, "relations/people.html", {
        "card": card,
        "people": people[:size],
        "followers": followers,
        "page": page,
        "prev_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if len(people) > size else None,
    })


@require_safe
@domain_errors
def followers_page(request, uid: int):
    return _people_page(request, uid, followers=True)


@require_safe
@domain_errors
def following_page(request, uid: int):
    return _people_page(request, uid, followers=False)


@login_required
@require_POST
def follow_form(request, uid: int):
    """The follow button (a form with CSRF): ``follow`` "1" follows, "0" unfollows; back to
    ``next`` (a path on this site) or the author page, with a refusal shown there."""
    _check_id(uid)
    follow = request.POST.get("follow", "1") != "0"
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("relations:author", kwargs={"uid": uid})
    try:
        services.follow_set(follower_id=request.user.id, followee_id=uid, follow=follow)
    except NotFoundError:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(target)
