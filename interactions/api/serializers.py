from django.conf import settings
from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from tinybook.fields import (
    MAX_ID,
    IdField,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    digits_only,
)


class LikeInput(serializers.Serializer):
    id = IdField()
    like = StrictBooleanField(label=pgettext_lazy("field", "like"))


class CollectInput(serializers.Serializer):
    id = IdField()
    cid = StrictIntegerField(min_value=0, max_value=MAX_ID, required=False, default=0,
                             label=pgettext_lazy("field", "cid"),
                             help_text="collection id; 0 (default) is my default collection")
    collect = StrictBooleanField(required=False, default=True, label=pgettext_lazy("field", "collect"),
                                 help_text="false removes the collect")


class RankingQuery(serializers.Serializer):
    n = serializers.IntegerField(min_value=1, max_value=settings.LIKE_RANKING_MAX_N, required=False, default=10,
                                 label=pgettext_lazy("field", "n"))

    def to_internal_value(self, data):
        digits_only(data, ("n",))
        return super().to_internal_value(data)


class CollectionCreateInput(serializers.Serializer):
    name = StrictCharField(trim_whitespace=False, allow_blank=True, max_length=1000,
                           label=pgettext_lazy("field", "name"))


class CollectionRenameInput(serializers.Serializer):
    id = IdField()
    name = StrictCharField(trim_whitespace=False, allow_blank=True, max_length=1000,
                           label=pgettext_lazy("field", "name"))


class CollectionIdInput(serializers.Serializer):
    id = IdField()


class FolderOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text="0 is the default collection")
    name = serializers.CharField(help_text='"" for the default collection')
    count = serializers.IntegerField()
