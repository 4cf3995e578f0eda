import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, MultiPartParser


def json_depth(value) -> int:
    """How deeply ``value`` nests lists and objects (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


class JSONObjectParser(BaseParser):
    """JSON bodies that must be an object, read up to ``API_MAX_BODY_BYTES``.

    DRF's JSONParser reads the whole stream and accepts any JSON value; webook bodies
    are always objects, and an oversized body must be refused before it is read. Nesting
    is bounded (``API_MAX_JSON_DEPTH``).
    """

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        try:
            if declared and int(declared) > limit:
                raise ParseError(_("request body is too large"))
        except ValueError:
            raise ParseError(_("invalid Content-Length")) from None
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(_("request body is too large"))
        if not raw.strip():
            return {}
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(_("malformed JSON body")) from None
        try:
            data = json.loads(text)
        except RecursionError:
            raise ParseError(_("the JSON body is nested too deeply")) from None
        except ValueError:
            raise ParseError(_("malformed JSON body")) from None
        if json_depth(data) > settings.API_MAX_JSON_DEPTH:
            raise ParseError(_("the JSON body is nested too deeply"))
        if not isinstance(data, dict):
            raise ParseError(_("the JSON body must be an object"))
        return data


def body_size_check(request, *, limit: int, refusal) -> None:
    """Refuse a body longer than ``limit`` bytes from its declared length, before any of it is
    read; ``refusal()`` gives the exception to raise."""
    declared = request.META.get("CONTENT_LENGTH")
    try:
        length = int(declared) if declared else 0
    except ValueError:
        raise ParseError(_("invalid Content-Length")) from None
    if length > limit:
        raise refusal()


class MultiPartUploadParser(MultiPartParser):
    """multipart/form-data for the few views that take a file (``parser_classes`` of the view;
    the API's default stays JSON only).

    The view names its limit (``max_body_bytes()``) and its answer to a longer body
    (``body_too_large()``): the declared length is checked before a byte is read, and Django's
    parser never reads past the declared length.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        context = parser_context or {}
        view, request = context.get("view"), context.get("request")
        if request is not None and view is not None:
            body_size_check(request, limit=view.max_body_bytes(), refusal=view.body_too_large)
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError:
            # DRF's message is English only and names Django internals.
            raise ParseError(_("malformed multipart/form-data body")) from None
