"""Real threads on the real database: both counter rows locked in id order decide, not luck."""

import itertools

import pytest

from relations import services
from relations.models import Follow, FollowCounter
from relations.tests.helpers import people, person
from tinybook.tests.concurrency import (
    all_at_once,
    mariadb_only,  # noqa: F401 (autouse)
)

pytestmark = pytest.mark.django_db(transaction=True)






def _counts(user_id):
    row = FollowCounter.objects.get(user_id=user_id)
    return row.follower_cnt, row.followee_cnt


def test_twenty_followers_arriving_at_once_count_twenty():
    author = person()
    fans = people(20)
    all_at_once([lambda f=f: services.follow_set(follower_id=f.id, followee_id=author.id, follow=True)
                 for f in fans])
    assert _counts(author.id) == (20, 0)
    assert Follow.objects.filter(followee=author).count() == 20
    assert all(_counts(f.id) == (0, 1) for f in fans)


def test_the_same_follow_twelve_times_at_once_counts_one():
    author, fan = people(2)
    all_at_once([lambda: services.follow_set(follower_id=fan.id, followee_id=author.id, follow=True)] * 12)
    assert _counts(author.id) == (1, 0) and _counts(fan.id) == (0, 1)


def test_racing_toggles_leave_counts_equal_to_the_rows():
    author = person()
    fans = people(4)
    for f in fans[:2]:
        services.follow_set(follower_id=f.id, followee_id=author.id, follow=True)
    fns = [lambda f=f, on=on: services.follow_set(follower_id=f.id, followee_id=author.id, follow=on)
           for f, on in itertools.product(fans, (True, False, True, False, True))]
    all_at_once(fns)
    rows = Follow.objects.filter(followee=author).count()
    assert _counts(author.id)[0] == rows
    for f in fans:
        assert _counts(f.id)[1] == Follow.objects.filter(follower=f).count()


def test_mutual_follows_at_once_do_not_deadlock():
    users = people(5)
    pairs = [(a, b) for a in users for b in users if a != b]
    all_at_once([lambda a=a, b=b: services.follow_set(follower_id=a.id, followee_id=b.id, follow=True)
                 for a, b in pairs])
    for u in users:
        assert _counts(u.id) == (4, 4)
