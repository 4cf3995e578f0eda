"""Accounts found by a unique identifier (phone, WeChat open id), created on first login."""

from django.db import IntegrityError, transaction

from users.models import User
from users.services.sessions import session_revoke_all
from users.signals import notify_profile_changed


def user_find_or_create(**lookup) -> User:
    """Find the user by a unique field or create it; the unique index decides races."""
    user = User.objects.filter(**lookup).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            user = User(**lookup)
            user.set_unusable_password()
            user.save()
            return user
    except IntegrityError:
        return User.objects.get(**lookup)


def user_deactivate(*, user_ids) -> int:
    """Deactivate accounts and end every session they have, at once. Returns how many changed.

    A ``save()`` of an inactive user ends its sessions too (``users.receivers``); this is the
    bulk path, which sends no model signal.
    """
    with transaction.atomic():
        changed = User.objects.filter(pk__in=list(user_ids), is_active=True).update(is_active=False)
        for user_id in user_ids:
            session_revoke_all(user_id=user_id)
    for user_id in user_ids:
        notify_profile_changed(user_id=user_id, nickname_changed=False)
    return changed
