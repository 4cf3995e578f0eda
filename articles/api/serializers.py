"""What the articles API accepts, and the shapes of its answers for the OpenAPI schema
(the answers themselves are built by ``articles.items``)."""

from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from articles.models import ArticleStatus
from tinybook.fields import MAX_ID, IdField, StrictCharField, StrictIntegerField
from users.names import display_name


class ArticleWriteInput(serializers.Serializer):
    """``id`` absent, null or 0 creates a new article (webook clients send 0)."""

    id = StrictIntegerField(min_value=0, max_value=MAX_ID, required=False, allow_null=True,
                            label=pgettext_lazy("field", "id"))
    title = StrictCharField(allow_blank=True, trim_whitespace=False, label=pgettext_lazy("field", "title"))
    content = StrictCharField(allow_blank=True, trim_whitespace=False, label=pgettext_lazy("field", "content"))


class ArticleIdInput(serializers.Serializer):
    id = IdField()


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


def _author_name(obj) -> str:
    """The author's display name of a record, or of a record's fields in a dict."""
    get = obj.get if isinstance(obj, dict) else lambda name: getattr(obj, name)
    return display_name(get("author_id"), get("author_nickname"))


class AuthorRef(serializers.Serializer):
    id = serializers.IntegerField(source="author_id")
    name = serializers.SerializerMethodField(help_text="the nickname, or a neutral name from the id")

    def get_name(self, obj) -> str:
        return _author_name(obj)


class _WithAuthor(serializers.Serializer):
    """webook's flat ``authorId``/``authorName`` and the nested ``author``."""

    author = AuthorRef(source="*")
    authorId = serializers.IntegerField(source="author_id")  # noqa: N815 (wire name)
    authorName = serializers.SerializerMethodField()  # noqa: N815 (wire name)

    def get_authorName(self, obj) -> str:  # noqa: N802 (wire name)
        return _author_name(obj)


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


class ArticleItemOutput(serializers.Serializer):
    """A listed article with its counts (``articles.items.article_item``)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    abstract = serializers.CharField(help_text="plain text, HTML-escaped")
    author = AuthorRef(source="*")
    authorId = serializers.IntegerField(source="author_id")  # noqa: N815 (wire name)
    authorName = serializers.CharField(help_text="the nickname, or a neutral name from the id")  # noqa: N815
    likeCnt = serializers.IntegerField()  # noqa: N815
    readCnt = serializers.IntegerField()  # noqa: N815
    collectCnt = serializers.IntegerField()  # noqa: N815
    utime = serializers.DateTimeField()
