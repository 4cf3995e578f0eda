"""Server-rendered pages: the author dashboard and the public article page.

They call the same services and selectors as the API; the forms apply the same rules.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from articles import engagement, selectors, services
from articles.content import content_sanitize
from articles.forms import ArticleForm
from tinybook.exceptions import NotFoundError
from tinybook.net import client_ip


def _own_draft(request, article_id: int):
    try:
        return selectors.article_detail_for_author(author_id=request.user.id, article_id=article_id)
    except NotFoundError:
        raise Http404 from None


def _offset(request) -> int:
    raw = request.GET.get("offset", "0")
    if not raw.isdigit():
        return 0
    return min(int(raw), settings.ARTICLE_LIST_MAX_OFFSET)


@login_required
def dashboard(request):
    limit = settings.UI_DASHBOARD_PAGE_SIZE
    offset = _offset(request)
    items = selectors.article_list_for_author(author_id=request.user.id, offset=offset, limit=limit)
    counts = engagement.articles_engagement(article_ids=[i.id for i in items], viewer_id=request.user.id)
    rows = [(item, counts[item.id]) for item in items]
    mine = engagement.author_totals(author_id=request.user.id)  # every article, not just this page
    totals = {"reads": mine.read_cnt, "likes": mine.like_cnt, "collects": mine.collect_cnt}
    return render(
        request,
        "articles/dashboard.html",
        {
            "rows": rows,
            "totals": totals,
            "prev_offset": max(offset - limit, 0) if offset else None,
            "next_offset": offset + limit if len(items) == limit and offset + limit <= settings.ARTICLE_LIST_MAX_OFFSET else None,
        },
    )


def _edit(request, article_id: int | None):
    preview = None
    if request.method == "POST":
        form = ArticleForm(request.POST)
        action = request.POST.get("action", "save")
        if form.is_valid():
            data = form.cleaned_data
            if action == "preview":
                preview = data["content"]
            else:
                try:
                    saved_id = services.article_save(
                        author_id=request.user.id, article_id=article_id, title=data["title"], content=data["content"]
                    )
                except NotFoundError:
                    raise Http404 from None
                if action == "publish":
                    return redirect("articles:publish-page", article_id=saved_id)
                messages.success(request, _("Draft saved."))
                return redirect("articles:edit-page", article_id=saved_id)
    elif article_id is not None:
        draft = _own_draft(request, article_id)
        form = ArticleForm(initial={"title": draft.title, "content": draft.content})
    else:
        form = ArticleForm()
    return render(request, "articles/edit.html", {"form": form, "article_id": article_id, "preview": preview})


@login_required
@require_http_methods(["GET", "POST"])
def new_page(request):
    return _edit(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit_page(request, article_id: int):
    return _edit(request, article_id)


@login_required
@require_http_methods(["GET", "POST"])
def publish_page(request, article_id: int):
    draft = _own_draft(request, article_id)
    if request.method == "POST":
        services.article_publish(
            author_id=request.user.id, article_id=article_id, title=draft.title, content=draft.content
        )
        messages.success(request, _("Published."))
        return redirect("articles:dashboard")
    return render(
        request,
        "articles/confirm.html",
        {"draft": draft, "action": "publish", "question": _("Publish this article? Readers will see it at once.")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_page(request, article_id: int):
    draft = _own_draft(request, article_id)
    if request.method == "POST":
        services.article_withdraw(author_id=request.user.id, article_id=article_id)
        messages.success(request, _("Withdrawn. Readers can no longer see it."))
        return redirect("articles:dashboard")
    return render(
        request,
        "articles/confirm.html",
        {"draft": draft, "action": "withdraw", "question": _("Withdraw this article? Readers lose it at once.")},
    )


@require_http_methods(["GET"])
def read_page(request, article_id: int):
    viewer_id = request.user.id if request.user.is_authenticated else None
    try:
        record, counts = engagement.article_read(
            article_id=article_id, viewer_id=viewer_id, ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except NotFoundError:
        raise Http404 from None
    return render(
        request,
        "articles/read.html",
        {
            "article": record,
            # Sanitized on save; sanitized again here so nothing that reached the table
            # another way (admin SQL, an old row) is ever rendered raw.
            "content": content_sanitize(record.content),
            "counts": counts,
        },
    )
