from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
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
    followerCnt = serializers.IntegerField(help_text="followers (relations)")  # noqa: N815
    highlight = serializers.CharField(help_text="HTML: an escaped snippet, the matches in <mark>…</mark>")


@extend_schema_field(PolymorphicProxySerializer(
    component_name="SearchHit", serializers=[ArticleHitOutput, UserHitOutput], resource_type_field_name=None,
))
class _HitField(serializers.DictField):
    """One item: an article hit (type=article) or a person (type=user); each matches exactly one."""


class SearchResultsOutput(serializers.Serializer):
    total = serializers.IntegerField(help_text="how many match (live ones)")
    items = serializers.ListField(child=_HitField(), help_text="articles (type=article) or people (type=user)")
