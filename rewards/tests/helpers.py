from django.db.models import Sum
from django.test import Client

from accounts.models import Account, Credit
from payments.models import Payment
from rewards.models import Reward


def reward(client, article_id, amt=500):
    """POST /articles/pub/reward as ``client``; the envelope."""
    return client.post("/articles/pub/reward", {"id": article_id, "amt": amt}, format="json").json()


def detail(client, rid):
    return client.post("/reward/detail", {"rid": rid}, format="json").json()


def order_of(rid) -> Payment:
    return Payment.objects.get(biz="reward", biz_id=rid)


def balances() -> dict[str, int]:
    return dict(Account.objects.values_list("key", "balance"))


def ledger_holds() -> bool:
    """Every balance is the sum of its account's entries, and every credit sums to zero."""
    for account in Account.objects.all():
        if account.balance != (account.entries.aggregate(s=Sum("amount"))["s"] or 0):
            return False
    return all((c.entries.aggregate(s=Sum("amount"))["s"] or 0) == 0 for c in Credit.objects.all())


def nothing_stored() -> bool:
    return not (Reward.objects.exists() or Payment.objects.exists() or Credit.objects.exists())


def dev_pay(rid, action="pay"):
    """What the payer does on the dev provider's page (the codeURL): press Pay or Fail."""
    no = order_of(rid).out_trade_no
    assert Client().post(f"/pay/dev/{no}", {"action": action}).status_code == 302
