from django.conf import settings
from django.utils.translation import gettext_lazy, pgettext_lazy
from rest_framework import serializers

from articles.api.serializers import PublicListItem
from tinybook.fields import MAX_ID, IdField, PageQuery, StrictBooleanField, digits_only


class FollowInput(serializers.Serializer):
    uid = IdField(label=pgettext_lazy("field", "uid"))
    follow = StrictBooleanField(required=False, default=True, label=pgettext_lazy("field", "follow"),
                                help_text="false unfollows")


class PeopleQuery(PageQuery):
    """``?uid&offset&limit``; ``uid`` defaults to the logged-in reader."""

    uid = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                   label=pgettext_lazy("field", "uid"))

    def to_internal_value(self, data):
        digits_only(data, ("uid",))
        return super().to_internal_value(data)


class FeedQuery(serializers.Serializer):
    before = serializers.CharField(required=False, allow_blank=True, max_length=64, trim_whitespace=False,
                                   label=pgettext_lazy("field", "before"),
                                   help_text="opaque: data.next of the previous page; absent for the first")
    limit = serializers.IntegerField(min_value=1, max_value=settings.ARTICLE_LIST_MAX_LIMIT, required=False,
                                     default=settings.FEED_DEFAULT_LIMIT, label=pgettext_lazy("field", "limit"))

    def to_internal_value(self, data):
        digits_only(data, ("limit",))
        return super().to_internal_value(data)


BAD_CURSOR = gettext_lazy("is not a cursor this feed gave out")


class PersonOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="the nickname, or a neutral name from the id")
    aboutMe = serializers.CharField()  # noqa: N815 (wire name)
    followed = serializers.BooleanField(help_text="whether the viewer follows them")


class CardOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="the nickname, or a neutral name from the id")
    aboutMe = serializers.CharField()  # noqa: N815
    articleCnt = serializers.IntegerField(help_text="live articles")  # noqa: N815
    followerCnt = serializers.IntegerField()  # noqa: N815
    followeeCnt = serializers.IntegerField()  # noqa: N815
    followed = serializers.BooleanField(help_text="whether the viewer follows them (false when logged out)")


class FeedOutput(serializers.Serializer):
    items = PublicListItem(many=True)
    next = serializers.CharField(allow_null=True, help_text="cursor of the next page (before=…); null at the end")
