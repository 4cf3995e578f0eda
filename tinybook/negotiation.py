"""Content negotiation for a JSON-only API.

The API has one renderer (JSON), so DRF's default negotiation (parsing every ``Accept``
header against every renderer's media type, on every request) can only ever pick it; this
picks it directly. Parser choice (by ``Content-Type``) is DRF's own, unchanged.
"""

from rest_framework.negotiation import DefaultContentNegotiation


class JSONOnlyContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if len(renderers) == 1:
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


class WebookTextNegotiation(DefaultContentNegotiation):
    """The envelope (JSON) for a client that accepts JSON alone; webook's plain text otherwise.

    Views using it list the JSON renderer first and ``tinybook.renderers.MessageTextRenderer``
    second. webook-fe (axios) sends ``Accept: application/json, text/plain, */*`` and gets text.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        json_renderer, text_renderer = renderers
        accepted = [part.split(";")[0].strip().lower() for part in request.META.get("HTTP_ACCEPT", "").split(",")]
        if accepted and all(media == "application/json" for media in accepted):
            return json_renderer, json_renderer.media_type
        return text_renderer, text_renderer.media_type
