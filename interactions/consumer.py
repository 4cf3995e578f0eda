"""The read-event consumer: Redis stream → counters, exactly once; and each round, the like
counters follow the changed like records (``services.likes_apply``).

One consumer of a group applies at a time: it holds a lease in Redis (token + expiry,
READ_EVENTS_CLAIM_IDLE_MS) and writes its token into the group's ``StreamCursor`` row when
it takes over (fencing: a stale consumer's batch is refused by the database). Each batch is
one transaction that adds the aggregated counts and moves the cursor to the batch's last
id; entries at or below the cursor are acknowledged without counting. Only after the
commit is the batch acknowledged (XACK). A consumer that takes over first claims every
pending entry of the group (XAUTOCLAIM) and applies them, in id order, before reading new
ones, so the cursor only ever moves forward over applied entries.
"""

import logging
import os
import socket
import time
import uuid

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from interactions import metrics, services
from interactions.models import StreamCursor
from tinybook import kv, tracing

logger = logging.getLogger(__name__)

GROUP = "counters"

_lease_acquire = kv.Script("lease_acquire")
_lease_release = kv.Script("lease_release")
_batch_done = kv.Script("read_batch_done")


def _parse_id(entry_id) -> tuple[int, int]:
    if isinstance(entry_id, bytes):
        entry_id = entry_id.decode()
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


class FencedError(Exception):
    """Another consumer took over: this one must stop applying."""


class ReadConsumer:
    def __init__(self, *, name: str | None = None, stream: str | None = None, group: str = GROUP):
        self.stream = stream or kv.read_stream_key()
        self.group = group
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        self.token = f"{self.name}-{uuid.uuid4().hex[:8]}"
        self.lease_key = kv.read_consumer_lease_key(self.stream, self.group)
        self.conn = kv.client()
        self.stopping = False
        self.leader = False
        self.cursor_pk: int | None = None
        self.last: tuple[int, int] = (0, 0)
        self.renew_at = 0.0
        self.block_ms = max(1, int(settings.REDIS_SOCKET_TIMEOUT * 1000 * 0.6))
        self.pending_seen: int | None = None  # the group's pending count after the last read

    # --- setup and lease -------------------------------------------------------------------

    def ensure_group(self) -> None:
        try:
            self.conn.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except kv.REDIS_ERRORS as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def _lease(self) -> bool:
        return bool(_lease_acquire(keys=[self.lease_key], args=[self.token, settings.READ_EVENTS_CLAIM_IDLE_MS],
                                   conn=self.conn))

    def _take_over(self) -> None:
        StreamCursor.objects.get_or_create(stream=self.stream, group=self.group)
        StreamCursor.objects.filter(stream=self.stream, group=self.group).update(owner=self.token)
        # From here only this consumer writes the cursor (the owner column fences the others),
        # so its last applied id is kept in memory and written with each batch.
        cursor = StreamCursor.objects.get(stream=self.stream, group=self.group)
        self.cursor_pk, self.last = cursor.pk, (cursor.last_ms, cursor.last_seq)
        self.leader = True
        logger.info("read consumer %s took over %s/%s", self.name, self.stream, self.group)
        self._drain_pending()
        self._prune_consumers()

    def _prune_consumers(self) -> int:
        """Delete the group's dead consumers (each restarted process leaves its name behind).

        Only a consumer with nothing pending (deleting it loses nothing: every pending entry was
        just claimed by this leader) and idle past READ_EVENTS_CONSUMER_PRUNE_IDLE_MS — far
        longer than a lease — so a live one that lost the lease is not removed between its
        read and its claim. Returns how many were deleted.
        """
        pruned = 0
        for consumer in self.conn.xinfo_consumers(self.stream, self.group):
            name = _text(consumer["name"])
            if (name != self.name and consumer["pending"] == 0
                    and consumer["idle"] >= settings.READ_EVENTS_CONSUMER_PRUNE_IDLE_MS):
                # XGROUP DELCONSUMER answers the consumer's pending count: 0 unless it read just now.
                if self.conn.xgroup_delconsumer(self.stream, self.group, name):
                    logger.warning("read consumer %s had read entries as it was pruned", name)
                pruned += 1
        if pruned:
            logger.info("read consumer %s pruned %d dead consumers", self.name, pruned)
        return pruned

    def release(self) -> None:
        try:
            with tracing.quiet():
                _lease_release(keys=[self.lease_key], args=[self.token], conn=self.conn)
        except kv.REDIS_ERRORS:
            pass

    # --- batches -----------------------------------------------------------------------------

    def _drain_pending(self) -> int:
        """Claim every pending entry of the group (we hold the lease: their owner is gone) and
        apply them in id order. Returns how many were counted now."""
        # Each round claims from the start of the pending list: the previous round's entries
        # were acknowledged, so they are gone from it. (Not XAUTOCLAIM's own cursor: fakeredis,
        # the embedded profile's Redis, returns the last claimed id instead of the next one.)
        counted, previous = 0, None
        while True:
            entries = self.conn.xautoclaim(self.stream, self.group, self.name, min_idle_time=0, start_id="0-0",
                                           count=settings.READ_EVENTS_BATCH_SIZE)[1]
            if not entries or entries[0][0] == previous:
                return counted  # done, or the acknowledgement failed (logged): the next round retries
            previous = entries[0][0]
            counted += self.apply(entries)

    def _others_pending(self, own: int) -> bool:
        """More entries pending in the group than the ``own`` batch just read."""
        pending = self.pending_seen
        if pending is None:  # no read this round (stopping, or no time left)
            pending = self.conn.xpending(self.stream, self.group)["pending"]
        return pending > own

    def read_batch(self) -> list:
        """Up to READ_EVENTS_BATCH_SIZE new entries, waiting at most READ_EVENTS_BATCH_WAIT_MS."""
        size, batch = settings.READ_EVENTS_BATCH_SIZE, []
        self.pending_seen = None
        deadline = time.monotonic() + settings.READ_EVENTS_BATCH_WAIT_MS / 1000
        while len(batch) < size and not self.stopping:
            left_ms = int((deadline - time.monotonic()) * 1000)
            if left_ms <= 0:
                break
            # A blocking read must end before the client's socket timeout (REDIS_SOCKET_TIMEOUT)
            # would call an idle stream a dead Redis: wait in slices, up to the deadline. The
            # group's pending count rides along (see step), in the same round trip.
            pipe = self.conn.pipeline(transaction=False)
            pipe.xreadgroup(self.group, self.name, {self.stream: ">"}, count=size - len(batch),
                            block=min(left_ms, self.block_ms))
            pipe.xpending(self.stream, self.group)
            answer, pending = pipe.execute()
            self.pending_seen = pending["pending"]
            for _stream, entries in answer or []:
                batch.extend(entries)
        return batch

    def apply(self, entries: list) -> int:
        """Apply one batch (see ``_apply``) in a span that joins the trace of the read that sent
        its entries (each entry's ``tp``), or links to each when they came from several."""
        with tracing.consumer_span(
            "read_events apply", ((fields.get(b"tp") or fields.get("tp")) for _id, fields in entries),
            {"messaging.system": "redis", "messaging.destination.name": self.stream,
             "messaging.consumer.group.name": self.group, "messaging.batch.message_count": len(entries)},
        ) as span:
            counted = self._apply(entries)
            span.set_attribute("tinybook.read_events.counted", counted)
            return counted

    def _apply(self, entries: list) -> int:
        """Apply one batch exactly once; returns how many entries were counted now.

        One transaction: move the cursor (refused unless this consumer still owns it), add the
        aggregated counts. Then, in one Redis round trip (a script), the XACK and the counts
        cache. Runs
        outside any outer transaction (the acknowledgement must follow the commit).
        """
        entries = sorted(entries, key=lambda e: _parse_id(e[0]))
        counts: dict[tuple[str, int], int] = {}
        replayed: set[tuple[str, int]] = set()  # counted before: the cache may never have heard
        fresh = 0
        for entry_id, fields in entries:
            try:
                biz = _text(fields[b"biz"] if b"biz" in fields else fields["biz"])
                biz_id = int(_text(fields[b"id"] if b"id" in fields else fields["id"]))
            except (KeyError, ValueError):
                logger.warning("malformed read event %s skipped", entry_id)
                continue
            if _parse_id(entry_id) <= self.last:
                # Applied before: a replay after a crash (or a failed acknowledgement) between the
                # commit and the cache update. Not counted again; its cached counts are dropped so
                # the next reader loads the database's truth.
                replayed.add((biz, biz_id))
                continue
            fresh += 1
            counts[(biz, biz_id)] = counts.get((biz, biz_id), 0) + 1
        newest = _parse_id(entries[-1][0])
        if newest > self.last:
            with transaction.atomic():
                moved = StreamCursor.objects.filter(pk=self.cursor_pk, owner=self.token).update(
                    last_ms=newest[0], last_seq=newest[1])
                if not moved:
                    raise FencedError(self.name)
                services.reads_add(counts=counts)
            self.last = newest
        bump, drop = list(counts), sorted(replayed)
        try:
            _batch_done(
                keys=[self.stream, *(kv.counts_key(b, i) for b, i in bump), *(kv.counts_key(b, i) for b, i in drop)],
                args=[self.group, "read_cnt", len(entries), *(e[0] for e in entries),
                      len(bump), *(counts[k] for k in bump)],
                conn=self.conn,
            )
        except kv.REDIS_ERRORS as exc:
            # Counted and committed: unacknowledged entries are replayed, skipped by the cursor,
            # and their cached counts dropped then.
            logger.warning("read batch committed but not acknowledged: %s", exc)
        metrics.READ_CONSUMED.inc(fresh)
        return fresh

    # --- the loop ------------------------------------------------------------------------------

    def step(self) -> int:
        """One round: keep or take the lease, then read and apply one batch. Returns entries counted.

        A leader renews its lease once a third of its lifetime has passed, not every batch:
        a stale leader is stopped by the cursor's owner fence anyway.
        """
        if not self.leader or time.monotonic() >= self.renew_at:
            with tracing.quiet():  # polling: not a trace each round (docs/tracing.md)
                leased = self._lease()
            if not leased:
                self.leader = False
                time.sleep(settings.READ_EVENTS_BATCH_WAIT_MS / 1000)
                return 0
            self.renew_at = time.monotonic() + settings.READ_EVENTS_CLAIM_IDLE_MS / 3000
        if not self.leader:
            self._take_over()
        with tracing.quiet():
            batch = self.read_batch()
            others = self._others_pending(len(batch))
        # A consumer that lost the lease after this one took over may have read entries just
        # before it was fenced off: they wait in its pending list, below ids this batch could
        # move the cursor past. Apply every pending entry, in id order, before going on.
        if others:
            counted = self._drain_pending()
        else:
            counted = self.apply(batch) if batch else 0
        return counted + self.apply_likes()

    def apply_likes(self) -> int:
        """The like counters follow the like records: one transaction for up to
        LIKE_COUNTS_BATCH_SIZE changed records (``services.likes_apply``, exact by itself)."""
        applied = services.likes_apply(limit=settings.LIKE_COUNTS_BATCH_SIZE)
        if applied:
            metrics.LIKES_APPLIED.inc(applied)
        return applied

    def run(self, *, max_idle_rounds: int | None = None) -> None:
        idle, group_ready = 0, False
        try:
            while not self.stopping:
                try:
                    if not group_ready:
                        self.ensure_group()
                        group_ready = True
                    counted = self.step()
                except FencedError as exc:
                    logger.warning("read consumer %s fenced off by %s", self.name, exc)
                    self.leader = False
                    continue
                except (DatabaseError, *kv.REDIS_ERRORS) as exc:
                    # The database or Redis is away: nothing was acknowledged that was not
                    # committed, so retrying is safe. Take over again (reload the cursor, and
                    # recreate the group if Redis lost it) once they answer.
                    metrics.READ_CONSUME_FAILURES.inc()
                    logger.warning("read consumer %s: round failed (%s); retrying in %d ms", self.name,
                                   type(exc).__name__, settings.READ_EVENTS_RETRY_WAIT_MS)
                    self.leader, group_ready = False, False
                    connection.close()
                    time.sleep(settings.READ_EVENTS_RETRY_WAIT_MS / 1000)
                    continue
                idle = 0 if counted else idle + 1
                if max_idle_rounds is not None and idle >= max_idle_rounds:
                    return
        finally:
            self.release()


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
