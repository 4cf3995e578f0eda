import json
import logging

from django.conf import settings

from tinybook import kv
from users.models import User

logger = logging.getLogger(__name__)


def _profile_from_db(user_id: int) -> dict | None:
    user = User.objects.filter(pk=user_id).only("email", "phone", "nickname", "birthday", "about_me").first()
    if user is None:
        return None
    return {
        "Email": user.email or "",
        "Phone": user.phone or "",
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
