"""Shared plumbing of the HTML views: domain errors become what a browser user expects.

Views call services without ``try`` blocks. ``domain_errors`` turns a ``NotFoundError`` into
the site's 404 page, and, on a POST, any other ``ApplicationError`` into a message shown on
the page the form came from (post/redirect/get). ``submit`` runs a service for a bound form
and puts a refusal on the form, on the field the message names when there is one.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from tinybook.exceptions import ApplicationError, NotFoundError


def domain_errors(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFoundError:
            raise Http404 from None
        except ApplicationError as exc:
            if request.method != "POST":
                raise
            messages.error(request, exc.message)
            return redirect(request.get_full_path())

    return wrapped


def submit(form, service: Callable, /, *, field_aliases: dict[str, str] | None = None, **kwargs) -> tuple[bool, object]:
    """``(True, result)`` of ``service(**kwargs)``, or ``(False, None)`` with its refusal on ``form``.

    A refusal about a field goes on that field of the form (``field_aliases`` maps the API's
    names, e.g. ``aboutMe``, to the form's); any other on the form as a whole.
    """
    try:
        return True, service(**kwargs)
    except ApplicationError as exc:
        field = (field_aliases or {}).get(exc.field, exc.field)
        if field in form.fields:
            form.add_error(field, str(exc.detail))
        else:
            form.add_error(None, str(exc.message))
        return False, None
