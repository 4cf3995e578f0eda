"""Ledger reads: my balance, and the checks reconciliation runs."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from accounts.models import Account, Credit, Entry
from accounts.services import user_account_key

_IDS_CHUNK = 1000


@dataclass(frozen=True)
class Summary:
    balance: int  # fen: the sum of my entries
    credited: int  # fen: everything ever credited to me


def account_summary(*, user_id: int) -> Summary:
    account = Account.objects.filter(key=user_account_key(user_id)).only("id", "balance").first()
    if account is None:
        return Summary(balance=0, credited=0)
    credited = Entry.objects.filter(account_id=account.id, amount__gt=0).aggregate(s=Sum("amount"))["s"] or 0
    return Summary(balance=account.balance, credited=credited)


@dataclass(frozen=True)
class CreditRecord:
    biz_id: int
    amount: int  # the credit's amount
    payee_id: int | None  # the user account credited, if any
    payee_amount: int
    balanced: bool  # its entries sum to zero


def credits_for(*, biz: str, biz_ids: Iterable[int]) -> dict[int, CreditRecord]:
    ids = list(dict.fromkeys(biz_ids))
    out: dict[int, CreditRecord] = {}
    for i in range(0, len(ids), _IDS_CHUNK):
        credits = {c.id: c for c in Credit.objects.filter(biz=biz, biz_id__in=ids[i : i + _IDS_CHUNK])}
        lines: dict[int, list[Entry]] = {cid: [] for cid in credits}
        for entry in Entry.objects.filter(credit_id__in=list(credits)).select_related("account").only(
                "credit_id", "amount", "account__kind", "account__owner_id"):
            lines[entry.credit_id].append(entry)
        for cid, credit in credits.items():
            users = [e for e in lines[cid] if e.account.kind == Account.Kind.USER]
            out[credit.biz_id] = CreditRecord(
                biz_id=credit.biz_id, amount=credit.amount,
                payee_id=users[0].account.owner_id if users else None,
                payee_amount=sum(e.amount for e in users),
                balanced=sum(e.amount for e in lines[cid]) == 0 and bool(lines[cid]),
            )
    return out


def credit_biz_ids(*, biz: str, after_id: int, limit: int) -> list[tuple[int, int]]:
    """``(credit id, biz_id)`` of ``biz`` with id > ``after_id``, in id order (batches)."""
    return list(Credit.objects.filter(biz=biz, id__gt=after_id).order_by("id").values_list("id", "biz_id")[:limit])


def accounts_out_of_balance() -> list[tuple[str, int, int]]:
    """``(key, balance, sum of entries)`` of every account whose balance is not the sum of its entries."""
    rows = Account.objects.annotate(total=Sum("entries__amount"), n=Count("entries")).values_list("key", "balance", "total")
    return [(key, balance, total or 0) for key, balance, total in rows if balance != (total or 0)]


def credits_unbalanced() -> list[tuple[str, int]]:
    """``(biz, biz_id)`` of credits whose entries do not sum to zero (or that have none)."""
    rows = Credit.objects.annotate(total=Sum("entries__amount"), n=Count("entries")).filter(
        Q(n=0) | ~Q(total=0)).values_list("biz", "biz_id")
    return list(rows)
