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


# --- the answers every operation can give, added to every operation (issue 22) -----------------

ERROR_ENVELOPE = {
    "type": "object",
    "description": "A refusal (code 4: invalid or not allowed) or a failure (code 5). `data` holds the "
    "validation errors by field when there are some, else null.",
    "properties": {
        "code": {"type": "integer", "enum": [4, 5], "description": _CODE_HELP},
        "msg": {"type": "string", "description": "a short human sentence, translated"},
        "data": {"nullable": True},
    },
    "required": ["code", "msg", "data"],
}
_ERROR_REF = {"$ref": "#/components/schemas/ErrorEnvelope"}
_JSON_ERROR = {"application/json": {"schema": _ERROR_REF}}

# Status -> (description, which operations answer it); each with the error envelope as its body.
_ERROR_ANSWERS = {
    "400": ("refused before it reached the API (a Host header not allowed, too many fields)", "all"),
    "404": ("no such route (a path parameter that routes nowhere)", "path-params"),
    "405": ("this path does not answer this method", "all"),
    "415": ("the body is not sent as JSON (Content-Type: application/json)", "body"),
    "429": ("the per-IP limiter (IP_RATE_LIMIT); see Retry-After", "all"),
    "500": ("an unexpected error: {code: 5, msg: \"system error\"}, never a trace", "all"),
    "503": ("the database is down or did not answer in time; see Retry-After", "all"),
}


def _is_envelope(schema: dict) -> bool:
    return set(schema.get("properties", {})) == {"code", "msg", "data"}


def add_error_answers(result, generator, request, public):
    """drf-spectacular postprocessing hook: describe every answer an operation really gives.

    Business refusals are HTTP 200 with code 4 (and a named dependency failing, code 5), so each
    operation's 200 answer is "its success shape, or the error envelope": ``oneOf`` the two, told
    apart by ``code`` (success envelopes say ``code: 0``). Then the HTTP errors the plumbing
    answers for any route — 401 where a token is required, 400, 404, 405, 415, 429, 500, 503 —
    with the error envelope. Generic on purpose: every endpoint, including ones added later, is
    described without work in its view.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorEnvelope"] = ERROR_ENVELOPE
    for name, schema in schemas.items():
        if name not in ("Envelope", "ErrorEnvelope") and _is_envelope(schema):
            schema["properties"]["code"] = {**schema["properties"]["code"], "enum": [0]}
            schema["required"] = ["code", "msg", "data"]
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete", "head", "options", "trace"):
                continue
            responses = operation.setdefault("responses", {})
            ok = responses.get("200", {}).get("content", {}).get("application/json")
            if ok is not None and "oneOf" not in ok.get("schema", {}):
                ok["schema"] = {"oneOf": [ok["schema"], _ERROR_REF]}
            security = operation.get("security")
            if security and {} not in security and "401" not in responses:
                responses["401"] = {"description": "token missing, malformed, expired, revoked or of the wrong type"}
            for status, (description, which) in _ERROR_ANSWERS.items():
                applies = (which == "all" or (which == "body" and "requestBody" in operation)
                           or (which == "path-params" and "{" in path))
                if applies and status not in responses:
                    responses[status] = {"description": description, "content": _JSON_ERROR}
    return result
