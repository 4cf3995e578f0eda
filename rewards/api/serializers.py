from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from tinybook.fields import IdField, StrictIntegerField

# The statuses on the wire (rewards.selectors.WIRE_STATUS), one enum in the OpenAPI schema.
REWARD_STATUSES = ["RewardStatusInit", "RewardStatusPayed", "RewardStatusFailed"]


class RewardInput(serializers.Serializer):
    id = IdField(help_text="the live article to reward")
    amt = StrictIntegerField(label=pgettext_lazy("field", "amt"), help_text="fen, 1..REWARD_MAX_FEN (a JSON integer)")

    def validate_amt(self, value):
        if not 1 <= value <= settings.REWARD_MAX_FEN:
            raise serializers.ValidationError(_("must be between 1 and %(n)d fen") % {"n": settings.REWARD_MAX_FEN})
        return value


class RewardDetailInput(serializers.Serializer):
    rid = IdField(label=pgettext_lazy("field", "rid"), help_text="a reward id from /articles/pub/reward")


class RewardOutput(serializers.Serializer):
    codeURL = serializers.CharField(help_text="the WeChat Pay code_url to show as a QR code (dev: a page of this site)")  # noqa: N815
    rid = serializers.IntegerField()


class AccountOutput(serializers.Serializer):
    balance = serializers.IntegerField(help_text="fen")
    credited = serializers.IntegerField(help_text="fen, all ever credited to me")
    rewardCnt = serializers.IntegerField(help_text="paid rewards received")  # noqa: N815


class PayerOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ReceivedOutput(serializers.Serializer):
    rid = serializers.IntegerField()
    bizId = serializers.IntegerField(help_text="the article id")  # noqa: N815
    title = serializers.CharField(help_text="the article's title when rewarded")
    amt = serializers.IntegerField(help_text="fen")
    payer = PayerOutput()
    status = serializers.ChoiceField(REWARD_STATUSES)
    ctime = serializers.DateTimeField()
