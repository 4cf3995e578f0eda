"""The hot list: computed by one worker under a Redis lock, stored in Redis, removed from.

See docs/ranking.md for the score, the lock and the serving path.
"""

import heapq
import json
import logging
import os
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from articles import selectors as articles
from articles.items import article_item_to_store
from interactions import selectors as interactions
from ranking import copies, metrics
from ranking.lock import HeldLock
from tinybook import kv

logger = logging.getLogger(__name__)



class JobStopped(Exception):
    """The run must stop without storing: abandoned, yielded, or the lock was lost."""

    def __init__(self, outcome: str):
        super().__init__(outcome)
        self.outcome = outcome


# --- the computation ---------------------------------------------------------------------------

def hot_score(*, likes: int, hours: float) -> float:
    return (likes - 1) / (max(hours, 0.0) + 2) ** settings.HOT_GRAVITY


def hot_list_compute(*, now=None, checkpoint=None) -> list[dict]:
    """The top ``HOT_LIST_SIZE`` live articles of the window, best first.

    Walks the window in keyset batches of ``HOT_BATCH_SIZE`` and keeps only a min-heap of
    the best N: memory is O(batch + N) whatever the number of articles. The score is
    computed here and not in SQL because the likes live in another app's table, read
    through its selector. Ties: the newer article (larger id) first.
    ``checkpoint()`` is called between batches and may raise to stop the run.
    """
    now = now or timezone.now()
    size = settings.HOT_LIST_SIZE
    heap: list[tuple[float, int]] = []
    batches = articles.articles_live_published_since(
        since=now - timedelta(days=settings.HOT_WINDOW_DAYS), batch_size=settings.HOT_BATCH_SIZE
    )
    for batch in batches:
        likes = interactions.like_counts_many(biz_ids=[article_id for article_id, _ in batch])
        for article_id, published_at in batch:
            hours = (now - published_at).total_seconds() / 3600
            entry = (hot_score(likes=likes.get(article_id, 0), hours=hours), article_id)
            if len(heap) < size:
                heapq.heappush(heap, entry)
            elif entry > heap[0]:
                heapq.heapreplace(heap, entry)
        if checkpoint is not None:
            checkpoint()
    ranked = sorted(heap, reverse=True)
    ids = [article_id for _, article_id in ranked]
    # Re-read at the end: an article withdrawn during the walk is dropped here.
    records = articles.articles_live_by_ids(ids=ids)
    counts = interactions.counts_many(biz_ids=[i for i in ids if i in records])
    return [{**article_item_to_store(records[i], counts[i]), "score": score} for score, i in ranked if i in records]


# --- load awareness ----------------------------------------------------------------------------

def node_load() -> float:
    """1-minute load average per core."""
    return os.getloadavg()[0] / (os.cpu_count() or 1)


def _node_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _load_report(conn, load: float) -> None:
    now = time.time()
    conn.hset(kv.hot_load_key(), _node_id(), f"{load}:{now}")


def _all_nodes_busy(conn) -> bool:
    """Every node that reported within three intervals is above the threshold."""
    fresh_after = time.time() - 3 * settings.HOT_REFRESH_INTERVAL
    stale = []
    for node, raw in conn.hgetall(kv.hot_load_key()).items():
        load, _, at = raw.decode().partition(":")
        if float(at) < fresh_after:
            stale.append(node)
        elif float(load) <= settings.HOT_LOAD_THRESHOLD:
            return False
    if stale:
        conn.hdel(kv.hot_load_key(), *stale)
    return True


def _load_gate(conn) -> tuple[bool, bool]:
    """(may compute, threshold ignored). Only called with HOT_LOAD_AWARE."""
    load = node_load()
    _load_report(conn, load)
    if load <= settings.HOT_LOAD_THRESHOLD:
        return True, False
    if not _all_nodes_busy(conn):
        return False, False  # a quieter node takes it on its turn
    # Every node is busy: count the interval; after enough in a row, compute anyway once
    # so the list never goes stale for ever.
    streak = conn.incr(kv.hot_busy_streak_key())
    if streak >= settings.HOT_LOAD_BUSY_INTERVALS:
        conn.delete(kv.hot_busy_streak_key())
        return True, True
    return False, False


# --- the job -----------------------------------------------------------------------------------

def _store(conn, lock: HeldLock, items: list[dict]) -> None:
    """Write the list only while we still hold the lock (WATCH: fenced by the token).

    The generation is watched too and the ids re-checked against the database inside
    the transaction: a withdrawal that commits during the run bumps the generation
    (``hot_list_remove``), so the write either sees it in the database or is retried.
    """

    def write(pipe):
        if pipe.get(lock.key) != lock.token.encode():
            raise JobStopped("abandoned")
        live = articles.articles_live_ids(ids=[item["id"] for item in items])
        payload = json.dumps([item for item in items if item["id"] in live], separators=(",", ":"))
        pipe.multi()
        pipe.set(kv.hot_list_key(), payload)
        pipe.incr(kv.hot_generation_key())

    conn.transaction(write, lock.key, kv.hot_generation_key())


def hot_list_refresh(*, trigger: str = "beat") -> str:
    """Compute and store the hot list if this process wins the lock; returns the outcome.

    Outcomes: ``success``, ``skipped_locked`` (another worker holds the lock),
    ``skipped_busy`` (load-aware and this node is busy), ``abandoned`` (over
    ``HOT_JOB_TIMEOUT`` or the lock was lost), ``yielded`` (load rose while holding
    it), ``failed``. Each is counted in ``tinybook_hot_list_job_runs``.
    """
    conn = kv.client()
    load_aware = settings.HOT_LOAD_AWARE
    if load_aware:
        may, forced = _load_gate(conn)
        if not may:
            metrics.HOT_JOB_RUNS.labels("skipped_busy").inc()
            return "skipped_busy"
        load_aware = not forced

    started = time.monotonic()
    lock = HeldLock(
        key=kv.hot_lock_key(),
        ttl=settings.HOT_LOCK_TTL,
        deadline=started + settings.HOT_JOB_TIMEOUT,
        should_yield=(lambda: node_load() > settings.HOT_LOAD_THRESHOLD) if load_aware else None,
        conn=conn,
    )
    if not lock.acquire():
        metrics.HOT_JOB_RUNS.labels("skipped_locked").inc()
        logger.info("hot list: another worker holds the lock (%s)", trigger)
        return "skipped_locked"

    def checkpoint():
        if lock.stop_reason is not None:
            raise JobStopped("abandoned" if lock.stop_reason == "lost" else lock.stop_reason)
        if time.monotonic() >= lock.deadline:
            raise JobStopped("abandoned")

    outcome = "failed"
    lock.start_renewing()
    try:
        items = hot_list_compute(checkpoint=checkpoint)
        checkpoint()
        _store(conn, lock, items)
        outcome = "success"
    except JobStopped as stop:
        outcome = stop.outcome
        logger.warning("hot list: run %s after %.1f s (%s)", outcome, time.monotonic() - started, trigger)
    except Exception:
        logger.exception("hot list: run failed (%s)", trigger)
        raise
    finally:
        elapsed = time.monotonic() - started
        try:
            lock.release()
        except kv.REDIS_ERRORS:
            pass  # it expires within HOT_LOCK_TTL
        metrics.HOT_JOB_SECONDS.labels(outcome).observe(elapsed)
        metrics.HOT_JOB_RUNS.labels(outcome).inc()
        if outcome == "success":
            metrics.HOT_JOB_LAST_SUCCESS.set(time.time())
            if load_aware or settings.HOT_LOAD_AWARE:
                conn.delete(kv.hot_busy_streak_key())
            logger.info("hot list: stored %d items in %.2f s (%s)", len(items), elapsed, trigger)
    _local_forget()
    return outcome


# --- withdrawal ---------------------------------------------------------------------------------

def hot_list_remove(*, article_id: int) -> bool:
    """Drop one article from the stored list at once; True when it was there.

    Call it after the withdrawal committed. It always bumps the generation: every
    process drops its in-process copy on its next request, and a run storing at this
    moment retries and re-checks live status (see ``_store``). Optimistic (WATCH), so a
    concurrent store or removal is never overwritten.
    """
    conn = kv.client()
    removed = False

    def edit(pipe):
        nonlocal removed
        raw = pipe.get(kv.hot_list_key())
        items = json.loads(raw) if raw is not None else []
        kept = [item for item in items if item["id"] != article_id]
        removed = len(kept) != len(items)
        pipe.multi()
        if removed:
            pipe.set(kv.hot_list_key(), json.dumps(kept, separators=(",", ":")))
        pipe.incr(kv.hot_generation_key())

    conn.transaction(edit, kv.hot_list_key(), kv.hot_generation_key())
    _local_forget()
    return removed


def _local_forget() -> None:
    copies.forget()
