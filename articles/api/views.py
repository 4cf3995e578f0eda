from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from articles import items, media, selectors, services
from articles.api import serializers as io
from tinybook.api import valid
from tinybook.envelope import ok
from tinybook.exceptions import ApplicationError
from tinybook.fields import PageInput, parse_path_id
from tinybook.parsers import MultiPartUploadParser, body_size_check
from tinybook.schema import UNAUTHORIZED, enveloped
from users.access import MemberAPIView, ReaderAPIView, TokenAPIView

ID_PARAM = OpenApiParameter(
    "article_id", int, OpenApiParameter.PATH, description="article id, 1..2^53-1; anything else is code 4"
)


class ArticleEditView(TokenAPIView):
    @extend_schema(
        request=io.ArticleWriteInput,
        responses={200: enveloped("ArticleEditAnswer", serializers.IntegerField(help_text="article id")),
                   401: UNAUTHORIZED},
        summary="Create or update a draft (no id, null or 0 creates)",
    )
    def post(self, request):
        data = valid(io.ArticleWriteInput, request.data)
        article_id = services.article_save(
            author_id=request.user.id, article_id=data.get("id") or None, title=data["title"], content=data["content"]
        )
        return ok(article_id, _("saved"))


class ArticlePublishView(TokenAPIView):
    @extend_schema(
        request=io.ArticleWriteInput,
        responses={200: enveloped("ArticlePublishAnswer", serializers.IntegerField(help_text="article id")),
                   401: UNAUTHORIZED},
        summary="Save the draft and publish it, in one transaction",
    )
    def post(self, request):
        data = valid(io.ArticleWriteInput, request.data)
        article_id = services.article_publish(
            author_id=request.user.id, article_id=data.get("id") or None, title=data["title"], content=data["content"]
        )
        return ok(article_id, _("published"))


class ArticleWithdrawView(TokenAPIView):
    @extend_schema(
        request=io.ArticleIdInput,
        responses={200: enveloped("ArticleWithdrawAnswer"), 401: UNAUTHORIZED},
        summary="Withdraw: readers lose the article at once",
    )
    def post(self, request):
        data = valid(io.ArticleIdInput, request.data)
        services.article_withdraw(author_id=request.user.id, article_id=data["id"])
        return ok(None, _("withdrawn"))


class ArticleListView(TokenAPIView):
    @extend_schema(
        request=PageInput,
        responses={200: enveloped("ArticleListAnswer", io.AuthorListItem(many=True)), 401: UNAUTHORIZED},
        summary="My articles, newest edit first",
    )
    def post(self, request):
        page = valid(PageInput, request.data)
        records = selectors.article_list_for_author(author_id=request.user.id, **page)
        return ok(io.AuthorListItem(records, many=True).data, _("ok"))


class ArticleDetailView(TokenAPIView):
    @extend_schema(
        parameters=[ID_PARAM],
        responses={200: enveloped("ArticleDetailAnswer", io.AuthorDetail()), 401: UNAUTHORIZED},
        summary="One of my articles (anyone else's is 'not found')",
    )
    def get(self, request, article_id: str):
        record = selectors.article_detail_for_author(author_id=request.user.id, article_id=parse_path_id(article_id))
        return ok(io.AuthorDetail(record).data, _("ok"))


class PublicListView(ReaderAPIView):
    @extend_schema(
        request=PageInput,
        responses={200: enveloped("PublicListAnswer", io.PublicListItem(many=True))},
        summary="Published articles, newest first",
        auth=[],
    )
    def post(self, request):
        page = valid(PageInput, request.data)
        return ok([items.public_list_item(record) for record in selectors.articles_live_list(**page)], _("ok"))


class ImageUploadView(MemberAPIView):
    """An image for an article (the editor's upload, paste and drop; any webook-style client).

    Token or browser session (with CSRF), like the pages' buttons. The one view that is not
    JSON: multipart/form-data, the image in the part named ``file``.
    """

    parser_classes = [MultiPartUploadParser]

    def max_body_bytes(self) -> int:
        return settings.UPLOAD_IMAGE_MAX_BYTES + settings.UPLOAD_MULTIPART_OVERHEAD_BYTES

    def body_too_large(self) -> ApplicationError:
        return media.image_refused("too_large")

    def initial(self, request, *args, **kwargs):
        # Before authentication: the session's CSRF check reads the form body (request.POST),
        # so an oversized body is refused here from its Content-Length, unread.
        body_size_check(request, limit=self.max_body_bytes(), refusal=self.body_too_large)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": io.ImageUploadInput},
        responses={200: enveloped("ImageUploadAnswer", io.UploadedImage()), 401: UNAUTHORIZED},
        summary="Upload an image (JPEG, PNG, WebP or GIF, re-encoded without metadata) -> its public URL",
    )
    def post(self, request):
        if not (request.content_type or "").startswith("multipart/form-data"):
            raise ApplicationError(_("send the image as multipart/form-data in a part named file"))
        upload = valid(io.ImageUploadInput, request.data)["file"]
        url = media.image_upload(user_id=request.user.id, upload=upload)
        return ok({"url": url}, _("uploaded"))
