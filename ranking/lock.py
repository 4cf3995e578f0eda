"""A Redis lock with a token, renewed by a thread while its holder works.

Hand-written rather than redis-py's ``Lock`` because the hot-list store must be fenced
by the token (``WATCH`` the lock, compare, write) and the renewal thread also enforces
the job deadline and the load-aware give-up; redis-py's lock exposes neither.
"""

import secrets
import threading
import time

from tinybook import kv

_renew = kv.Script("lock_renew")
_release = kv.Script("lease_release")  # compare-and-delete


class HeldLock:
    """Acquired with SET NX PX; ``renewing()`` keeps it alive from a background thread.

    The thread stops renewing (and the lock then expires within its TTL) when the
    deadline passes, when ``should_yield()`` says so, or when the lock was lost. The
    holder polls ``stop_reason`` between batches and stops.
    """

    def __init__(self, *, key: str, ttl: float, deadline: float, should_yield=None, conn=None):
        self.key = key
        self.ttl_ms = int(ttl * 1000)
        self.deadline = deadline  # time.monotonic() value
        self.should_yield = should_yield
        self.conn = conn or kv.client()
        self.token = secrets.token_hex(16)
        self.stop_reason: str | None = None
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def acquire(self) -> bool:
        return bool(self.conn.set(self.key, self.token, nx=True, px=self.ttl_ms))

    def release(self) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()
        _release(keys=[self.key], args=[self.token], conn=self.conn)

    def still_held(self) -> bool:
        return self.conn.get(self.key) == self.token.encode()

    def start_renewing(self) -> None:
        self._thread = threading.Thread(target=self._renew_loop, name="hot-lock-renewal", daemon=True)
        self._thread.start()

    def _renew_loop(self) -> None:
        # A third of the lifetime: two renewals can fail (a slow Redis) before it expires.
        period = self.ttl_ms / 3000
        while not self._done.wait(period):
            if time.monotonic() >= self.deadline:
                self.stop_reason = "abandoned"
                return
            if self.should_yield is not None and self.should_yield():
                self.stop_reason = "yielded"
                return
            try:
                renewed = _renew(keys=[self.key], args=[self.token, self.ttl_ms], conn=self.conn)
            except kv.REDIS_ERRORS:
                continue  # the next period tries again; the TTL covers the gap
            if not renewed:
                self.stop_reason = "lost"
                return
