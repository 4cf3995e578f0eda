"""Real threads against the real database, shared by every app's concurrency tests."""

import threading

import pytest
from django.db import connection


def run_at_once(fns) -> list[Exception]:
    """Run each function in its own thread, all released together; the errors they raised."""
    barrier = threading.Barrier(len(fns))
    errors = []

    def wrap(fn):
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # noqa: BLE001 — returned to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(fn,)) for fn in fns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def all_at_once(fns) -> None:
    """``run_at_once``, where none of them may fail."""
    assert run_at_once(fns) == []


@pytest.fixture(autouse=True)
def mariadb_only():
    """Imported into a test module: every test there needs concurrent writers.

    The embedded profile's in-memory SQLite test database refuses concurrent writers outright
    ("database table is locked"); these races are what the services profile (CI) runs."""
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need the services profile (MariaDB)")
