"""Request-scoped log context: the request id on every line logged while serving it."""

import contextvars
import json
import logging

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


# json.dumps(out, default=str) builds a new encoder on every call; one encoder serves every line.
_encode = json.JSONEncoder(default=str).encode

# Attributes every LogRecord has: not "extra" fields.
_RECORD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``asctime``, ``levelname``, ``name``, ``request_id``,
    ``message``, then the record's extra fields (the access log's method, path, status, …).

    The same keys python-json-logger wrote, for a fraction of its cost on the hot path (one
    line per request, docs/performance.md): one dict and one ``json.dumps`` with the C encoder;
    a value JSON cannot encode is written as its ``str``.
    """

    def format(self, record):
        out = {
            "asctime": self.formatTime(record, self.datefmt),
            "levelname": record.levelname,
            "name": record.name,
            "request_id": getattr(record, "request_id", None),
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRS and key not in out:
                out[key] = value
        if record.exc_info:
            out["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            out["stack_info"] = self.formatStack(record.stack_info)
        return _encode(out)
