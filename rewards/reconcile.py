"""Reconciliation of rewards, payments and the ledger (``manage.py reconcile_rewards``).

Every disagreement is listed. The safe ones are fixed with ``fix=True``, through the same
service the outbox uses (``reward_settle``: idempotent, the credit once per reward by its unique
index), or by recomputing a balance from its entries (the entries are the truth). Nothing that
needs a person's judgement is touched: a paid reward whose payment is not paid, amounts that
differ, a credit to someone else, unbalanced entries, orphans.
"""

from dataclasses import dataclass, field

from django.conf import settings

from accounts import selectors as ledger
from accounts import services as accounts
from accounts.services import share_split
from payments import selectors as payments
from payments.models import Payment
from rewards import services
from rewards.models import BIZ_REWARD, Reward

S = Reward.Status

# kind: (what it means, whether --fix repairs it)
KINDS = {
    "payment_paid_reward_unpaid": ("paid payment, reward not paid", True),
    "reward_paid_no_credit": ("paid reward without ledger entries", True),
    "balance_differs": ("account balance differs from the sum of its entries", True),
    "reward_paid_payment_unpaid": ("paid reward whose payment is not paid", False),
    "credit_payment_unpaid": ("credit for a reward whose payment is not paid", False),
    "amount_differs": ("amounts differ", False),
    "credit_wrong_payee": ("credit to someone other than the author, or split wrongly", False),
    "credit_unbalanced": ("credit whose entries do not sum to zero", False),
    "reward_without_payment": ("reward without a payment", False),
    "orphan": ("payment or credit without a reward", False),
}


@dataclass
class Finding:
    kind: str
    subject: str  # e.g. "reward 12"
    detail: str = ""
    fixed: bool = False

    @property
    def fixable(self) -> bool:
        return KINDS[self.kind][1]

    def __str__(self):
        text = f"{KINDS[self.kind][0]}: {self.subject}"
        text += f" ({self.detail})" if self.detail else ""
        return text + (" — fixed" if self.fixed else "")


@dataclass
class Report:
    rewards: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def left(self) -> list[Finding]:
        return [f for f in self.findings if not f.fixed]


def _check_reward(reward: Reward, payment, credit) -> list[Finding]:
    found: list[Finding] = []
    subject = f"reward {reward.id}"
    if payment is None:
        return [Finding("reward_without_payment", subject)]
    if payment.amount != reward.amount:
        found.append(Finding("amount_differs", subject, f"reward {reward.amount}, payment {payment.amount}"))
    if credit is not None and credit.amount != reward.amount:
        found.append(Finding("amount_differs", subject, f"reward {reward.amount}, credit {credit.amount}"))
    if credit is not None:
        payee, _platform = share_split(amount=credit.amount, share=settings.REWARD_PLATFORM_SHARE)
        if not credit.balanced:
            found.append(Finding("credit_unbalanced", subject))
        elif credit.amount == reward.amount and payee and (
                credit.payee_id != reward.author_id or credit.payee_amount != payee):
            found.append(Finding("credit_wrong_payee", subject))
        if payment.status != Payment.Status.PAID:
            found.append(Finding("credit_payment_unpaid", subject, f"payment {payment.out_trade_no}"))
    paid = payment.status == Payment.Status.PAID
    if paid and reward.status != S.PAYED:
        found.append(Finding("payment_paid_reward_unpaid", subject, f"payment {payment.out_trade_no}"))
    elif reward.status == S.PAYED and not paid:
        found.append(Finding("reward_paid_payment_unpaid", subject, f"payment {payment.out_trade_no}"))
    elif reward.status == S.PAYED and credit is None:
        found.append(Finding("reward_paid_no_credit", subject))
    return found


def _fix(finding: Finding, reward: Reward, payment) -> None:
    """The reward follows its paid payment and the author is credited: what the outbox would do."""
    services.reward_settle(reward_id=reward.id, paid=True, amount=payment.amount, channel=payment.provider)
    finding.fixed = True


def _orphans(model_ids: list[tuple[int, int]], what: str) -> list[Finding]:
    biz_ids = [biz_id for _id, biz_id in model_ids]
    known = set(Reward.objects.filter(id__in=biz_ids).values_list("id", flat=True))
    return [Finding("orphan", f"{what} for reward {biz_id}") for biz_id in biz_ids if biz_id not in known]


def reconcile(*, fix: bool = False, batch_size: int | None = None) -> Report:
    batch = batch_size or settings.REWARD_RECONCILE_BATCH
    report = Report()
    after = 0
    while True:
        rewards = list(Reward.objects.filter(id__gt=after).order_by("id")[:batch])
        if not rewards:
            break
        after = rewards[-1].id
        ids = [r.id for r in rewards]
        orders = payments.payments_for(biz=BIZ_REWARD, biz_ids=ids)
        credits = ledger.credits_for(biz=BIZ_REWARD, biz_ids=ids)
        for reward in rewards:
            found = _check_reward(reward, orders.get(reward.id), credits.get(reward.id))
            amounts_agree = not any(f.kind == "amount_differs" for f in found)
            for finding in found:
                if fix and finding.fixable and amounts_agree:
                    _fix(finding, reward, orders[reward.id])
            report.findings += found
        report.rewards += len(rewards)
    for lister, what in ((payments.payments_paid_biz_ids, "paid payment"), (ledger.credit_biz_ids, "credit")):
        after = 0
        while rows := lister(biz=BIZ_REWARD, after_id=after, limit=batch):
            report.findings += _orphans(rows, what)
            after = rows[-1][0]
    for key, balance, total in ledger.accounts_out_of_balance():
        finding = Finding("balance_differs", f"account {key}", f"balance {balance}, entries {total}")
        if fix:
            accounts.accounts_rebalance(keys=[key])
            finding.fixed = True
        report.findings.append(finding)
    return report
