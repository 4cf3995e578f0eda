"""Signals other apps subscribe to instead of users importing them.

``user_profile_changed`` (``user_id``, ``nickname_changed``): after a profile edit or a
deactivation was written; search keeps its index of people (and of authors' names) in step.
Receivers must be quick; a failing receiver is logged and the change still stands.
"""

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

user_profile_changed = Signal()


def notify_profile_changed(*, user_id: int, nickname_changed: bool) -> None:
    for receiver, result in user_profile_changed.send_robust(sender=None, user_id=user_id,
                                                             nickname_changed=nickname_changed):
        if isinstance(result, Exception):
            logger.error("user signal receiver %r failed: %s", receiver, result,
                         exc_info=(type(result), result, result.__traceback__))
