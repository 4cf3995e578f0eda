from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from articles.models import ArticleStatus

# Ids travel as JSON numbers; above 2^53 a JavaScript client cannot represent them.
MAX_ID = 2**53 - 1


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer only: DRF's IntegerField would take "12", 12.0 and true."""

    default_error_messages = {"invalid": gettext_lazy("must be an integer")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """A JSON string only (DRF's CharField turns numbers into strings)."""

    default_error_messages = {"invalid": gettext_lazy("must be a string")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def ArticleIdField(**kwargs):  # noqa: N802 (a field factory, read like a class)
    return StrictIntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def parse_path_id(raw: str) -> int:
    """An id from the URL path: digits only, 1..2^53-1; anything else is code 4."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 16 or not 1 <= int(raw) <= MAX_ID:
        raise serializers.ValidationError({"id": [_("must be a positive integer below 2^53")]})
    return int(raw)


class ArticleWriteInput(serializers.Serializer):
    """``id`` absent, null or 0 creates a new article (webook clients send 0)."""

    id = StrictIntegerField(min_value=0, max_value=MAX_ID, required=False, allow_null=True)
    title = StrictCharField(allow_blank=True, trim_whitespace=False)
    content = StrictCharField(allow_blank=True, trim_whitespace=False)


class ArticleIdInput(serializers.Serializer):
    id = ArticleIdField()


class PageInput(serializers.Serializer):
    offset = StrictIntegerField(min_value=0)
    limit = StrictIntegerField(min_value=1)

    def validate_offset(self, value):
        if value > settings.ARTICLE_LIST_MAX_OFFSET:
            raise serializers.ValidationError(
                _("must be at most %(n)d") % {"n": settings.ARTICLE_LIST_MAX_OFFSET}
            )
        return value

    def validate_limit(self, value):
        if value > settings.ARTICLE_LIST_MAX_LIMIT:
            raise serializers.ValidationError(_("must be at most %(n)d") % {"n": settings.ARTICLE_LIST_MAX_LIMIT})
        return value


# --- answers --------------------------------------------------------------------------------------

class AuthorListItem(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.IntegerField(help_text="1 unpublished, 2 published, 3 withdrawn")
    abstract = serializers.CharField(help_text="plain text, HTML-escaped")
    ctime = serializers.DateTimeField()
    utime = serializers.DateTimeField()


class AuthorDetail(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    content = serializers.CharField(help_text="sanitized HTML")
    status = serializers.IntegerField(help_text="1 unpublished, 2 published, 3 withdrawn")
    ctime = serializers.DateTimeField()
    utime = serializers.DateTimeField()


class AuthorRef(serializers.Serializer):
    id = serializers.IntegerField(source="author_id")
    name = serializers.CharField(source="author_name")


class _WithAuthor(serializers.Serializer):
    """webook's flat ``authorId``/``authorName`` and the nested ``author``."""

    author = AuthorRef(source="*")
    authorId = serializers.IntegerField(source="author_id")  # noqa: N815 (wire name)
    authorName = serializers.CharField(source="author_name")  # noqa: N815 (wire name)


class PublicListItem(_WithAuthor):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.SerializerMethodField(help_text="always 2 (published)")
    abstract = serializers.CharField(help_text="plain text, HTML-escaped")
    ctime = serializers.DateTimeField()
    utime = serializers.DateTimeField()

    def get_status(self, obj) -> int:
        return ArticleStatus.PUBLISHED


class PublicDetail(_WithAuthor):
    id = serializers.IntegerField()
    title = serializers.CharField()
    content = serializers.CharField(help_text="sanitized HTML")
    abstract = serializers.CharField(help_text="plain text, HTML-escaped")
    ctime = serializers.DateTimeField()
    utime = serializers.DateTimeField()
    readCnt = serializers.IntegerField()  # noqa: N815 (wire name)
    likeCnt = serializers.IntegerField()  # noqa: N815
    collectCnt = serializers.IntegerField()  # noqa: N815
    liked = serializers.BooleanField()
    collected = serializers.BooleanField()


# The reader routes are the hottest paths of the site: their answers are built as plain dicts
# (DRF's serializer machinery cost a third of /articles/pub/<id>'s time, docs/performance.md).
# The serializers above still describe them in the OpenAPI schema; tests compare both shapes.
_DATETIME = serializers.DateTimeField()  # DRF's own rendering: ISO 8601 in TIME_ZONE


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
        "ctime": _DATETIME.to_representation(record.ctime),
        "utime": _DATETIME.to_representation(record.utime),
    }


def public_detail(record, engagement) -> dict:
    return {
        **_with_author(record),
        "id": record.id,
        "title": record.title,
        "content": record.content,
        "abstract": record.abstract,
        "ctime": _DATETIME.to_representation(record.ctime),
        "utime": _DATETIME.to_representation(record.utime),
        "readCnt": engagement.read_cnt,
        "likeCnt": engagement.like_cnt,
        "collectCnt": engagement.collect_cnt,
        "liked": engagement.liked,
        "collected": engagement.collected,
    }
