"""Redaction of secrets before anything reaches a log line. Nothing here raises on any input:
a log line must never fail the request it describes."""

import json
from urllib.parse import parse_qsl, urlencode

from django.conf import settings

from tinybook.parsers import json_depth

REDACTED = "[redacted]"
# Exact keys, compared case-insensitively, plus any key containing these fragments.
SECRET_KEYS = {"code", "authorization", "cookie", "ssid", "state"}
SECRET_FRAGMENTS = ("password", "token", "secret", "jwt", "refresh", "access")


def is_secret_key(name: str) -> bool:
    lowered = str(name).lower().replace("-", "_")
    return lowered in SECRET_KEYS or any(f in lowered for f in SECRET_FRAGMENTS)


def redact(value, *, keep: tuple[str, ...] = ()):
    """``value`` with the values of secret keys replaced; top-level keys in ``keep`` are kept.

    Callers bound the depth (``json_depth``) before calling: the walk is recursive.
    """
    if isinstance(value, dict):
        return {k: (v if k in keep else REDACTED if is_secret_key(k) else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def redact_query(query: str) -> str:
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, REDACTED if is_secret_key(k) else v) for k, v in pairs], errors="backslashreplace")


def redact_body(raw: bytes, limit: int, *, envelope: bool = False) -> str:
    """A JSON body with secrets redacted, cut at ``limit`` bytes; other bodies are summarised.

    ``envelope``: the body is one of our answers, whose top-level ``code`` is the envelope's
    result code (0, 4, 5), not a login code: it is kept. Text that cannot be encoded (a lone
    surrogate sent as ``"\\ud800"``) is written escaped.
    """
    if not raw:
        return ""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return f"<{len(raw)} bytes, not JSON>"
    if json_depth(data) > settings.API_MAX_JSON_DEPTH:
        return f"<{len(raw)} bytes, JSON nested too deeply>"
    keep = ("code",) if envelope and isinstance(data, dict) and isinstance(data.get("code"), int) else ()
    text = json.dumps(redact(data, keep=keep), ensure_ascii=False)
    encoded = text.encode("utf-8", "backslashreplace")
    if len(encoded) > limit:
        return encoded[:limit].decode("utf-8", "ignore") + "…"
    return encoded.decode("utf-8")
