"""Domain errors and the one place that turns any error into an API answer.

Services raise; views never catch. ``api_exception_handler`` starts from DRF's own handler
(which knows DRF's exceptions, ``Http404`` and ``PermissionDenied``, rolls the transaction
back and sets ``WWW-Authenticate``/``Retry-After``) and then answers by a table keyed by
exception type: validation and domain errors are HTTP 200 code 4, authentication failures a
bare 401, throttling 429, and anything else HTTP 500 code 5, logged once.
"""

import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from tinybook.envelope import CODE_INVALID, CODE_SYSTEM, envelope

logger = logging.getLogger("tinybook.errors")


def labelled(label, message) -> str:
    """A message about one field, in one language: "email: …" / "邮箱：…"."""
    return _("%(field)s: %(message)s") % {"field": label, "message": message}


class ApplicationError(Exception):
    """A business outcome the client must be told about: HTTP 200, code 4.

    ``field`` names the input the message is about (its name on the wire, e.g. "aboutMe"),
    ``label`` that input as a reader calls it, translated (default: the field's name). The API
    answers "label: message"; a form puts ``detail`` on its field.
    """

    code = CODE_INVALID
    http_status = 200
    default_message = gettext_lazy("request is not valid")

    def __init__(self, message=None, *, field: str | None = None, label=None, data=None):
        self.detail = message if message is not None else self.default_message
        self.field = field
        self.label = label if label is not None else field
        self.data = data
        super().__init__(str(self.detail))

    @property
    def message(self) -> str:
        return labelled(self.label, self.detail) if self.field else self.detail


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


class InvalidInput(drf.ValidationError):
    """A serializer's errors with the message to show already chosen (see ``tinybook.api.valid``)."""

    def __init__(self, detail, message: str):
        super().__init__(detail)
        self.message = message


def first_message(detail) -> str:
    """The first human message in a DRF error detail, prefixed by its field."""
    if isinstance(detail, dict):
        for field, value in detail.items():
            msg = first_message(value)
            if field in ("non_field_errors", "detail"):
                return msg
            return f"{field}: {msg}"
    if isinstance(detail, list) and detail:
        return first_message(detail[0])
    return str(detail)


def _answer(status: int, msg, data=None, *, code: int = CODE_INVALID) -> Response:
    return Response(envelope(code, msg, data), status=status)


def _unauthorized(exc) -> Response:
    # Webook clients treat a bare 401 as "log in again"; no body is needed.
    return Response(status=401, headers={"WWW-Authenticate": 'Bearer realm="api"'})


def _invalid_input(exc: drf.ValidationError) -> Response:
    message = exc.message if isinstance(exc, InvalidInput) else first_message(exc.detail)
    return _answer(200, message, exc.detail)


def _other_client_error(exc: drf.APIException) -> Response | None:
    return _answer(200, first_message(exc.detail)) if exc.status_code < 500 else None


# The answer for each kind of error; the most specific class in an exception's MRO wins.
ANSWERS: dict[type, Callable[[Exception], Response | None]] = {
    ApplicationError: lambda exc: _answer(exc.http_status, exc.message, exc.data, code=exc.code),
    AuthenticationError: _unauthorized,
    drf.NotAuthenticated: _unauthorized,
    drf.AuthenticationFailed: _unauthorized,
    drf.Throttled: lambda exc: _answer(429, _("too many requests")),
    drf.ValidationError: _invalid_input,
    drf.ParseError: lambda exc: _answer(200, exc.detail),
    drf.MethodNotAllowed: lambda exc: _answer(405, _("method not allowed")),
    drf.UnsupportedMediaType: lambda exc: _answer(415, _("send the body as JSON (Content-Type: application/json)")),
    drf.NotFound: lambda exc: _answer(200, _("not found")),
    Http404: lambda exc: _answer(200, _("not found")),
    drf.PermissionDenied: lambda exc: _answer(200, _("not allowed")),
    DjangoPermissionDenied: lambda exc: _answer(200, _("not allowed")),
    drf.APIException: _other_client_error,
}
# Headers DRF's handler sets that the answer keeps (wait time of a throttled request).
_KEPT_HEADERS = ("Retry-After",)


def _answer_for(exc: Exception) -> Response | None:
    for cls in type(exc).__mro__:
        answer = ANSWERS.get(cls)
        if answer is not None:
            return answer(exc)
    return None


def api_exception_handler(exc, context):
    drf_response = drf_exception_handler(exc, context)  # None for anything DRF doesn't know
    response = _answer_for(exc)
    if response is not None:
        set_rollback()
        for name in _KEPT_HEADERS:
            if drf_response is not None and name in drf_response:
                response[name] = drf_response[name]
        return response

    # Unexpected: the one place it is logged, with its traceback.
    set_rollback()
    view = context.get("view")
    logger.exception("unhandled error in %s", type(view).__name__ if view else "view")
    response = _answer(500, _("system error"), code=CODE_SYSTEM)
    # Django would log the 500 response again; it has been logged here already.
    response._has_been_logged = True
    return response
