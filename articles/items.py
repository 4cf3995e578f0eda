"""The webook article items every app answers with: built here, once.

- ``public_list_item``: ``/articles/pub/list`` (no counts).
- ``article_item``: a listed article with its counts — the hot list, the top likes, the home
  page; ``counts`` maps ``read_cnt``, ``like_cnt`` and ``collect_cnt`` to numbers.
- ``public_detail``: ``/articles/pub/<id>``, with the viewer's ``liked``/``collected``.

Author names are answers in the reader's language (an author without a nickname is "user
1234" / "用户1234"). A list computed once and served in every language (the hot list) is
stored by ``article_item_to_store`` with the nickname alone, and named by ``with_names``
when served.

The reader routes are the hottest paths of the site: items are plain dicts (DRF's serializer
machinery cost a third of ``/articles/pub/<id>``'s time, docs/performance.md). The
serializers in ``articles.api.serializers`` describe them in the OpenAPI schema, and tests
compare both shapes. Times are ISO 8601 in ``TIME_ZONE``, as DRF writes them.
"""

from collections.abc import Mapping

from rest_framework import serializers

from articles.models import ArticleStatus
from users.names import display_name

_DATETIME = serializers.DateTimeField()  # DRF's own rendering: ISO 8601 in TIME_ZONE


def when(value) -> str:
    return _DATETIME.to_representation(value)


def _with_author(record, name: str | None = None) -> dict:
    name = record.author_name if name is None else name
    return {
        "author": {"id": record.author_id, "name": name},
        "authorId": record.author_id,
        "authorName": name,
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


def article_item(record, counts: Mapping[str, int], *, _name: str | None = None) -> dict:
    return {
        "id": record.id,
        "title": record.title,
        "abstract": record.abstract,
        **_with_author(record, _name),
        "likeCnt": counts["like_cnt"],
        "readCnt": counts["read_cnt"],
        "collectCnt": counts["collect_cnt"],
        "utime": when(record.utime),
    }


def article_item_to_store(record, counts: Mapping[str, int]) -> dict:
    """``article_item`` with the author's nickname ("" when none): name it with ``with_names``."""
    return article_item(record, counts, _name=record.author_nickname)


def with_names(items: list[dict]) -> list[dict]:
    """Stored items with every author named in the current language (nicknames as they are)."""
    out = []
    for item in items:
        if not item["authorName"]:
            name = display_name(item["authorId"], "")
            item = {**item, "author": {**item["author"], "name": name}, "authorName": name}
        out.append(item)
    return out


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
