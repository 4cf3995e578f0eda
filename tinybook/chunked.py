"""Request bodies sent without a Content-Length (``Transfer-Encoding: chunked``), at the WSGI level.

Django reads a request body only up to its Content-Length; a chunked body has none, so Django
saw an empty body and a write route answered "saved" having saved nothing. This wrapper, around
the WSGI application, reads such a body (at most ``API_MAX_BODY_BYTES``) when the server says
the input ends where the body ends (``wsgi.input_terminated``, as gunicorn sets it for chunked
requests), and hands Django an ordinary request with a Content-Length. A body over the limit,
or one the server cannot delimit, is refused with code 4 before the application runs.

Hand-written because it is a few lines of WSGI and no maintained library does only this.
"""

import io
import json

from django.conf import settings


def _refusal(start_response, message: str):
    body = json.dumps({"code": 4, "msg": message, "data": None}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class ChunkedBodyMiddleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not chunked or environ.get("CONTENT_LENGTH"):
            return self.app(environ, start_response)
        # Plain messages: this runs before Django, so before its translation machinery.
        if not environ.get("wsgi.input_terminated"):
            return _refusal(start_response, "send the request body with a Content-Length")
        limit = settings.API_MAX_BODY_BYTES
        body = environ["wsgi.input"].read(limit + 1)
        if len(body) > limit:
            return _refusal(start_response, "request body is too large")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        del environ["HTTP_TRANSFER_ENCODING"]
        return self.app(environ, start_response)
