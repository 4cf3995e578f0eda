import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

import phonenumbers
from django.conf import settings

from tinybook import kv
from users.models import User

logger = logging.getLogger(__name__)


def phone_as_typed(e164: str) -> str:
    """A stored E.164 number as its owner typed it: national digits for numbers of
    PHONE_DEFAULT_REGION ("13900021338"), E.164 for any other ("+14155550123")."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) != settings.PHONE_DEFAULT_REGION:
        return e164
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(c for c in national if c.isdigit())


def _profile_from_db(user_id: int) -> dict | None:
    user = User.objects.filter(pk=user_id).only("email", "phone", "nickname", "birthday", "about_me").first()
    if user is None:
        return None
    return {
        "Email": user.email or "",
        "Phone": phone_as_typed(user.phone) if user.phone else "",
        "Nickname": user.nickname or "",
        "Birthday": user.birthday.isoformat() if user.birthday else "",
        "AboutMe": user.about_me or "",
    }


def user_profile_get(*, user_id: int, cached: bytes | None = None) -> dict | None:
    """The webook profile object, from the Redis cache when it is there. A Redis failure
    falls back to the database: the cache never fails a request. ``cached``: the cache entry
    when the caller already read it (authentication prefetches it for /users/profile)."""
    key = kv.user_profile_key(user_id)
    if cached is None:
        try:
            cached = kv.client().get(key)
        except kv.REDIS_ERRORS:
            logger.warning("profile cache unavailable (Redis)")
            cached = None
    if cached:
        return json.loads(cached)
    profile = _profile_from_db(user_id)
    if profile is not None:
        try:
            kv.client().set(key, json.dumps(profile), ex=settings.PROFILE_CACHE_TTL)
        except kv.REDIS_ERRORS:
            pass
    return profile


@dataclass(frozen=True)
class PublicUser:
    """What other people may know of a user: no email, no phone. Name it with
    ``users.names.display_name(id, nickname)`` when answering."""

    id: int
    nickname: str
    about_me: str
    is_active: bool


def public_users(*, ids: Iterable[int]) -> dict[int, PublicUser]:
    """The users among ``ids`` that exist, by id (inactive ones included, marked)."""
    ids = list(dict.fromkeys(ids))
    out: dict[int, PublicUser] = {}
    for i in range(0, len(ids), 1000):
        rows = User.objects.filter(pk__in=ids[i : i + 1000]).values_list("pk", "nickname", "about_me", "is_active")
        out.update({pk: PublicUser(pk, nickname or "", about_me or "", active) for pk, nickname, about_me, active in rows})
    return out


def user_nickname_sql(user_id: int) -> tuple[str, list]:
    """``(sql, params)`` of a query yielding the user's nickname (one value; none when there
    is no such user), for another app to ask in its own statement's round trip."""
    from django.db import connection  # noqa: PLC0415

    qn, meta = connection.ops.quote_name, User._meta
    sql = (f"SELECT {qn(meta.get_field('nickname').column)} FROM {qn(meta.db_table)} "  # noqa: S608 (names from the model)
           f"WHERE {qn(meta.pk.column)} = %s")
    return sql, [user_id]


def user_is_staff(*, user_id: int) -> bool:
    """An active staff member (moderation rights); from the database, as the token does not say."""
    return User.objects.filter(pk=user_id, is_staff=True, is_active=True).exists()


# --- search (people) ----------------------------------------------------------------------------

@dataclass(frozen=True)
class SearchableUser:
    """What may be searched and shown of a person: never the email or the phone."""

    id: int
    nickname: str
    about_me: str
    date_joined: datetime
    updated_at: datetime


_SEARCHABLE_FIELDS = ("id", "nickname", "about_me", "date_joined", "updated_at")


def _searchable():
    # An active user with something to find: a nickname or an about-me.
    return User.objects.filter(is_active=True).exclude(nickname="", about_me="")


def _searchable_user(row: dict) -> SearchableUser:
    return SearchableUser(**row)


def users_searchable_by_ids(*, ids) -> dict[int, SearchableUser]:
    ids = list(dict.fromkeys(ids))
    out: dict[int, SearchableUser] = {}
    for i in range(0, len(ids), 1000):
        for row in _searchable().filter(pk__in=ids[i : i + 1000]).values(*_SEARCHABLE_FIELDS):
            out[row["id"]] = _searchable_user(row)
    return out


def users_searchable_count() -> int:
    return _searchable().count()


def users_searchable_batches(*, batch_size: int) -> Iterator[list[SearchableUser]]:
    """Every searchable user, by id, in batches (keyset pagination, bounded memory)."""
    after = 0
    while True:
        rows = list(_searchable().filter(pk__gt=after).order_by("id").values(*_SEARCHABLE_FIELDS)[:batch_size])
        if not rows:
            return
        yield [_searchable_user(r) for r in rows]
        if len(rows) < batch_size:
            return
        after = rows[-1]["id"]
