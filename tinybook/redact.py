"""Redaction of secrets before anything reaches a log line."""

import json
from urllib.parse import parse_qsl, urlencode

REDACTED = "[redacted]"
# Exact keys, compared case-insensitively, plus any key containing these fragments.
SECRET_KEYS = {"code", "authorization", "cookie", "ssid", "state"}
SECRET_FRAGMENTS = ("password", "token", "secret", "jwt", "refresh", "access")


def is_secret_key(name: str) -> bool:
    lowered = str(name).lower().replace("-", "_")
    return lowered in SECRET_KEYS or any(f in lowered for f in SECRET_FRAGMENTS)


def redact(value):
    if isinstance(value, dict):
        return {k: (REDACTED if is_secret_key(k) else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def redact_query(query: str) -> str:
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, REDACTED if is_secret_key(k) else v) for k, v in pairs])


def redact_body(raw: bytes, limit: int) -> str:
    """A JSON body with secrets redacted, cut at ``limit`` bytes; other bodies are summarised."""
    if not raw:
        return ""
    try:
        text = json.dumps(redact(json.loads(raw)), ensure_ascii=False)
    except (ValueError, UnicodeDecodeError):
        return f"<{len(raw)} bytes, not JSON>"
    encoded = text.encode("utf-8")
    if len(encoded) > limit:
        return encoded[:limit].decode("utf-8", "ignore") + "…"
    return text
