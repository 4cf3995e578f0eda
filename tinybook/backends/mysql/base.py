"""Django's MySQL/MariaDB backend, with its connection health check paid only after an idle spell.

With ``CONN_HEALTH_CHECKS`` Django pings a persistent connection before the first query of
every request: one more round trip for every request that reads or writes, a twentieth of a
like's time under load (docs/performance.md). The ping is there to find a connection the
server dropped while it sat unused (a restart, ``wait_timeout``). A connection that answered
less than ``DATABASE_HEALTH_CHECK_IDLE`` seconds ago is not pinged; one idle longer is, as
before. If the server went away in that short spell, the request's query fails and is
answered as any lost database is (code 5, HTTP 503, ``tinybook.exceptions``), and Django
drops the connection when the request ends (it saw the error), so the next request connects
afresh. ``DATABASE_HEALTH_CHECK_IDLE = 0`` restores Django's ping before every request.

Django has no setting for this; the subclass is the smallest hook it offers.
"""

import time

from django.conf import settings
from django.db.backends.mysql import base


class DatabaseWrapper(base.DatabaseWrapper):
    _used_at = float("-inf")  # monotonic time of the last cursor on an open connection

    def _cursor(self, name=None):
        cursor = super()._cursor(name)
        self._used_at = time.monotonic()
        return cursor

    def close_if_unusable_or_obsolete(self):
        super().close_if_unusable_or_obsolete()
        if (self.connection is not None and not self.health_check_done
                and time.monotonic() - self._used_at < settings.DATABASE_HEALTH_CHECK_IDLE):
            self.health_check_done = True  # it answered a moment ago: no ping before the next query
