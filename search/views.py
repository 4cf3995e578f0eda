"""The results page: the navigation's search box lands here (``/search/results``)."""

import math

from django.conf import settings
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from search import selectors, text
from search.forms import SearchForm


@require_GET
def results_page(request):
    form = SearchForm(request.GET)
    context = {"form": form, "kind": "article", "q": "", "answer": None, "max_length": settings.SEARCH_QUERY_MAX_LENGTH}
    if request.GET.get("q", "").strip() and form.is_valid():
        kind, q, page = form.cleaned_data["type"] or "article", form.cleaned_data["q"], form.cleaned_data["page"] or 1
        size = settings.SEARCH_PAGE_SIZE
        answer = selectors.search(kind=kind, q=q, offset=(page - 1) * size, limit=size)
        pages = max(1, math.ceil(answer.total / size))
        for item in answer.items:
            # Escaped, the matches marked (search.text.marked): safe to show as HTML.
            item["highlight_html"] = mark_safe(item["highlight"])  # noqa: S308
            item["title_html"] = mark_safe(text.marked(item.get("title") or item.get("name", ""), answer.terms))  # noqa: S308
        context.update(kind=kind, q=q, answer=answer, page=page, pages=pages,
                       prev_page=page - 1 if page > 1 else None, next_page=page + 1 if page < pages else None)
    elif "type" in request.GET and request.GET["type"] in ("article", "user"):
        context["kind"] = request.GET["type"]
    return render(request, "search/results.html", context)
