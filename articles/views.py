"""Server-rendered pages for writing: new and edit with preview, publish and withdraw.

They call the same services and selectors as the API; the forms apply the same rules. The
author's dashboard and the readers' article page combine several apps: they are in ``portal``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from articles import selectors, services
from articles.forms import ArticleForm
from tinybook.pages import domain_errors


def _edit(request, article_id: int | None):
    preview = None
    if request.method == "POST":
        form = ArticleForm(request.POST)
        action = request.POST.get("action", "save")
        if form.is_valid():
            data = form.cleaned_data
            if action == "preview":
                preview = {"title": data["title"], "content": data["content"]}
                # The editor reloads what was sanitized, so it shows what readers will see too
                # (an image from elsewhere is gone from both).
                form = ArticleForm(initial=preview)
            else:
                saved_id = services.article_save(
                    author_id=request.user.id, article_id=article_id, title=data["title"], content=data["content"]
                )
                if action == "publish":
                    return redirect("articles:publish-page", article_id=saved_id)
                messages.success(request, _("Draft saved."))
                return redirect("articles:edit-page", article_id=saved_id)
    elif article_id is not None:
        draft = selectors.article_detail_for_author(author_id=request.user.id, article_id=article_id)
        form = ArticleForm(initial={"title": draft.title, "content": draft.content})
    else:
        form = ArticleForm()
    return render(request, "articles/edit.html", {"form": form, "article_id": article_id, "preview": preview})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def new_page(request):
    return _edit(request, None)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def edit_page(request, article_id: int):
    return _edit(request, article_id)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def publish_page(request, article_id: int):
    draft = selectors.article_detail_for_author(author_id=request.user.id, article_id=article_id)
    if request.method == "POST":
        services.article_publish(
            author_id=request.user.id, article_id=article_id, title=draft.title, content=draft.content
        )
        messages.success(request, _("Published."))
        return redirect("portal:dashboard")
    return render(
        request,
        "articles/confirm.html",
        {"draft": draft, "action": "publish", "question": _("Publish this article? Readers will see it at once.")},
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def withdraw_page(request, article_id: int):
    draft = selectors.article_detail_for_author(author_id=request.user.id, article_id=article_id)
    if request.method == "POST":
        services.article_withdraw(author_id=request.user.id, article_id=article_id)
        messages.success(request, _("Withdrawn. Readers can no longer see it."))
        return redirect("portal:dashboard")
    return render(
        request,
        "articles/confirm.html",
        {"draft": draft, "action": "withdraw", "question": _("Withdraw this article? Readers lose it at once.")},
    )
