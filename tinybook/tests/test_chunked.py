"""A chunked request body is read or refused, never taken for an empty one (issue 22, item 15).

A real gunicorn (it de-chunks and marks the input as terminated) and raw HTTP requests.
"""

import http.client
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from conftest import TEST_USER_AGENT, login_client
from interactions.models import Collection
from tinybook.tests.faults import free_port, kill_group, wait_port

ROOT = Path(__file__).resolve().parents[2]

served = pytest.mark.skipif(connection.vendor != "mysql", reason="needs a database server shared by processes")


@pytest.fixture
def gunicorn(transactional_db):
    port = free_port()
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(DATABASE_URL=f"mysql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 3306}/{db['NAME']}",
               GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1", IP_RATE_LIMIT="0", LOG_LEVEL="WARNING",
               API_MAX_BODY_BYTES="4096", PROMETHEUS_MULTIPROC_DIR=tempfile.mkdtemp(prefix="tinybook-test-prom-"))
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "tinybook.wsgi:application"],
                            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, timeout=60)
    yield port
    kill_group(proc)


def _chunked_post(port, path, body: bytes, token):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("POST", path)
    for name, value in [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked"),
                        ("User-Agent", TEST_USER_AGENT), ("Authorization", f"Bearer {token}")]:
        conn.putheader(name, value)
    conn.endheaders()
    for start in range(0, len(body), 7):  # several chunks
        piece = body[start:start + 7]
        conn.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
    conn.send(b"0\r\n\r\n")
    resp = conn.getresponse()
    return resp.status, json.loads(resp.read())


@pytest.mark.slow
@served
def test_a_chunked_body_is_read(gunicorn, user):
    token = login_client(user).access_token
    status, answer = _chunked_post(gunicorn, "/collections/create", json.dumps({"name": "chunked"}).encode(), token)
    assert (status, answer["code"]) == (200, 0), answer
    assert list(Collection.objects.filter(owner=user).values_list("name", flat=True)) == ["chunked"]


@pytest.mark.slow
@served
def test_a_chunked_body_over_the_limit_is_refused_with_code_4(gunicorn, user):
    token = login_client(user).access_token
    status, answer = _chunked_post(gunicorn, "/collections/create",
                                   json.dumps({"name": "big", "pad": "x" * 5000}).encode(), token)
    assert (status, answer["code"]) == (200, 4)
    assert not Collection.objects.exists()


def test_a_server_that_cannot_delimit_the_body_gets_a_refusal_not_an_empty_body():
    from tinybook.wsgi import application

    answers = []
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/users/edit", "HTTP_TRANSFER_ENCODING": "chunked",
               "wsgi.input": __import__("io").BytesIO(b'{"nickname": "x"}'), "SERVER_NAME": "testserver",
               "SERVER_PORT": "80", "wsgi.url_scheme": "http", "CONTENT_TYPE": "application/json"}
    body = b"".join(application(environ, lambda status, headers: answers.append(status)))
    assert answers == ["200 OK"]
    assert json.loads(body)["code"] == 4
