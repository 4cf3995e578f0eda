from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema

from search import selectors
from search.api import serializers as io
from tinybook.api import valid
from tinybook.envelope import ok
from tinybook.schema import enveloped
from users.access import AnonymousAPIView

_PARAMETERS = [
    OpenApiParameter("q", str, required=True,
                     description="the words, 1..SEARCH_QUERY_MAX_LENGTH (100) characters once trimmed; "
                                 "searched as text, never as query syntax"),
    OpenApiParameter("type", str, enum=list(io.TYPES), description="article (default) or user"),
    OpenApiParameter("offset", int, description="0.. (default 0)"),
    OpenApiParameter("limit", int, description="1..ARTICLE_LIST_MAX_LIMIT (default 10)"),
]


class SearchView(AnonymousAPIView):
    @extend_schema(
        parameters=_PARAMETERS,
        responses={200: enveloped("SearchAnswer", io.SearchResultsOutput())},
        summary="Search live articles (title, text, author name) or people (name, about-me)",
        description="Every word must match; title matches first, then relevance, ties newest first. "
        "English is case-insensitive; Chinese is found inside longer runs of characters. "
        "`highlight` is HTML: escaped text with the matches in <mark>…</mark>, nothing else.",
        auth=[],
    )
    def get(self, request):
        data = valid(io.SearchQuery, request.query_params)
        answer = selectors.search(kind=data["type"], q=data["q"], offset=data["offset"], limit=data["limit"])
        return ok({"total": answer.total, "items": answer.items}, _("ok"))
