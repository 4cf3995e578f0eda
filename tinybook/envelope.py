"""The webook envelope: every JSON answer is ``{"code", "msg", "data"}``."""

from django.utils.translation import gettext as _
from rest_framework.response import Response

CODE_OK = 0
CODE_INVALID = 4
CODE_SYSTEM = 5


def envelope(code: int, msg: str, data=None) -> dict:
    return {"code": code, "msg": str(msg), "data": data}


def ok(data=None, msg=None, *, status: int = 200, headers: dict | None = None) -> Response:
    """A success answer; ``msg`` is a short sentence because webook clients alert it."""
    return Response(
        envelope(CODE_OK, msg if msg is not None else _("ok"), data), status=status, headers=headers
    )
