from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from rewards import selectors, services
from rewards.api import serializers as io
from tinybook.api import valid
from tinybook.envelope import ok
from tinybook.fields import PageQuery
from tinybook.schema import UNAUTHORIZED, enveloped
from users.access import MemberAPIView

_STATUS = serializers.ChoiceField(io.REWARD_STATUSES)


class RewardCreateView(MemberAPIView):
    @extend_schema(request=io.RewardInput, responses={200: enveloped("RewardAnswer", io.RewardOutput()),
                                                     401: UNAUTHORIZED},
                   summary="Reward a live article's author: a payment order → {codeURL, rid}")
    def post(self, request):
        data = valid(io.RewardInput, request.data)
        order = services.reward_create(payer_id=request.user.id, article_id=data["id"], amount=data["amt"],
                                       site_url=request.build_absolute_uri("/"))
        return ok({"codeURL": order.code_url, "rid": order.rid}, _("scan the code to pay"))


class RewardDetailView(MemberAPIView):
    @extend_schema(request=io.RewardDetailInput, responses={200: enveloped("RewardDetailAnswer", _STATUS),
                                                           401: UNAUTHORIZED},
                   summary='My reward\'s status: "RewardStatusInit", "RewardStatusPayed" or "RewardStatusFailed"')
    def post(self, request):
        data = valid(io.RewardDetailInput, request.data)
        return ok(selectors.reward_status(payer_id=request.user.id, reward_id=data["rid"]), _("ok"))


class AccountMeView(MemberAPIView):
    @extend_schema(responses={200: enveloped("AccountMeAnswer", io.AccountOutput()), 401: UNAUTHORIZED},
                   summary="My balance, all credited to me (fen) and the paid rewards I received")
    def get(self, request):
        return ok(selectors.account_me(user_id=request.user.id), _("ok"))


class ReceivedView(MemberAPIView):
    @extend_schema(parameters=[OpenApiParameter("offset", int, description="0.. (default 0)"),
                               OpenApiParameter("limit", int, description="1..ARTICLE_LIST_MAX_LIMIT (default 10)")],
                   responses={200: enveloped("RewardsReceivedAnswer", io.ReceivedOutput(many=True)),
                              401: UNAUTHORIZED},
                   summary="Rewards to my articles, newest first, every status")
    def get(self, request):
        page = valid(PageQuery, request.query_params)
        return ok(selectors.rewards_received(author_id=request.user.id, **page), _("ok"))
