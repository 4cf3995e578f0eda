"""Fault injection for process tests: a Redis server of our own, and a TCP proxy to freeze or cut.

Never the shared services: a test that restarts Redis starts its own ``redis-server`` on a
free port, and a test that freezes the database puts a ``TcpProxy`` between the application
and the shared MariaDB and freezes the proxy — the server itself is never touched.
"""

import os
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


class RedisServer:
    """A redis-server of this test's own, without persistence (like the shared one in CI)."""

    def __init__(self, tmp_path):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.dir = tmp_path
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_port(self.port)
        return self

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None

    def restart(self):
        """Killed and started again: without persistence every key is gone."""
        self.stop()
        return self.start()


class TcpProxy:
    """Forwards 127.0.0.1:<port> to ``target``; can freeze (connections stay open, nothing moves,
    like a server process that was stopped) or run a callback when a byte pattern goes through."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.frozen = threading.Event()
        self.closed = False
        self.sockets: list[socket.socket] = []
        self.trigger: tuple[bytes, callable] | None = None
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self):
        self.frozen.set()

    def thaw(self):
        self.frozen.clear()

    def on_pattern(self, pattern: bytes, callback):
        """Freeze the proxy and call ``callback`` when ``pattern`` goes from client to server
        (the bytes that carry it are held back)."""
        self.trigger = (pattern, callback)

    def close(self):
        self.closed = True
        for s in [self.listener, *self.sockets]:
            try:
                s.close()
            except OSError:
                pass

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            self.sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src, dst, to_server):
        while not self.closed:
            try:
                data = src.recv(65536)
            except OSError:
                break
            if not data:
                break
            if to_server and self.trigger and self.trigger[0] in data:
                _pattern, callback = self.trigger
                self.trigger = None
                self.freeze()
                callback()
            while self.frozen.is_set() and not self.closed:
                time.sleep(0.01)
            try:
                dst.sendall(data)
            except OSError:
                break
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def kill_group(proc, sig=signal.SIGKILL):
    """Kill a process started with ``start_new_session=True`` and everything it started."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
    proc.wait(timeout=30)


@pytest.fixture
def own_redis(settings, tmp_path):
    """The application's Redis is a redis-server of this test's own (``.restart()`` it freely)."""
    server = RedisServer(tmp_path).start()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": settings.REDIS_KEY_PREFIX,
            "OPTIONS": {"CONNECTION_POOL_KWARGS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}},
        },
    }
    yield server
    server.stop()
