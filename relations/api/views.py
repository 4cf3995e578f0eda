from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from drf_spectacular.utils import OpenApiParameter, extend_schema

from relations import feed, selectors, services
from relations.api import serializers as io
from tinybook.api import valid
from tinybook.envelope import ok
from tinybook.exceptions import InvalidInput, labelled
from tinybook.fields import parse_path_id
from tinybook.schema import UNAUTHORIZED, enveloped
from users.access import MemberAPIView, ReaderAPIView

_PEOPLE = [
    OpenApiParameter("uid", int, description="whose list; default: the logged-in reader (required when logged out)"),
    OpenApiParameter("offset", int, description="0.. (default 0)"),
    OpenApiParameter("limit", int, description="1..ARTICLE_LIST_MAX_LIMIT (default 10)"),
]


class FollowView(MemberAPIView):
    @extend_schema(request=io.FollowInput, responses={200: enveloped("FollowAnswer"), 401: UNAUTHORIZED},
                   summary="Follow (follow: true, the default) or unfollow a user; idempotent")
    def post(self, request):
        data = valid(io.FollowInput, request.data)
        services.follow_set(follower_id=request.user.id, followee_id=data["uid"], follow=data["follow"])
        return ok(None, _("followed") if data["follow"] else _("unfollowed"))


def _people_query(request) -> dict:
    data = dict(valid(io.PeopleQuery, request.query_params))
    if "uid" not in data:
        if not request.user.is_authenticated:
            message = _("required when logged out")
            raise InvalidInput({"uid": [message]}, labelled(pgettext("field", "uid"), message))
        data["uid"] = request.user.id
    selectors.active_user(data["uid"])
    return data


def _viewer(request) -> int | None:
    return request.user.id if request.user.is_authenticated else None


class FolloweesView(ReaderAPIView):
    @extend_schema(parameters=_PEOPLE, responses={200: enveloped("FolloweesAnswer", io.PersonOutput(many=True))},
                   summary="Whom a user follows, newest follow first",
                   auth=[])  # token optional: described as the other reader views are
    def get(self, request):
        q = _people_query(request)
        return ok(selectors.followees_list(user_id=q["uid"], viewer_id=_viewer(request), offset=q["offset"],
                                           limit=q["limit"]), _("ok"))


class FollowersView(ReaderAPIView):
    @extend_schema(parameters=_PEOPLE, responses={200: enveloped("FollowersAnswer", io.PersonOutput(many=True))},
                   summary="Who follows a user, newest follow first",
                   auth=[])  # token optional: described as the other reader views are
    def get(self, request):
        q = _people_query(request)
        return ok(selectors.followers_list(user_id=q["uid"], viewer_id=_viewer(request), offset=q["offset"],
                                           limit=q["limit"]), _("ok"))


class CardView(ReaderAPIView):
    @extend_schema(parameters=[OpenApiParameter("uid", int, OpenApiParameter.PATH, description="1..2^53-1")],
                   responses={200: enveloped("CardAnswer", io.CardOutput())},
                   summary="A user's public card (login optional; followed is false when logged out)",
                   auth=[])  # token optional: described as the other reader views are
    def get(self, request, uid: str):
        user_id = parse_path_id(uid, field="uid")
        return ok(selectors.author_card(user_id=user_id, viewer_id=_viewer(request)).to_api(), _("ok"))


class FeedView(MemberAPIView):
    @extend_schema(parameters=[
        OpenApiParameter("before", str, description="opaque cursor: data.next of the previous page"),
        OpenApiParameter("limit", int, description="1..ARTICLE_LIST_MAX_LIMIT (default FEED_DEFAULT_LIMIT)"),
    ], responses={200: enveloped("FeedAnswer", io.FeedOutput()), 401: UNAUTHORIZED},
        summary="Live articles of the people I follow, newest publication first")
    def get(self, request):
        q = valid(io.FeedQuery, request.query_params)
        try:
            data = feed.feed_items(user_id=request.user.id, before=q.get("before") or None, limit=q["limit"])
        except feed.BadCursor:
            raise InvalidInput({"before": [io.BAD_CURSOR]},
                               labelled(pgettext("field", "before"), io.BAD_CURSOR)) from None
        return ok(data, _("ok"))
