"""Follow reads: counts, lists, the author card. Other apps call ``follower_counts``,
``is_following`` and ``author_card``.

Names come from ``users.names.display_name``: the nickname, or a neutral name from the id.
Nothing derived from an email address or a phone number is ever part of an answer.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from articles import selectors as articles
from relations.models import Follow, FollowCounter
from tinybook.exceptions import NotFoundError
from users import selectors as users
from users.names import display_name


def follower_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """Followers of each of ``user_ids`` (0 for a user nobody follows or who does not exist)."""
    ids = list(dict.fromkeys(user_ids))
    out = dict.fromkeys(ids, 0)
    for i in range(0, len(ids), 1000):
        out.update(FollowCounter.objects.filter(user_id__in=ids[i : i + 1000]).values_list("user_id", "follower_cnt"))
    return out


def follow_counts(user_id: int) -> tuple[int, int]:
    """``(follower_cnt, followee_cnt)`` of one user."""
    row = FollowCounter.objects.filter(user_id=user_id).values_list("follower_cnt", "followee_cnt").first()
    return row or (0, 0)


def is_following(*, follower_id: int | None, followee_id: int) -> bool:
    if not follower_id:
        return False
    return Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).exists()


def followed_among(*, follower_id: int | None, user_ids: Iterable[int]) -> set[int]:
    """Which of ``user_ids`` ``follower_id`` follows (none for an anonymous viewer)."""
    ids = list(dict.fromkeys(user_ids))
    if not follower_id or not ids:
        return set()
    return set(Follow.objects.filter(follower_id=follower_id, followee_id__in=ids).values_list("followee_id", flat=True))


def followee_ids(*, user_id: int) -> list[int]:
    return list(Follow.objects.filter(follower_id=user_id).values_list("followee_id", flat=True))


def active_user(user_id: int) -> users.PublicUser:
    """The user, if they exist and are active; NotFoundError otherwise."""
    user = users.public_users(ids=[user_id]).get(user_id)
    if user is None or not user.is_active:
        raise NotFoundError(_("user not found"))
    return user


@dataclass(frozen=True)
class Card:
    id: int
    name: str
    about_me: str
    article_cnt: int
    follower_cnt: int
    followee_cnt: int
    followed: bool

    def to_api(self) -> dict:
        return {"id": self.id, "name": self.name, "aboutMe": self.about_me, "articleCnt": self.article_cnt,
                "followerCnt": self.follower_cnt, "followeeCnt": self.followee_cnt, "followed": self.followed}


def author_card(*, user_id: int, viewer_id: int | None) -> Card:
    """An active user's public card; NotFoundError for a missing or inactive one."""
    user = active_user(user_id)
    followers, followees = follow_counts(user_id)
    return Card(
        id=user.id,
        name=display_name(user.id, user.nickname),
        about_me=user.about_me,
        article_cnt=articles.articles_live_count(author_id=user_id),
        follower_cnt=followers,
        followee_cnt=followees,
        followed=is_following(follower_id=viewer_id, followee_id=user_id),
    )


def _people(ids: list[int], viewer_id: int | None) -> list[dict]:
    found = users.public_users(ids=ids)
    followed = followed_among(follower_id=viewer_id, user_ids=ids)
    return [
        {"id": uid, "name": display_name(uid, found[uid].nickname), "aboutMe": found[uid].about_me,
         "followed": uid in followed}
        for uid in ids if uid in found
    ]


def followees_list(*, user_id: int, viewer_id: int | None, offset: int, limit: int) -> list[dict]:
    """Whom ``user_id`` follows, newest follow first: ``[{id, name, aboutMe, followed}]``."""
    ids = list(Follow.objects.filter(follower_id=user_id).order_by("-ctime", "-id")
               .values_list("followee_id", flat=True)[offset : offset + limit])
    return _people(ids, viewer_id)


def followers_list(*, user_id: int, viewer_id: int | None, offset: int, limit: int) -> list[dict]:
    """Who follows ``user_id``, newest follow first: ``[{id, name, aboutMe, followed}]``."""
    ids = list(Follow.objects.filter(followee_id=user_id).order_by("-ctime", "-id")
               .values_list("follower_id", flat=True)[offset : offset + limit])
    return _people(ids, viewer_id)


def user_exists(user_id: int) -> bool:
    return user_id in users.public_users(ids=[user_id])
