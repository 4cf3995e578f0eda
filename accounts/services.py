"""Crediting: once per (biz, biz_id), double entry, balances kept with the entries.

Rounding: the platform's part is ``amount × share`` rounded down to the fen, and the payee
gets the rest, so the payee never loses a fraction to rounding and the parts always add up to
the amount (10 %: 1 fen → 1 + 0, 3 fen → 3 + 0, 999,999 fen → 900,000 + 99,999).
"""

from decimal import ROUND_FLOOR, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from accounts import metrics
from accounts.models import Account, Credit, Entry

PLATFORM_KEY = "platform"


def user_account_key(user_id: int) -> str:
    return f"user:{user_id}"


def channel_account_key(channel: str) -> str:
    return f"channel:{channel}"


def share_split(*, amount: int, share: Decimal) -> tuple[int, int]:
    """(payee's part, platform's part) of ``amount`` fen; ``share`` is the platform's fraction 0..1."""
    if not Decimal(0) <= share <= Decimal(1):
        raise ValueError("the platform share must be between 0 and 1")
    platform = int((Decimal(amount) * share).to_integral_value(rounding=ROUND_FLOOR))
    return amount - platform, platform


def _account(key: str, kind: str, owner_id: int | None = None) -> Account:
    # The unique key decides a race between two first credits; get_or_create then reads the winner's.
    return Account.objects.get_or_create(key=key, defaults={"kind": kind, "owner_id": owner_id})[0]


def account_credit(*, biz: str, biz_id: int, amount: int, payee_id: int, channel: str, platform_share: Decimal) -> bool:
    """Credit ``payee_id`` and the platform with ``amount`` fen that came in through ``channel``,
    once per (biz, biz_id): True when credited now, False when it already was.

    Runs inside the caller's transaction when there is one, so the caller's own change (the
    reward becoming paid) and the credit commit or roll back together.
    """
    if amount < 1:
        raise ValueError("a credit is at least 1 fen")
    payee_part, platform_part = share_split(amount=amount, share=platform_share)
    with transaction.atomic():
        # Every credit through a channel updates the channel's balance, so credits through one
        # channel run one at a time anyway. That row's lock is taken first, before the credit's
        # own insert: two replays of one (biz, biz_id) racing for the unique index could deadlock
        # (InnoDB: both take a shared lock on a delete-marked neighbour, then both wait to insert).
        source = _account(channel_account_key(channel), Account.Kind.CHANNEL)
        source = Account.objects.select_for_update().get(id=source.id)
        try:
            with transaction.atomic():  # a savepoint: the duplicate's error leaves the outer transaction usable
                credit = Credit.objects.create(biz=biz, biz_id=biz_id, amount=amount)
        except IntegrityError:
            return False
        lines = [
            (source, -amount),
            (_account(user_account_key(payee_id), Account.Kind.USER, payee_id), payee_part),
            (_account(PLATFORM_KEY, Account.Kind.PLATFORM), platform_part),
        ]
        lines = [(account, delta) for account, delta in lines if delta]
        # Balances first, in account-id order, so that two concurrent credits never wait on each
        # other in a cycle; the entries after them, because an entry's foreign-key check takes a
        # shared lock on its account row, and two credits holding it could not then update the row.
        for account, delta in sorted(lines, key=lambda line: line[0].id):
            Account.objects.filter(id=account.id).update(balance=F("balance") + delta)
        Entry.objects.bulk_create(Entry(credit=credit, account=account, amount=delta) for account, delta in lines)
    metrics.CREDITS.labels(biz).inc()
    metrics.CREDITED_FEN.labels(biz, "user").inc(payee_part)
    metrics.CREDITED_FEN.labels(biz, "platform").inc(platform_part)
    return True


def accounts_rebalance(*, keys=None) -> int:
    """Set each account's balance to the sum of its entries (the entries are the truth); returns how
    many accounts changed. ``keys``: only these accounts."""
    changed = 0
    accounts = Account.objects.all() if keys is None else Account.objects.filter(key__in=keys)
    for account in accounts.iterator():
        with transaction.atomic():
            locked = Account.objects.select_for_update().get(id=account.id)
            total = Entry.objects.filter(account_id=account.id).aggregate(s=Sum("amount"))["s"] or 0
            if locked.balance != total:
                Account.objects.filter(id=account.id).update(balance=total)
                changed += 1
    return changed
