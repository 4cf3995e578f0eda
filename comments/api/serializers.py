from django.conf import settings
from django.utils.translation import gettext_lazy, pgettext_lazy
from rest_framework import serializers

from comments.models import BIZ_ARTICLE
from tinybook.fields import MAX_ID, IdField, StrictCharField, StrictIntegerField, digits_only

_BIZ_HELP = 'the kind of thing commented on: "article" (the only one for now)'


def _biz_known(value: str) -> str:
    if value != BIZ_ARTICLE:
        raise serializers.ValidationError(gettext_lazy("unknown kind of object"))
    return value


def _optional_id(name: str, help_text: str):
    return StrictIntegerField(min_value=0, max_value=MAX_ID, required=False, allow_null=True,
                              label=pgettext_lazy("field", name), help_text=help_text + "; 0 or null: none")


class CreateInput(serializers.Serializer):
    biz = StrictCharField(label=pgettext_lazy("field", "biz"), help_text=_BIZ_HELP, validators=[_biz_known])
    bizId = IdField(label=pgettext_lazy("field", "bizId"), help_text="the article's id")  # noqa: N815
    rootId = _optional_id("rootId", "the root whose thread this reply joins")  # noqa: N815
    parentId = _optional_id("parentId", "the comment of that thread this reply answers")  # noqa: N815
    content = StrictCharField(trim_whitespace=False, allow_blank=True, label=pgettext_lazy("field", "content"),
                              help_text="plain text, 1..COMMENT_MAX_CHARS characters after trimming; line breaks kept")


class DeleteInput(serializers.Serializer):
    id = IdField()


class _Limit(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, required=False, label=pgettext_lazy("field", "limit"))

    def validate_limit(self, value):
        if value > settings.COMMENT_PAGE_MAX:
            raise serializers.ValidationError(gettext_lazy("must be at most %(n)d") % {"n": settings.COMMENT_PAGE_MAX})
        return value

    def validate(self, attrs):
        attrs.setdefault("limit", settings.COMMENT_PAGE_DEFAULT)
        return attrs


class ListQuery(_Limit):
    biz = serializers.CharField(label=pgettext_lazy("field", "biz"), validators=[_biz_known])
    bizId = serializers.IntegerField(min_value=1, max_value=MAX_ID, label=pgettext_lazy("field", "bizId"))  # noqa: N815
    before = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                      label=pgettext_lazy("field", "before"))

    def to_internal_value(self, data):
        digits_only(data, ("bizId", "before", "limit"))
        return super().to_internal_value(data)


class RepliesQuery(_Limit):
    rootId = serializers.IntegerField(min_value=1, max_value=MAX_ID, label=pgettext_lazy("field", "rootId"))  # noqa: N815
    after = serializers.IntegerField(min_value=0, max_value=MAX_ID, required=False,
                                     label=pgettext_lazy("field", "after"))

    def to_internal_value(self, data):
        digits_only(data, ("rootId", "after", "limit"))
        return super().to_internal_value(data)


# --- answers (the items are plain dicts, ``comments.selectors.item``; these describe them) ---------

class CommentUser(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="the nickname, or a neutral name from the id")


class CommentReply(serializers.Serializer):
    id = serializers.IntegerField()
    bizId = serializers.IntegerField()  # noqa: N815
    rootId = serializers.IntegerField(allow_null=True, help_text="null for a root")  # noqa: N815
    parentId = serializers.IntegerField(allow_null=True, help_text="the comment answered, if any")  # noqa: N815
    content = serializers.CharField(help_text='plain text exactly as stored; "" when deleted')
    user = CommentUser(allow_null=True, help_text="null for a deleted root")
    replyTo = CommentUser(allow_null=True, help_text="the author of the comment answered")  # noqa: N815
    ctime = serializers.DateTimeField()
    replyCnt = serializers.IntegerField(help_text="replies in the thread (roots)")  # noqa: N815
    replies = serializers.ListField(child=serializers.DictField(), help_text="always [] below a root")
    deleted = serializers.BooleanField(help_text='a deleted root kept for its replies ("[deleted]")')


class CommentItem(CommentReply):
    replies = CommentReply(many=True, help_text="a root's first replies, oldest first")


def _small_id(raw, low: int) -> int | None:
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 15) or int(raw) < low:
        raise ValueError(raw)
    return int(raw)


def list_query(params) -> dict | None:
    """``ListQuery``'s answer for a well-formed query string without building a serializer (the
    list is a hot path: DRF's field machinery was a third of its time); None when anything is
    off, and ``ListQuery`` then says what."""
    if params.get("biz") != BIZ_ARTICLE:
        return None
    try:
        biz_id = _small_id(params.get("bizId"), 1)
        before = _small_id(params.get("before"), 1)
        limit = _small_id(params.get("limit"), 1)
    except ValueError:
        return None
    if biz_id is None or (limit is not None and limit > settings.COMMENT_PAGE_MAX):
        return None
    return {"biz": BIZ_ARTICLE, "bizId": biz_id, "before": before,
            "limit": limit if limit is not None else settings.COMMENT_PAGE_DEFAULT}
