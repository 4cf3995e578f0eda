from rest_framework import serializers

from interactions.api.serializers import RankingItemOutput


class HotItemOutput(RankingItemOutput):
    """One hot-list item: the like-ranking shape plus the score."""

    score = serializers.FloatField()
