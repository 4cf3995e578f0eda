"""The collections page: my folders, the articles in one, and folder management (forms, CSRF)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from articles import selectors as articles
from interactions import selectors, services
from tinybook.exceptions import ApplicationError
from tinybook.fields import TEXT_REFUSED_MESSAGE, TextRefused, text_clean
from tinybook.pages import domain_errors


def _int(raw, default=0) -> int:
    raw = str(raw or "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 16 else default


def _name(raw) -> str:
    """A folder name from the form, under the API's text rule (tinybook.fields.text_clean)."""
    try:
        return text_clean(str(raw or ""))
    except TextRefused:
        raise ApplicationError(TEXT_REFUSED_MESSAGE) from None


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def collections_page(request):
    uid = request.user.id
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            services.collection_create(user_id=uid, name=_name(request.POST.get("name")))
            messages.success(request, _("created"))
        elif action == "rename":
            services.collection_rename(user_id=uid, collection_id=_int(request.POST.get("id")),
                                       name=_name(request.POST.get("name")))
            messages.success(request, _("renamed"))
        elif action == "delete":
            services.collection_delete(user_id=uid, collection_id=_int(request.POST.get("id")))
            messages.success(request, _("deleted"))
        elif action == "uncollect":
            services.collect_set(user_id=uid, biz_id=_int(request.POST.get("article")), collected=False)
            messages.success(request, _("collect removed"))
        return redirect(request.get_full_path())
    folders = selectors.collection_list(user_id=uid)
    cid = _int(request.GET.get("cid"))
    current = next((f for f in folders if f.id == cid), folders[0])
    limit = settings.ARTICLE_LIST_MAX_LIMIT
    offset = min(_int(request.GET.get("offset")), settings.ARTICLE_LIST_MAX_OFFSET)
    ids = selectors.collected_ids(user_id=uid, collection_id=current.id, offset=offset, limit=limit)
    live = articles.articles_live_by_ids(ids=ids)
    return render(request, "interactions/collections.html", {
        "folders": folders,
        "current": current,
        "items": [live[i] for i in ids if i in live],
        "gone": sum(1 for i in ids if i not in live),
        "name_max": settings.COLLECTION_NAME_MAX,
    })
