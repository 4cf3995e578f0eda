import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

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
