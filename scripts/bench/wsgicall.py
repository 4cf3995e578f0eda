"""One WSGI call of an application in this process, as gunicorn would make it (no network):
shared by ``inprocess.py`` (TinyBook) and ``baseline.py`` (the bare view, in a process of its
own). It imports nothing of Django, so either side can use it after configuring its own."""

import io
import sys


def environ(method, path, headers, body=b""):
    path, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "HTTP_USER_AGENT": "tinybook-bench/1.0", "CONTENT_LENGTH": str(len(body)),
    }
    if body:
        env["CONTENT_TYPE"] = "application/json"
    for k, v in headers.items():
        env["HTTP_" + k.upper().replace("-", "_")] = v
    return env


def call(app, method, path, headers, body=b""):
    if callable(body):  # a request that changes each time (a like, then taking it back)
        body = body()
    status = []
    out = app(environ(method, path, headers, body), lambda s, h, exc_info=None: status.append(s))
    data = b"".join(out)
    if hasattr(out, "close"):
        out.close()
    return status[0], data
