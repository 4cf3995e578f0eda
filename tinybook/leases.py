"""Claiming due rows of a work table under a lease: the SMS queue, the payment outbox.

The table has ``status``, ``next_attempt_at``, ``attempts``, ``lease_owner`` and ``lease_until``.
A row is *due* when it is waiting and its time has come, or when it is being worked on but its
lease ran out (the worker died or lost its broker message). A worker claims due rows —
``SELECT … FOR UPDATE SKIP LOCKED`` where the database has it, a conditional UPDATE on SQLite —
by writing its own lease owner and lease end and counting an attempt, and renews a row's lease
just before working on it, so a row whose lease ran out while it waited in a batch is left to
whoever re-claimed it.
"""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone


@dataclass(frozen=True)
class LeasedTable:
    model: type[models.Model]
    waiting: str  # the status of rows waiting for their time
    working: str  # the status of claimed rows
    lease_setting: str  # the name of the setting holding the lease, in seconds
    touched: tuple[str, ...] = ()  # datetime fields set to now by every claim and renewal
    order_by: tuple[str, ...] = ("id",)  # the order claimed rows are worked on
    related: tuple[str, ...] = ()  # select_related on claimed rows

    def _until(self, now):
        return now + timedelta(seconds=getattr(settings, self.lease_setting))

    def due(self, now) -> Q:
        return Q(status=self.waiting, next_attempt_at__lte=now) | Q(status=self.working, lease_until__lte=now)

    def _lease_fields(self, owner: str, now) -> dict:
        return {"status": self.working, "lease_owner": owner, "lease_until": self._until(now),
                "attempts": F("attempts") + 1, **dict.fromkeys(self.touched, now)}

    def due_ids(self, now, limit: int, *, lock: bool = False) -> list[int]:
        """Ids of due rows, oldest first: waiting rows, then rows whose lease ran out.

        Two queries, each an ordered range scan of its own index ((status, next_attempt_at),
        (status, lease_until)) that stops at ``limit``. One query with an OR would need a sort,
        and InnoDB locks every row it reads for the sort: the first worker would lock the whole
        backlog and every other worker, skipping locked rows, would see none.
        """
        def scan(qs):
            if lock:
                qs = qs.select_for_update(skip_locked=True)
            return list(qs.values_list("id", flat=True))

        rows = self.model.objects
        ids = scan(rows.filter(status=self.waiting, next_attempt_at__lte=now).order_by("status", "next_attempt_at")[:limit])
        if len(ids) < limit:
            ids += scan(rows.filter(status=self.working, lease_until__lte=now)
                        .order_by("status", "lease_until")[: limit - len(ids)])
        return ids

    def claim_due(self, *, owner: str, limit: int) -> models.QuerySet:
        """Claim up to ``limit`` due rows for ``owner``; the rows it got."""
        now = timezone.now()
        rows = self.model.objects
        if connection.features.has_select_for_update_skip_locked:
            with transaction.atomic():
                ids = self.due_ids(now, limit, lock=True)
                if ids:
                    rows.filter(id__in=ids).update(**self._lease_fields(owner, now))
        else:
            # SQLite: no SKIP LOCKED. The UPDATE re-checks "due" under SQLite's write lock,
            # so of two workers reading the same candidates only one writes its owner.
            ids = self.due_ids(now, limit)
            if ids:
                rows.filter(self.due(now), id__in=ids).update(**self._lease_fields(owner, now))
        if not ids:
            return rows.none()
        return self._rows().filter(id__in=ids, lease_owner=owner, status=self.working)

    def _rows(self) -> models.QuerySet:
        return self.model.objects.select_related(*self.related).order_by(*self.order_by)

    def claim_one(self, *, row_id: int, owner: str) -> bool:
        """Claim one row if it is due (a task that arrives early, late or twice does nothing)."""
        now = timezone.now()
        return bool(self.model.objects.filter(self.due(now), id=row_id).update(**self._lease_fields(owner, now)))

    def renew(self, *, row_id: int, owner: str) -> bool:
        """Extend ``owner``'s lease on a row it still holds; False when the lease ran out meanwhile."""
        now = timezone.now()
        return bool(self.model.objects.filter(id=row_id, lease_owner=owner, status=self.working, lease_until__gt=now)
                    .update(lease_until=self._until(now), **dict.fromkeys(self.touched, now)))

    def work_on(self, *, row_id: int, work: Callable):
        """Claim one row and ``work(row, owner)`` on it (a task for that row); None when it was not due."""
        owner = uuid.uuid4().hex
        if not self.claim_one(row_id=row_id, owner=owner):
            return None
        return work(self._rows().get(id=row_id), owner)

    def sweep(self, *, work: Callable, limit: int, budget: float, retries: int = 0, retry_delay: float = 0.0) -> int:
        """Claim due rows and ``work(row, owner)`` on each, batch after batch, until none is due or
        ``budget`` seconds are spent; returns how many were worked on.

        Due rows that could not be claimed may be inside another worker's claim for a few
        milliseconds (seen on MariaDB: SKIP LOCKED may then return nothing): with ``retries``, look
        again after ``retry_delay`` instead of leaving them to the next run.
        """
        deadline = time.monotonic() + budget
        handled = empty = 0
        while time.monotonic() < deadline:
            owner = uuid.uuid4().hex
            rows = list(self.claim_due(owner=owner, limit=limit))
            if not rows:
                empty += 1
                if empty > retries or not self.due_ids(timezone.now(), 1):
                    break
                time.sleep(retry_delay)
                continue
            empty = 0
            for row in rows:
                work(row, owner)
                handled += 1
        return handled
