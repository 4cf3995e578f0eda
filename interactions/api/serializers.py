from django.conf import settings
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from articles.api.serializers import ArticleIdField, StrictCharField, StrictIntegerField

MAX_ID = 2**53 - 1


class StrictBooleanField(serializers.BooleanField):
    """A JSON boolean only (DRF's BooleanField takes "yes", 1, "on" …)."""

    default_error_messages = {"invalid": gettext_lazy("must be true or false")}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class LikeInput(serializers.Serializer):
    id = ArticleIdField()
    like = StrictBooleanField()


class CollectInput(serializers.Serializer):
    id = ArticleIdField()
    cid = StrictIntegerField(min_value=0, max_value=MAX_ID, required=False, default=0,
                             help_text="collection id; 0 (default) is my default collection")
    collect = StrictBooleanField(required=False, default=True, help_text="false removes the collect")


class PageQuery(serializers.Serializer):
    """``?offset&limit`` from a query string: digits only."""

    offset = serializers.IntegerField(min_value=0, required=False, default=0,
                                      max_value=settings.ARTICLE_LIST_MAX_OFFSET)
    limit = serializers.IntegerField(min_value=1, required=False, default=10,
                                     max_value=settings.ARTICLE_LIST_MAX_LIMIT)

    def to_internal_value(self, data):
        for name in ("offset", "limit"):
            raw = data.get(name)
            if raw is not None and not (str(raw).isascii() and str(raw).isdigit() and len(str(raw)) <= 9):
                raise serializers.ValidationError({name: [gettext_lazy("must be a non-negative integer")]})
        return super().to_internal_value(data)


class RankingQuery(serializers.Serializer):
    n = serializers.IntegerField(min_value=1, max_value=settings.LIKE_RANKING_MAX_N, required=False, default=10)

    def to_internal_value(self, data):
        raw = data.get("n")
        if raw is not None and not (str(raw).isascii() and str(raw).isdigit() and len(str(raw)) <= 9):
            raise serializers.ValidationError({"n": [gettext_lazy("must be a positive integer")]})
        return super().to_internal_value(data)


class CollectionCreateInput(serializers.Serializer):
    name = StrictCharField(trim_whitespace=False, allow_blank=True, max_length=1000)


class CollectionRenameInput(serializers.Serializer):
    id = StrictIntegerField(min_value=1, max_value=MAX_ID)
    name = StrictCharField(trim_whitespace=False, allow_blank=True, max_length=1000)


class CollectionIdInput(serializers.Serializer):
    id = StrictIntegerField(min_value=1, max_value=MAX_ID)


class FolderOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text="0 is the default collection")
    name = serializers.CharField(help_text='"" for the default collection')
    count = serializers.IntegerField()


class AuthorOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RankingItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    abstract = serializers.CharField()
    author = AuthorOutput()
    authorId = serializers.IntegerField()  # noqa: N815 (webook field name)
    authorName = serializers.CharField()  # noqa: N815
    likeCnt = serializers.IntegerField()  # noqa: N815
    readCnt = serializers.IntegerField()  # noqa: N815
    collectCnt = serializers.IntegerField()  # noqa: N815
    utime = serializers.DateTimeField()
