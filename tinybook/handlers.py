"""The WSGI handler: Django's, reusing the URL match ``RequestMiddleware`` made up front."""

from django.core.handlers.wsgi import WSGIHandler


class TinyBookWSGIHandler(WSGIHandler):
    def resolve_request(self, request):
        match = request.resolver_match
        return match if match is not None else super().resolve_request(request)
