from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from articles.api.serializers import ArticleItemOutput
from interactions import selectors, services
from interactions.api import serializers as io
from tinybook.api import valid
from tinybook.envelope import ok
from tinybook.fields import PageQuery, parse_path_id
from tinybook.schema import UNAUTHORIZED, enveloped
from users.access import AnonymousAPIView, MemberAPIView

_IDS = serializers.ListField(child=serializers.IntegerField(), help_text="article ids, newest first")
_PAGE = [
    OpenApiParameter("offset", int, description="0.. (default 0)"),
    OpenApiParameter("limit", int, description="1..ARTICLE_LIST_MAX_LIMIT (default 10)"),
]


class LikeView(MemberAPIView):
    @extend_schema(request=io.LikeInput, responses={200: enveloped("LikeAnswer"), 401: UNAUTHORIZED},
                   summary="Like (like: true) or take back a like (false); idempotent")
    def post(self, request):
        data = valid(io.LikeInput, request.data)
        services.like_set(user_id=request.user.id, biz_id=data["id"], liked=data["like"])
        return ok(None, _("liked") if data["like"] else _("like removed"))


class CollectView(MemberAPIView):
    @extend_schema(request=io.CollectInput, responses={200: enveloped("CollectAnswer"), 401: UNAUTHORIZED},
                   summary="Collect into folder cid (0: default; again: move) or remove (collect: false)")
    def post(self, request):
        data = valid(io.CollectInput, request.data)
        services.collect_set(user_id=request.user.id, biz_id=data["id"], collected=data["collect"],
                             cid=data["cid"])
        return ok(None, _("collected") if data["collect"] else _("collect removed"))


class LikedListView(MemberAPIView):
    @extend_schema(parameters=_PAGE, responses={200: enveloped("LikedAnswer", _IDS), 401: UNAUTHORIZED},
                   summary="My liked article ids, most recently liked first")
    def get(self, request):
        page = valid(PageQuery, request.query_params)
        return ok(selectors.liked_ids(user_id=request.user.id, **page), _("ok"))


class CollectedListView(MemberAPIView):
    @extend_schema(parameters=_PAGE, responses={200: enveloped("CollectedAnswer", _IDS), 401: UNAUTHORIZED},
                   summary="My collected article ids (all folders), most recently collected first")
    def get(self, request):
        page = valid(PageQuery, request.query_params)
        return ok(selectors.collected_ids(user_id=request.user.id, **page), _("ok"))


class CollectionCreateView(MemberAPIView):
    @extend_schema(request=io.CollectionCreateInput,
                   responses={200: enveloped("CollectionCreateAnswer", serializers.IntegerField()),
                              401: UNAUTHORIZED},
                   summary="Create a collection folder → its id")
    def post(self, request):
        data = valid(io.CollectionCreateInput, request.data)
        return ok(services.collection_create(user_id=request.user.id, name=data["name"]), _("created"))


class CollectionRenameView(MemberAPIView):
    @extend_schema(request=io.CollectionRenameInput, responses={200: enveloped("CollectionRenameAnswer"),
                                                                401: UNAUTHORIZED},
                   summary="Rename one of my folders")
    def post(self, request):
        data = valid(io.CollectionRenameInput, request.data)
        services.collection_rename(user_id=request.user.id, collection_id=data["id"], name=data["name"])
        return ok(None, _("renamed"))


class CollectionDeleteView(MemberAPIView):
    @extend_schema(request=io.CollectionIdInput, responses={200: enveloped("CollectionDeleteAnswer"),
                                                            401: UNAUTHORIZED},
                   summary="Delete one of my folders; its articles move to the default collection")
    def post(self, request):
        data = valid(io.CollectionIdInput, request.data)
        services.collection_delete(user_id=request.user.id, collection_id=data["id"])
        return ok(None, _("deleted"))


class CollectionListView(MemberAPIView):
    @extend_schema(responses={200: enveloped("CollectionListAnswer", io.FolderOutput(many=True)),
                              401: UNAUTHORIZED},
                   summary="My folders, the default collection (id 0) first, with item counts")
    def get(self, request):
        folders = selectors.collection_list(user_id=request.user.id)
        return ok(io.FolderOutput(folders, many=True).data, _("ok"))


class CollectionArticlesView(MemberAPIView):
    @extend_schema(parameters=[OpenApiParameter("collection_id", int, OpenApiParameter.PATH,
                                                description="0: the default collection"), *_PAGE],
                   responses={200: enveloped("CollectionArticlesAnswer", _IDS), 401: UNAUTHORIZED},
                   summary="Article ids in one of my folders, most recently collected first")
    def get(self, request, collection_id: str):
        cid = 0 if collection_id == "0" else parse_path_id(collection_id)
        page = valid(PageQuery, request.query_params)
        return ok(selectors.collected_ids(user_id=request.user.id, collection_id=cid, **page), _("ok"))


class LikeRankingView(AnonymousAPIView):
    @extend_schema(parameters=[OpenApiParameter("n", int, description="1..LIKE_RANKING_MAX_N (default 10)")],
                   responses={200: enveloped("LikeRankingAnswer", ArticleItemOutput(many=True))},
                   summary="Top n live articles by likes", auth=[])
    def get(self, request):
        n = valid(io.RankingQuery, request.query_params)["n"]
        return ok(services.like_ranking_top(n=n), _("ok"))
