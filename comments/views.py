"""The article page's comment forms (post/redirect/get): the same services as the API.

The page itself is composed in ``portal`` (the article with its threads); these take the
forms it shows and send the reader back to it (``next``, a path on this site).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from comments import services
from comments.drafts import draft_keep
from tinybook.exceptions import ApplicationError
from tinybook.fields import MAX_ID, TextFormField


class CommentForm(forms.Form):
    bizId = forms.IntegerField(min_value=1, max_value=MAX_ID)  # noqa: N815
    rootId = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)  # noqa: N815
    parentId = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)  # noqa: N815
    content = TextFormField(strip=False, label=gettext_lazy("Comment"))


class DeleteForm(forms.Form):
    id = forms.IntegerField(min_value=1, max_value=MAX_ID)


def _back(request, anchor: str = "comments"):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()) or not target.startswith("/"):
        target = "/"
    return redirect(f"{target}#{anchor}")


def _first_error(form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("request is not valid")


@login_required
@require_POST
def comment_post(request):
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(request)
    data = form.cleaned_data
    try:
        item = services.comment_create(user_id=request.user.id, biz_id=data["bizId"], root_id=data["rootId"],
                                       parent_id=data["parentId"], content=data["content"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
        draft_keep(request.session, biz_id=data["bizId"], content=data["content"], root_id=data["rootId"],
                   parent_id=data["parentId"])
        return _back(request, f"c{data['parentId']}" if data["parentId"] else "comments")
    messages.success(request, _("comment posted"))
    return _back(request, f"c{item['id']}")


@login_required
@require_POST
def comment_remove(request):
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(request)
    try:
        services.comment_delete(user_id=request.user.id, comment_id=form.cleaned_data["id"],
                                staff=None)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(request)
    messages.success(request, _("comment deleted"))
    return _back(request)
