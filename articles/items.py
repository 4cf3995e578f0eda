"""The webook article items every app answers with: built here, once.

- ``public_list_item``: ``/articles/pub/list`` (no counts).
- ``article_item``: a listed article with its counts — the hot list, the top likes, the home
  page; ``counts`` maps ``read_cnt``, ``like_cnt`` and ``collect_cnt`` to numbers.
- ``public_detail``: ``/articles/pub/<id>``, with the viewer's ``liked``/``collected``.

The reader routes are the hottest paths of the site: items are plain dicts (DRF's serializer
machinery cost a third of ``/articles/pub/<id>``'s time, docs/performance.md). The
serializers in ``articles.api.serializers`` describe them in the OpenAPI schema, and tests
compare both shapes. Times are ISO 8601 in ``TIME_ZONE``, as DRF writes them.
"""

from collections.abc import Mapping

from rest_framework import serializers

from articles.models import ArticleStatus

_DATETIME = serializers.DateTimeField()  # DRF's own rendering: ISO 8601 in TIME_ZONE


def when(value) -> str:
    return _DATETIME.to_representation(value)


def _with_author(record) -> dict:
    return {
        "author": {"id": record.author_id, "name": record.author_name},
        "authorId": record.author_id,
        "authorName": record.author_name,
    }


def public_list_item(record) -> dict:
    return {
        **_with_author(record),
        "id": record.id,
        "title": record.title,
        "status": ArticleStatus.PUBLISHED.value,
        "abstract": record.abstract,
        "ctime": when(record.ctime),
        "utime": when(record.utime),
    }


def article_item(record, counts: Mapping[str, int]) -> dict:
    return {
        "id": record.id,
        "title": record.title,
        "abstract": record.abstract,
        **_with_author(record),
        "likeCnt": counts["like_cnt"],
        "readCnt": counts["read_cnt"],
        "collectCnt": counts["collect_cnt"],
        "utime": when(record.utime),
    }


def public_detail(record, stats) -> dict:
    """``stats``: the counts and the viewer's marks (``read_cnt`` … ``liked``, ``collected``)."""
    return {
        **_with_author(record),
        "id": record.id,
        "title": record.title,
        "content": record.content,
        "abstract": record.abstract,
        "ctime": when(record.ctime),
        "utime": when(record.utime),
        "readCnt": stats.read_cnt,
        "likeCnt": stats.like_cnt,
        "collectCnt": stats.collect_cnt,
        "liked": stats.liked,
        "collected": stats.collected,
    }
