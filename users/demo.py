"""Demo users for ``manage.py seed_demo`` (portal): the demo account and named readers.

Bulk inserts, on purpose: one bcrypt hash shared by every demo user, written in batches.
"""

import random

from django.contrib.auth.hashers import make_password

from users.models import User

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-Passw0rd!"  # noqa: S105 - an obviously fake password for a local demo account

_NAMES = ("Ada", "Bo", "Chen", "Dana", "Eli", "Fang", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lin", "Mia", "Noor")
_SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu")


def demo_users_create(*, count: int, rng: random.Random, batch_size: int, tick) -> int:
    """The demo account (when missing) and readers up to ``count`` new users; returns how many."""
    password = make_password(DEMO_PASSWORD)  # hashed once: bcrypt for every user would take minutes
    people = []
    if not User.objects.filter(email=DEMO_EMAIL).exists():
        people.append(User(email=DEMO_EMAIL, password=password, nickname="Demo"))
    start = User.objects.count()
    people += [
        User(email=f"reader{start + i}@example.com", password=password,
             nickname=f"{rng.choice(_NAMES)} {rng.choice(_SURNAMES)}")
        for i in range(max(0, count - len(people)))
    ]
    for i in range(0, len(people), batch_size):
        User.objects.bulk_create(people[i : i + batch_size])
        tick(len(people[i : i + batch_size]))
    return len(people)


def demo_user_ids() -> list[int]:
    return list(User.objects.order_by("id").values_list("id", flat=True))


def demo_needed() -> bool:
    """``--if-empty``: seed only a database with no user at all."""
    return not User.objects.exists()


def demo_account_id() -> int | None:
    return User.objects.filter(email=DEMO_EMAIL).values_list("id", flat=True).first()


def demo_account_exists() -> bool:
    return User.objects.filter(email=DEMO_EMAIL).exists()
