"""The persistent database connection's health check (tinybook.backends.mysql, docs/performance.md).

Django runs ``close_old_connections`` when a request starts and when it ends; each test below
does the same around its queries, on the real MariaDB connection. Pings are counted by the
server (``Com_admin_commands``: a ping is one).
"""

import time

import MySQLdb
import pytest
from django.db import OperationalError, close_old_connections, connection

pytestmark = pytest.mark.skipif(connection.vendor != "mysql", reason="the MariaDB backend's health check")


def _request(sql="SELECT 1"):
    """One request's worth: the request starts, runs a query, ends."""
    close_old_connections()
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()
    finally:
        close_old_connections()


def _pings() -> int:
    """Pings this connection has had, read by a request of its own (after its own ping, if any)."""
    return int(_request("SHOW SESSION STATUS LIKE 'Com_admin_commands'")[1])


def _kill_from_outside(connection_id: int) -> None:
    """The server drops the connection (as a restart or wait_timeout would)."""
    params = connection.settings_dict
    other = MySQLdb.connect(host=params["HOST"] or "127.0.0.1", port=int(params["PORT"] or 3306),
                            user=params["USER"], password=params["PASSWORD"])
    try:
        other.cursor().execute(f"KILL CONNECTION {int(connection_id)}")
    finally:
        other.close()


def test_a_connection_in_use_is_not_pinged_before_every_request(transactional_db, settings):
    settings.DATABASE_HEALTH_CHECK_IDLE = 60
    _request()
    before = _pings()
    for _ in range(5):
        _request()
    assert _pings() == before

    settings.DATABASE_HEALTH_CHECK_IDLE = 0  # Django's own behaviour: a ping before each request
    before = _pings()
    for _ in range(5):
        _request()
    assert _pings() == before + 5 + 1  # the five requests, and the one that reads the count


def test_a_connection_dropped_while_idle_is_replaced_before_the_query(transactional_db, settings):
    settings.DATABASE_HEALTH_CHECK_IDLE = 0.2
    (first_id,) = _request("SELECT CONNECTION_ID()")
    _kill_from_outside(first_id)
    time.sleep(0.3)  # idle longer than the threshold: pinged, found dead, reconnected
    (second_id,) = _request("SELECT CONNECTION_ID()")
    assert second_id != first_id


def test_a_connection_dropped_within_the_busy_spell_fails_one_request_then_is_replaced(transactional_db, settings):
    settings.DATABASE_HEALTH_CHECK_IDLE = 60
    (first_id,) = _request("SELECT CONNECTION_ID()")
    _kill_from_outside(first_id)
    with pytest.raises(OperationalError):  # answered as a lost database: code 5, HTTP 503
        _request()
    (second_id,) = _request("SELECT CONNECTION_ID()")
    assert second_id != first_id
