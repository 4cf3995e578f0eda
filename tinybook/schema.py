"""OpenAPI helpers: the webook envelope, described truthfully for each endpoint."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

_CODE_HELP = "0 success; 4 invalid or not allowed (HTTP 200); 5 system error"


_components: dict[str, OpenApiResponse] = {}

# The one answer of a route that needs login, when the token is not good.
UNAUTHORIZED = OpenApiResponse(description="token missing, malformed, expired, revoked or of the wrong type")


def enveloped(name: str, data=None, description: str = "") -> OpenApiResponse:
    """A 200 response ``{code, msg, data}`` whose ``data`` is ``data`` (a serializer or field).

    One component per name: calling it twice with a name returns the same response.
    """
    if name in _components:
        return _components[name]
    _components[name] = OpenApiResponse(
        response=inline_serializer(
            name=name,
            fields={
                "code": serializers.IntegerField(help_text=_CODE_HELP),
                "msg": serializers.CharField(help_text="a short human sentence, translated"),
                "data": data if data is not None else serializers.JSONField(allow_null=True, default=None),
            },
        ),
        description=description,
    )
    return _components[name]


# The bare envelope, appended to every schema as the component "Envelope".
ENVELOPE_COMPONENT = {
    "type": "object",
    "description": "Every JSON answer except GET /users/profile. Business outcomes, including "
    "'not found', are HTTP 200 and read from `code`.",
    "properties": {
        "code": {"type": "integer", "enum": [0, 4, 5], "description": _CODE_HELP},
        "msg": {"type": "string"},
        "data": {"nullable": True},
    },
    "required": ["code", "msg", "data"],
}


def add_envelope_component(result, generator, request, public):
    """drf-spectacular postprocessing hook: publish ``Envelope`` as a named component."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Envelope"] = ENVELOPE_COMPONENT
    return result
