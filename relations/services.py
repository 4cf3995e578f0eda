"""Follow and unfollow.

Concurrency model (as interactions' counters, docs/relations.md): both users' counter rows
exist before the follow transaction (created in their own short statement, the primary key
deciding races), and the transaction locks both rows first, in id order. So every change
touching a user's counts is serialised on that user's row, in one lock order (no deadlock
between A following B and B following A), and the counts equal the rows.
"""

import logging
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from relations import feed, metrics, selectors
from relations.models import Follow, FollowCounter
from tinybook import kv
from tinybook.exceptions import ApplicationError, NotFoundError

logger = logging.getLogger(__name__)


@contextmanager
def _counters_locked(a: int, b: int):
    """A transaction holding the locks of both users' counter rows (created first if missing)."""
    ids = sorted((a, b))
    while True:
        with transaction.atomic():
            locked = list(FollowCounter.objects.select_for_update().filter(user_id__in=ids)
                          .order_by("user_id").values_list("user_id", flat=True))
            if len(locked) == 2:
                yield
                return
        FollowCounter.objects.bulk_create([FollowCounter(user_id=u) for u in ids], ignore_conflicts=True)


def _counts_add(*, follower_id: int, followee_id: int, delta: int) -> None:
    def expr(field):
        return F(field) + delta if delta > 0 else Greatest(F(field) + delta, 0)

    FollowCounter.objects.filter(user_id=follower_id).update(followee_cnt=expr("followee_cnt"))
    FollowCounter.objects.filter(user_id=followee_id).update(follower_cnt=expr("follower_cnt"))


def _inbox_update(fn, **kwargs) -> None:
    """After the commit: the inbox is a cache, its failure never fails the follow (the read
    filters by who is followed, and a lost inbox is rebuilt)."""
    def run():
        try:
            fn(**kwargs)
        except kv.REDIS_ERRORS as exc:
            logger.warning("feed inbox not updated after a follow change: %s", type(exc).__name__)

    transaction.on_commit(run)


def follow_set(*, follower_id: int, followee_id: int, follow: bool) -> bool:
    """Follow or unfollow. Idempotent; returns True when the state changed.

    Following yourself, or a user who does not exist or is not active, is refused (code 4);
    unfollowing an inactive user is allowed.
    """
    if follower_id == followee_id:
        raise ApplicationError(_("you cannot follow yourself"))
    if follow:
        selectors.active_user(followee_id)
    elif not selectors.user_exists(followee_id):
        raise NotFoundError(_("user not found"))
    pair = Follow.objects.filter(follower_id=follower_id, followee_id=followee_id)
    with _counters_locked(follower_id, followee_id):
        if follow:
            if pair.exists():
                return False
            Follow.objects.create(follower_id=follower_id, followee_id=followee_id)
        elif not pair.delete()[0]:
            return False
        _counts_add(follower_id=follower_id, followee_id=followee_id, delta=1 if follow else -1)
        if follow:
            _inbox_update(feed.inbox_follow_added, user_id=follower_id, followee_id=followee_id)
        else:
            _inbox_update(feed.inbox_follow_removed, user_id=follower_id, followee_id=followee_id)
    metrics.FOLLOWS.labels(action="follow" if follow else "unfollow").inc()
    return True
