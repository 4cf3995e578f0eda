from rest_framework import serializers

from articles.api.serializers import ArticleItemOutput


class HotItemOutput(ArticleItemOutput):
    """One hot-list item: a listed article with its counts, plus the score."""

    score = serializers.FloatField()
