"""The profile: nickname, birthday, about-me; the cached copy is dropped on every edit."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from tinybook import kv
from tinybook.exceptions import ApplicationError
from users.models import User
from users.signals import notify_profile_changed

logger = logging.getLogger(__name__)

_UNSET = object()
_LINE_BREAKS = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def _birthday_parse(value: str) -> datetime.date | None:
    if value == "":
        return None
    msg = _("use the format YYYY-MM-DD, a real date, not in the future")
    if len(value) != 10:
        raise ApplicationError(msg, field="birthday", label=pgettext_lazy("field", "birthday"))
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(msg, field="birthday", label=pgettext_lazy("field", "birthday")) from None
    if day > timezone.localdate() or day.year < settings.PROFILE_BIRTHDAY_MIN_YEAR:
        raise ApplicationError(msg, field="birthday", label=pgettext_lazy("field", "birthday"))
    return day


def user_profile_update(*, user_id: int, nickname=_UNSET, birthday=_UNSET, about_me=_UNSET) -> None:
    """Change the given fields (omitted ones stay), then drop the cached profile.

    An empty nickname is an omitted one: webook-fe always sends every field, with "" for a user
    who has no nickname, and a form left blank means "keep it". Spaces alone are refused.
    """
    changes = {}
    if nickname is not _UNSET and nickname != "":
        nick = nickname.translate(_LINE_BREAKS).strip()  # one line, like an article title
        limit = settings.PROFILE_NICKNAME_MAX_LENGTH
        if not nick or len(nick) > limit:
            raise ApplicationError(_("1 to %(n)d characters") % {"n": limit}, field="nickname",
                                   label=pgettext_lazy("field", "nickname"))
        changes["nickname"] = nick
    if birthday is not _UNSET:
        changes["birthday"] = _birthday_parse(birthday)
    if about_me is not _UNSET:
        limit = settings.PROFILE_ABOUT_ME_MAX_LENGTH
        if len(about_me) > limit:
            raise ApplicationError(_("at most %(n)d characters") % {"n": limit}, field="aboutMe",
                                   label=pgettext_lazy("field", "aboutMe"))
        changes["about_me"] = about_me
    if changes:
        changes["updated_at"] = timezone.now()
        User.objects.filter(pk=user_id).update(**changes)
    profile_cache_drop(user_id=user_id)
    if "nickname" in changes or "about_me" in changes:
        notify_profile_changed(user_id=user_id, nickname_changed="nickname" in changes)


def profile_cache_drop(*, user_id: int) -> None:
    try:
        kv.client().delete(kv.user_profile_key(user_id))
    except kv.REDIS_ERRORS:
        logger.warning("profile cache not dropped for user %s (Redis)", user_id)
