"""Start real processes: the settings refusal, check --deploy, and `make run`'s server."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(**overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TINYBOOK_", "PYTEST_"))}
    env.update(overrides)
    return env


def test_debug_off_refuses_the_default_secret_key():
    proc = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=_env(TINYBOOK_DEBUG="0"), capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode != 0
    assert "TINYBOOK_SECRET_KEY must be set" in proc.stderr


def test_check_deploy_is_clean_under_production_settings():
    production = {}
    for line in (ROOT / "deploy" / "production.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            production[name.strip()] = value.strip()
    # Keep this run's own services; take every security setting from the example.
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        production.pop(name, None)
        if name in os.environ:
            production[name] = os.environ[name]
    production["TINYBOOK_SECRET_KEY"] = "x" * 20 + "-fake-production-key-for-the-check-only-" + "y" * 20
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_env(**production), capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "no issues" in proc.stdout


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_make_run_server_answers_home(tmp_path):
    port = _free_port()
    env = _env(PORT=str(port), TINYBOOK_SQLITE_PATH=str(tmp_path / "run.sqlite3"), MEDIA_ROOT=str(tmp_path / "media"))
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    proc = subprocess.Popen(
        ["scripts/run-embedded.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        body = b""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
                    assert resp.status == 200
                    body = resp.read()
                    break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.stdout.read().decode())
                time.sleep(0.5)
        assert b"TinyBook" in body
        _a_reader_likes_comments_and_searches(f"http://127.0.0.1:{port}")
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)


def _call(base, method, path, body=None, token=None):
    headers = {"User-Agent": "make-run-check/1.0", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    with urllib.request.urlopen(urllib.request.Request(base + path, data=data, headers=headers, method=method),
                                timeout=10) as resp:
        raw = resp.read()
        return (raw.decode() if path == "/users/login" else json.loads(raw)), resp.headers  # webook: plain text


def _a_reader_likes_comments_and_searches(base):
    """The embedded profile's writes and reads (SQLite; CI's suite runs on MariaDB otherwise):
    the demo reader likes, unlikes and comments on an article, then reads the feed and searches."""
    _text, headers = _call(base, "POST", "/users/login", {"email": "demo@example.com", "password": "Demo-Passw0rd!"})
    token = headers["x-jwt-token"]
    assert token
    article = _call(base, "POST", "/articles/pub/list", {"offset": 0, "limit": 1})[0]["data"][0]
    # The demo data may have the reader like it already: start from "not liked".
    assert _call(base, "POST", "/articles/pub/like", {"id": article["id"], "like": False}, token)[0]["code"] == 0
    likes = _call(base, "GET", f"/articles/pub/{article['id']}", token=token)[0]["data"]["likeCnt"]
    for like, moved in ((True, 1), (True, 1), (False, 0)):
        assert _call(base, "POST", "/articles/pub/like", {"id": article["id"], "like": like}, token)[0]["code"] == 0
        detail = _call(base, "GET", f"/articles/pub/{article['id']}", token=token)[0]["data"]
        assert (detail["likeCnt"], detail["liked"]) == (likes + moved, like)
    assert _call(base, "POST", "/articles/pub/like", {"id": 2**40, "like": True}, token)[0]["code"] == 4
    posted = _call(base, "POST", "/comments/create",
                   {"biz": "article", "bizId": article["id"], "content": "Checked by make run's test"}, token)[0]
    assert posted["code"] == 0 and posted["data"]["user"]["name"] == "Demo", posted
    assert _call(base, "GET", "/feed?limit=5", token=token)[0]["code"] == 0
    word = article["title"].split()[0]
    found = _call(base, "GET", f"/search?q={urllib.parse.quote(word)}")[0]
    assert found["code"] == 0 and found["data"]["total"] >= 1, found
