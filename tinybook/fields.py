"""Input fields and shapes every API shares: strict JSON types, ids, pages.

DRF's own fields coerce ("12" and 12.0 pass as integers, "yes" as a boolean); webook clients
send real JSON types, and anything else is a client bug to refuse with code 4. Ids travel as
JSON numbers, so they stay below 2^53, the largest integer a JavaScript client represents.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from rest_framework import serializers

from tinybook.exceptions import InvalidInput, labelled

MAX_ID = 2**53 - 1


class _JSONTyped:
    """Refuses a value whose JSON type is not ``json_type`` (a bool is not an integer)."""

    json_type: type

    def to_internal_value(self, data):
        if isinstance(data, bool) is not (self.json_type is bool) or not isinstance(data, self.json_type):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(_JSONTyped, serializers.IntegerField):
    """A JSON integer only: DRF's IntegerField would take "12", 12.0 and true."""

    json_type = int
    default_error_messages = {"invalid": gettext_lazy("must be an integer")}


class StrictCharField(_JSONTyped, serializers.CharField):
    """A JSON string only (DRF's CharField turns numbers into strings)."""

    json_type = str
    default_error_messages = {"invalid": gettext_lazy("must be a string")}


class StrictBooleanField(_JSONTyped, serializers.BooleanField):
    """A JSON boolean only (DRF's BooleanField takes "yes", 1, "on" …)."""

    json_type = bool
    default_error_messages = {"invalid": gettext_lazy("must be true or false")}


def IdField(**kwargs):  # noqa: N802 (a field factory, read like a class)
    """An id in a JSON body: an integer 1..2^53-1."""
    kwargs.setdefault("label", pgettext_lazy("field", "id"))
    return StrictIntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def parse_path_id(raw: str, *, field: str = "id") -> int:
    """An id from the URL path: digits only, 1..2^53-1; anything else (``null``, ``abc``, ``-1``) is
    code 4 like any other invalid input (webook-fe asks for ``/articles/pub/null`` first)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 16 or not 1 <= int(raw) <= MAX_ID:
        message = _("must be a positive integer below 2^53")
        raise InvalidInput({field: [message]}, labelled(pgettext("field", "id"), message))
    return int(raw)


def digits_only(data, names) -> None:
    """Query-string numbers: ASCII digits only ("1e3", "+1", " 1" and "١" are refused)."""
    for name in names:
        raw = data.get(name)
        if raw is not None and not (str(raw).isascii() and str(raw).isdigit() and len(str(raw)) <= 9):
            raise serializers.ValidationError({name: [gettext_lazy("must be a non-negative integer")]})


class _PageBounds:
    """``offset`` and ``limit`` within the list settings (an OFFSET reads and drops that many rows)."""

    def validate_offset(self, value):
        if value > settings.ARTICLE_LIST_MAX_OFFSET:
            raise serializers.ValidationError(_("must be at most %(n)d") % {"n": settings.ARTICLE_LIST_MAX_OFFSET})
        return value

    def validate_limit(self, value):
        if value > settings.ARTICLE_LIST_MAX_LIMIT:
            raise serializers.ValidationError(_("must be at most %(n)d") % {"n": settings.ARTICLE_LIST_MAX_LIMIT})
        return value


class PageInput(_PageBounds, serializers.Serializer):
    """``{offset, limit}`` in a JSON body (webook's list routes); both required."""

    offset = StrictIntegerField(min_value=0, label=pgettext_lazy("field", "offset"))
    limit = StrictIntegerField(min_value=1, label=pgettext_lazy("field", "limit"))


class PageQuery(_PageBounds, serializers.Serializer):
    """``?offset&limit`` from a query string: digits only, both optional."""

    offset = serializers.IntegerField(min_value=0, required=False, default=0,
                                      label=pgettext_lazy("field", "offset"))
    limit = serializers.IntegerField(min_value=1, required=False, default=10,
                                     label=pgettext_lazy("field", "limit"))

    def to_internal_value(self, data):
        digits_only(data, ("offset", "limit"))
        return super().to_internal_value(data)
