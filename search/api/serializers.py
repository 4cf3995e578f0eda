from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from rest_framework import serializers

from articles.api.serializers import PublicListItem
from tinybook.fields import PageQuery, StrictCharField

TYPES = ("article", "user")


class SearchQuery(PageQuery):
    """``?q&type&offset&limit``: q is 1..SEARCH_QUERY_MAX_LENGTH characters once trimmed."""

    q = StrictCharField(label=pgettext_lazy("field", "search words"), required=False, default="", allow_blank=True)
    type = serializers.ChoiceField(
        choices=TYPES, required=False, default="article", label=pgettext_lazy("field", "type"),
        error_messages={"invalid_choice": gettext_lazy("must be article or user")},
    )

    def validate_q(self, value):
        limit = settings.SEARCH_QUERY_MAX_LENGTH
        if not 1 <= len(value) <= limit:
            raise serializers.ValidationError(_("1 to %(n)d characters") % {"n": limit})
        return value


class ArticleHitOutput(PublicListItem):
    highlight = serializers.CharField(help_text="HTML: an escaped snippet, the matches in <mark>…</mark>")


class UserHitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    aboutMe = serializers.CharField()  # noqa: N815 (webook's name)
    followerCnt = serializers.IntegerField()  # noqa: N815
    highlight = serializers.CharField(help_text="HTML: an escaped snippet, the matches in <mark>…</mark>")


class ArticleResultsOutput(serializers.Serializer):
    total = serializers.IntegerField()
    items = ArticleHitOutput(many=True)


class UserResultsOutput(serializers.Serializer):
    total = serializers.IntegerField()
    items = UserHitOutput(many=True)
