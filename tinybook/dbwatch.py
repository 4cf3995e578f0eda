"""The slow-query log: every query over ``SLOW_QUERY_MS`` is logged with its duration."""

import logging
import time

from django.conf import settings
from django.db.backends.signals import connection_created

logger = logging.getLogger("tinybook.slow_query")


def slow_query_logger(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        elapsed_ms = (time.perf_counter() - started) * 1000
        if elapsed_ms >= settings.SLOW_QUERY_MS:
            # The statement without its parameters: parameters can hold personal data.
            logger.warning("slow query %.1fms: %s", elapsed_ms, sql[:1000])


def _install(sender, connection, **kwargs):
    if slow_query_logger not in connection.execute_wrappers:
        connection.execute_wrappers.append(slow_query_logger)


def install():
    connection_created.connect(_install, dispatch_uid="tinybook.slow_query")
