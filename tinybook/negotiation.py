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
