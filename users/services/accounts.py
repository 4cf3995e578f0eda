"""Accounts found by a unique identifier (phone, WeChat open id), created on first login."""

from django.db import IntegrityError, transaction

from users.models import User


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
