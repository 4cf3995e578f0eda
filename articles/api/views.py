from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView

from articles import engagement, selectors, services
from articles.api import serializers as io
from tinybook.envelope import ok
from tinybook.net import client_ip
from tinybook.schema import enveloped
from users.authentication import JWTAuthentication, OptionalJWTAuthentication

_UNAUTHORIZED = OpenApiResponse(description="token missing, malformed, expired, revoked or of the wrong type")


_ID_PARAM = OpenApiParameter(
    "article_id", int, OpenApiParameter.PATH, description="article id, 1..2^53-1; anything else is code 4"
)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class AuthorAPIView(APIView):
    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAuthenticated]


class PublicAPIView(APIView):
    authentication_classes = [OptionalJWTAuthentication]
    permission_classes = [AllowAny]


class ArticleEditView(AuthorAPIView):
    @extend_schema(
        request=io.ArticleWriteInput,
        responses={200: enveloped("ArticleEditAnswer", serializers.IntegerField(help_text="article id")),
                   401: _UNAUTHORIZED},
        summary="Create or update a draft (no id, null or 0 creates)",
    )
    def post(self, request):
        data = _valid(io.ArticleWriteInput, request.data)
        article_id = services.article_save(
            author_id=request.user.id, article_id=data.get("id") or None, title=data["title"], content=data["content"]
        )
        return ok(article_id, _("saved"))


class ArticlePublishView(AuthorAPIView):
    @extend_schema(
        request=io.ArticleWriteInput,
        responses={200: enveloped("ArticlePublishAnswer", serializers.IntegerField(help_text="article id")),
                   401: _UNAUTHORIZED},
        summary="Save the draft and publish it, in one transaction",
    )
    def post(self, request):
        data = _valid(io.ArticleWriteInput, request.data)
        article_id = services.article_publish(
            author_id=request.user.id, article_id=data.get("id") or None, title=data["title"], content=data["content"]
        )
        return ok(article_id, _("published"))


class ArticleWithdrawView(AuthorAPIView):
    @extend_schema(
        request=io.ArticleIdInput,
        responses={200: enveloped("ArticleWithdrawAnswer"), 401: _UNAUTHORIZED},
        summary="Withdraw: readers lose the article at once",
    )
    def post(self, request):
        data = _valid(io.ArticleIdInput, request.data)
        services.article_withdraw(author_id=request.user.id, article_id=data["id"])
        return ok(None, _("withdrawn"))


class ArticleListView(AuthorAPIView):
    @extend_schema(
        request=io.PageInput,
        responses={200: enveloped("ArticleListAnswer", io.AuthorListItem(many=True)), 401: _UNAUTHORIZED},
        summary="My articles, newest edit first",
    )
    def post(self, request):
        data = _valid(io.PageInput, request.data)
        items = selectors.article_list_for_author(author_id=request.user.id, **data)
        return ok(io.AuthorListItem(items, many=True).data, _("ok"))


class ArticleDetailView(AuthorAPIView):
    @extend_schema(
        parameters=[_ID_PARAM],
        responses={200: enveloped("ArticleDetailAnswer", io.AuthorDetail()), 401: _UNAUTHORIZED},
        summary="One of my articles (anyone else's is 'not found')",
    )
    def get(self, request, article_id: str):
        record = selectors.article_detail_for_author(
            author_id=request.user.id, article_id=io.parse_path_id(article_id)
        )
        return ok(io.AuthorDetail(record).data, _("ok"))


class PublicListView(PublicAPIView):
    @extend_schema(
        request=io.PageInput,
        responses={200: enveloped("PublicListAnswer", io.PublicListItem(many=True))},
        summary="Published articles, newest first",
        auth=[],
    )
    def post(self, request):
        data = _valid(io.PageInput, request.data)
        items = selectors.articles_live_list(**data)
        return ok([io.public_list_item(item) for item in items], _("ok"))


class PublicDetailView(PublicAPIView):
    @extend_schema(
        parameters=[_ID_PARAM],
        responses={200: enveloped("PublicDetailAnswer", io.PublicDetail())},
        summary="A published article with its counts (token optional)",
        auth=[],
    )
    def get(self, request, article_id: str):
        article_id = io.parse_path_id(article_id)
        record, counts = engagement.article_read(
            article_id=article_id,
            viewer_id=request.user.id if request.user.is_authenticated else None,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        return ok(io.public_detail(record, counts), _("ok"))
