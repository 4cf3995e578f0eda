"""This process's copies of the hot list: the validated one (``HOT_LOCAL_TTL``) and the last
good one, served when Redis cannot answer. Written by the selectors, dropped by the services
after every write of the list.

The copy is a plain module object, not Django's local-memory cache: that cache pickles on
every get, which for a hundred items cost more than the rest of the request.
"""

import threading
import time
from dataclasses import dataclass, field

from django.conf import settings


@dataclass
class Copy:
    generation: bytes | None
    items: list[dict]
    expires: float  # time.monotonic() after which the copy is not trusted without Redis
    bodies: dict[str, bytes] = field(default_factory=dict)  # encoded answers by language
    named: dict[str, list[dict]] = field(default_factory=dict)  # items named, by language


_lock = threading.Lock()
_copy: Copy | None = None  # the validated copy (HOT_LOCAL_TTL)
_last_good: Copy | None = None  # never expires: served when Redis cannot answer


def forget() -> None:
    """Drop this process's validated copy (the stale fallback stays)."""
    global _copy
    _copy = None


def current() -> Copy | None:
    """The validated copy, if any (its generation and age are the caller's to check)."""
    return _copy


def last_good() -> Copy | None:
    return _last_good


def remember(generation, items: list[dict]) -> Copy:
    global _copy, _last_good
    copy = Copy(generation, items, time.monotonic() + settings.HOT_LOCAL_TTL)
    with _lock:
        _copy = _last_good = copy
    return copy
