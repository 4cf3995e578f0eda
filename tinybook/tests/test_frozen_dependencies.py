"""A frozen dependency never hangs a request (issue 22, items 5 and 7).

Real processes: gunicorn with two workers, its database or its Redis reached through a TCP
proxy of this test's own, which is then frozen — connections stay open and nothing moves, as
when the server process is stopped. The shared MariaDB and Redis are never touched. Every
request must be answered within the bound the timeout settings promise (code 5 when it
cannot be served), long before gunicorn's own timeout would kill the worker; a reader of a
cached article is served, logged in or not.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection

from conftest import TEST_USER_AGENT, login_client
from interactions.tests.helpers import published_article
from tinybook.tests.faults import TcpProxy, free_port, kill_group, wait_port
from users.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "mysql", reason="needs a database server shared by processes"),
]

READ_TIMEOUT, CONNECT_TIMEOUT, GUNICORN_TIMEOUT = 2, 1, 30
# What a request may take with one dependency frozen: a stale connection's health check waits
# the read timeout, the reconnect the connect timeout; then some slack for a loaded machine.
BOUND = READ_TIMEOUT + CONNECT_TIMEOUT + 4


class Server:
    def __init__(self, *, db_port: int, redis_url: str):
        db = django_settings.DATABASES["default"]
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        env.update(
            DATABASE_URL=f"mysql://{db['USER']}@127.0.0.1:{db_port}/{db['NAME']}",
            REDIS_URL=redis_url,
            DATABASE_READ_TIMEOUT=str(READ_TIMEOUT), DATABASE_WRITE_TIMEOUT=str(READ_TIMEOUT),
            DATABASE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT), DATABASE_STATEMENT_TIMEOUT="1",
            GUNICORN_BIND=f"127.0.0.1:{self.port}", GUNICORN_WORKERS="2", GUNICORN_TIMEOUT=str(GUNICORN_TIMEOUT),
            IP_RATE_LIMIT="0", LOG_LEVEL="WARNING", TINYBOOK_DEBUG="0", READ_EVENTS_INLINE="0",
            PROMETHEUS_MULTIPROC_DIR=tempfile.mkdtemp(prefix="tinybook-test-prometheus-"),
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "tinybook.wsgi:application"],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        wait_port(self.port, timeout=60)

    def call(self, method, path, *, token=None, body=None):
        """(seconds, HTTP status, JSON answer or None)."""
        headers = {"User-Agent": TEST_USER_AGENT, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method, headers=headers)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=GUNICORN_TIMEOUT + 15) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        except OSError:
            status, raw = None, b""  # no answer at all: the worker was killed
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = None
        return time.monotonic() - started, status, payload

    def stop(self):
        kill_group(self.proc)
        self.proc.stderr.close()


@pytest.fixture
def db_proxy():
    proxy = TcpProxy(django_settings.DATABASES["default"]["HOST"] or "127.0.0.1",
                     int(django_settings.DATABASES["default"]["PORT"] or 3306))
    yield proxy
    proxy.close()


@pytest.fixture
def redis_proxy():
    url = urlsplit(os.environ.get("REDIS_URL", ""))
    proxy = TcpProxy(url.hostname, url.port or 6379)
    yield proxy, f"redis://127.0.0.1:{proxy.port}{url.path or '/0'}"
    proxy.close()


def test_a_frozen_database_answers_code_5_in_bounded_time_and_cached_readers_are_served(transactional_db, db_proxy):
    reader = UserFactory()
    token = login_client(reader).access_token
    article = published_article()
    server = Server(db_port=db_proxy.port, redis_url=os.environ["REDIS_URL"])
    try:
        # Warm: each worker has a database connection; the article and its counts are cached.
        for _ in range(4):
            assert server.call("GET", f"/articles/pub/{article}", token=token)[2]["code"] == 0
            assert server.call("POST", "/articles/pub/list", body={"offset": 0, "limit": 5})[2]["code"] == 0

        db_proxy.freeze()

        calls = [("GET", f"/articles/pub/{article}", token, None),  # logged in, cached: served
                 ("GET", f"/articles/pub/{article}", None, None),  # anonymous, cached: served
                 ("POST", "/articles/pub/like", token, {"id": article, "like": True}),  # a write: code 5
                 ("POST", "/articles/pub/list", None, {"offset": 0, "limit": 5})]  # a database read: code 5
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda c: server.call(c[0], c[1], token=c[2], body=c[3]), calls * 2))
        for (method, path, _token, _body), (seconds, status, payload) in zip(calls * 2, answers, strict=True):
            assert seconds < BOUND, f"{method} {path} took {seconds:.1f}s"
            if path.startswith("/articles/pub/") and method == "GET":
                assert (status, payload["code"]) == (200, 0), payload
                assert payload["data"]["title"] == "A title"
                assert payload["data"]["liked"] is False
            else:
                assert status == 503 and payload["code"] == 5, (path, status, payload)

        db_proxy.thaw()
        seconds, status, payload = server.call("POST", "/articles/pub/list", body={"offset": 0, "limit": 5})
        assert (status, payload["code"]) == (200, 0), "the workers recover once the database answers"
    finally:
        server.stop()


def test_a_frozen_redis_never_hangs_a_request(transactional_db, redis_proxy):
    proxy, redis_url = redis_proxy
    reader = UserFactory()
    article = published_article()
    server = Server(db_port=int(django_settings.DATABASES["default"]["PORT"] or 3306), redis_url=redis_url)
    try:
        _, _, login = server.call("POST", "/users/login", body={"email": reader.email, "password": "Fake-Passw0rd!"})
        assert login["code"] == 0
        for _ in range(3):
            assert server.call("GET", f"/articles/pub/{article}")[2]["code"] == 0
            assert server.call("GET", "/ranking/hot")[1] == 200

        proxy.freeze()

        for method, path, body in [("GET", f"/articles/pub/{article}", None), ("GET", "/ranking/hot", None),
                                   ("GET", "/ranking/likes", None), ("POST", "/articles/pub/list", {"offset": 0, "limit": 5}),
                                   ("GET", "/users/profile", None), ("GET", "/readyz", None)]:
            seconds, status, payload = server.call(method, path, body=body)
            assert seconds < BOUND, f"{method} {path} took {seconds:.1f}s"
            assert status is not None and status < 500 or path == "/readyz", (path, status, payload)
    finally:
        proxy.thaw()
        server.stop()
