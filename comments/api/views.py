from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema

from comments import selectors, services
from comments.api import serializers as io
from tinybook.api import valid
from tinybook.envelope import ok
from tinybook.schema import UNAUTHORIZED, enveloped
from users.access import AnonymousAPIView, MemberAPIView


def _none_if_zero(value):
    return value or None


class CreateView(MemberAPIView):
    @extend_schema(request=io.CreateInput,
                   responses={200: enveloped("CommentCreateAnswer", io.CommentItem()), 401: UNAUTHORIZED},
                   summary="Comment on a live article, or reply inside a root's thread → the new comment")
    def post(self, request):
        data = valid(io.CreateInput, request.data)
        created = services.comment_create(
            user_id=request.user.id, biz=data["biz"], biz_id=data["bizId"],
            root_id=_none_if_zero(data.get("rootId")), parent_id=_none_if_zero(data.get("parentId")),
            content=data["content"],
        )
        return ok(created, _("comment posted"))


class DeleteView(MemberAPIView):
    @extend_schema(request=io.DeleteInput, responses={200: enveloped("CommentDeleteAnswer"), 401: UNAUTHORIZED},
                   summary="Delete a comment (its author, the article's author, staff); idempotent")
    def post(self, request):
        data = valid(io.DeleteInput, request.data)
        services.comment_delete(user_id=request.user.id, comment_id=data["id"])
        return ok(None, _("comment deleted"))


class ListView(AnonymousAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("biz", str, required=True, description='"article"'),
            OpenApiParameter("bizId", int, required=True, description="the article's id"),
            OpenApiParameter("before", int, description="cursor: only roots with a smaller id (exclusive)"),
            OpenApiParameter("limit", int, description="1..COMMENT_PAGE_MAX (default COMMENT_PAGE_DEFAULT)"),
        ],
        responses={200: enveloped("CommentListAnswer", io.CommentItem(many=True))},
        summary="An article's threads, newest first, each with replyCnt and its first replies", auth=[],
    )
    def get(self, request):
        q = io.list_query(request.query_params) or valid(io.ListQuery, request.query_params)
        if q.get("before") is None and q["limit"] == settings.COMMENT_PAGE_DEFAULT:
            # The first page as most clients ask for it: encoded once per version and language.
            return HttpResponse(selectors.first_page_answer(biz=q["biz"], biz_id=q["bizId"], msg=_("ok")),
                                content_type="application/json")
        return ok(selectors.threads(biz=q["biz"], biz_id=q["bizId"], before=q.get("before"), limit=q["limit"]),
                  _("ok"))


class RepliesView(AnonymousAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("rootId", int, required=True, description="the thread's root"),
            OpenApiParameter("after", int, description="cursor: only replies with a larger id (exclusive)"),
            OpenApiParameter("limit", int, description="1..COMMENT_PAGE_MAX (default COMMENT_PAGE_DEFAULT)"),
        ],
        responses={200: enveloped("CommentRepliesAnswer", io.CommentReply(many=True))},
        summary="A thread's replies, oldest first", auth=[],
    )
    def get(self, request):
        q = valid(io.RepliesQuery, request.query_params)
        return ok(selectors.replies(root_id=q["rootId"], after=q.get("after") or None, limit=q["limit"]), _("ok"))
