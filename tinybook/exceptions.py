"""Domain errors and the one place that turns any error into an API answer.

Services raise; views never catch. ``api_exception_handler`` renders:
validation and domain errors as HTTP 200 code 4, authentication failures as a bare
401, throttling as 429, and anything unexpected as HTTP 500 code 5, logged once.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import set_rollback

from tinybook.envelope import CODE_INVALID, CODE_SYSTEM, envelope

logger = logging.getLogger("tinybook.errors")


class ApplicationError(Exception):
    """A business outcome the client must be told about: HTTP 200, code 4."""

    code = CODE_INVALID
    http_status = 200
    default_message = gettext_lazy("request is not valid")

    def __init__(self, message=None, *, data=None):
        self.message = message if message is not None else self.default_message
        self.data = data
        super().__init__(str(self.message))


class NotFoundError(ApplicationError):
    default_message = gettext_lazy("not found")


class ForbiddenError(ApplicationError):
    default_message = gettext_lazy("not allowed")


class TooManyAttemptsError(ApplicationError):
    default_message = gettext_lazy("too many attempts, try again later")


class DependencyError(ApplicationError):
    """A service we depend on (WeChat, an SMS provider) failed: code 5, said plainly."""

    code = CODE_SYSTEM
    default_message = gettext_lazy("a service we depend on is unavailable, try again later")


class AuthenticationError(Exception):
    """The caller's credentials are not (or no longer) good: a bare HTTP 401."""


def _first_message(detail) -> str:
    """The first human message in a DRF error detail, prefixed by its field."""
    if isinstance(detail, dict):
        for field, value in detail.items():
            msg = _first_message(value)
            if field in ("non_field_errors", "detail"):
                return msg
            return f"{field}: {msg}"
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def _invalid(msg, data=None, status=200) -> Response:
    return Response(envelope(CODE_INVALID, msg, data), status=status)


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = NotFoundError()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = ForbiddenError()

    if isinstance(exc, ApplicationError):
        set_rollback()
        return Response(envelope(exc.code, exc.message, exc.data), status=exc.http_status)

    if isinstance(exc, (drf.NotAuthenticated, drf.AuthenticationFailed, AuthenticationError)):
        # Webook clients treat a bare 401 as "log in again"; no body is needed.
        set_rollback()
        response = Response(status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    if isinstance(exc, drf.Throttled):
        set_rollback()
        response = Response(envelope(CODE_INVALID, _("too many requests")), status=429)
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait))
        return response

    if isinstance(exc, drf.ValidationError):
        set_rollback()
        return _invalid(_first_message(exc.detail), data=exc.detail)

    if isinstance(exc, drf.ParseError):
        set_rollback()
        return _invalid(exc.detail)

    if isinstance(exc, drf.MethodNotAllowed):
        set_rollback()
        return _invalid(_("method not allowed"), status=405)

    if isinstance(exc, drf.UnsupportedMediaType):
        set_rollback()
        return _invalid(_("send the body as JSON (Content-Type: application/json)"), status=415)

    if isinstance(exc, drf.NotFound):
        set_rollback()
        return _invalid(_("not found"))

    if isinstance(exc, drf.PermissionDenied):
        set_rollback()
        return _invalid(_("not allowed"))

    if isinstance(exc, drf.APIException) and exc.status_code < 500:
        set_rollback()
        return _invalid(_first_message(exc.detail))

    # Unexpected: the one place it is logged, with its traceback.
    set_rollback()
    view = context.get("view")
    logger.exception("unhandled error in %s", type(view).__name__ if view else "view")
    response = Response(envelope(CODE_SYSTEM, _("system error")), status=500)
    # Django would log the 500 response again; it has been logged here already.
    response._has_been_logged = True
    return response
