from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from articles import items
from articles.api import serializers as io
from articles.api.views import ID_PARAM
from portal import services
from tinybook.envelope import ok
from tinybook.fields import parse_path_id
from tinybook.net import client_ip
from tinybook.schema import enveloped
from users.access import ReaderAPIView


class PublicDetailWithComments(io.PublicDetail):
    commentCnt = serializers.IntegerField(help_text="visible comments")  # noqa: N815


class PublicDetailView(ReaderAPIView):
    @extend_schema(
        parameters=[ID_PARAM],
        responses={200: enveloped("PublicDetailAnswer", PublicDetailWithComments())},
        summary="A published article with its counts (token optional)",
        auth=[],
    )
    def get(self, request, article_id: str):
        article_id = parse_path_id(article_id)
        opened = services.article_open(
            article_id=article_id,
            viewer_id=request.user.id if request.user.is_authenticated else None,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        answer = items.public_detail(opened.article, opened.stats)
        answer["commentCnt"] = opened.comment_cnt
        return ok(answer, _("ok"))
