"""Reward reads: the payer's status, the author's rewards received and earnings."""

from dataclasses import dataclass

from django.conf import settings

from accounts import selectors as accounts
from articles.items import when
from payments import selectors as payments
from rewards.models import BIZ_REWARD, Reward
from tinybook.exceptions import NotFoundError
from users.names import display_name

# The statuses on the wire, exactly as webook's client compares them.
WIRE_STATUS = {
    Reward.Status.INIT: "RewardStatusInit",
    Reward.Status.PAYED: "RewardStatusPayed",
    Reward.Status.FAILED: "RewardStatusFailed",
}


def reward_status(*, payer_id: int, reward_id: int) -> str:
    """The wire status of one of my rewards; someone else's (or none) is NotFoundError."""
    status = Reward.objects.filter(id=reward_id, payer_id=payer_id).values_list("status", flat=True).first()
    if status is None:
        raise NotFoundError()
    return WIRE_STATUS[status]


def reward_code_url(*, payer_id: int, reward_id: int) -> str:
    """What the payer of an unpaid reward scans; NotFoundError otherwise."""
    if not Reward.objects.filter(id=reward_id, payer_id=payer_id, status=Reward.Status.INIT).exists():
        raise NotFoundError()
    payment = payments.payment_for(biz=BIZ_REWARD, biz_id=reward_id)
    if payment is None or not payment.code_url:
        raise NotFoundError()
    return payment.code_url


def _received_rows(author_id: int, offset: int, limit: int):
    return (Reward.objects.filter(author_id=author_id).select_related("payer")
            .only("id", "biz_id", "title", "amount", "status", "ctime", "payer__id", "payer__nickname")
            .order_by("-id")[offset : offset + limit])


def rewards_received(*, author_id: int, offset: int, limit: int) -> list[dict]:
    """``/rewards/received``: rewards to my articles, newest first, every status."""
    return [
        {
            "rid": r.id,
            "bizId": r.biz_id,
            "title": r.title,
            "amt": r.amount,
            # Names only: never anything from an email or a phone.
            "payer": {"id": r.payer_id, "name": display_name(r.payer_id, r.payer.nickname)},
            "status": WIRE_STATUS[r.status],
            "ctime": when(r.ctime),
        }
        for r in _received_rows(author_id, offset, limit)
    ]


def account_me(*, user_id: int) -> dict:
    """``/accounts/me``: my balance and all credited to me (fen), and the paid rewards I received."""
    summary = accounts.account_summary(user_id=user_id)
    count = Reward.objects.filter(author_id=user_id, status=Reward.Status.PAYED).count()
    return {"balance": summary.balance, "credited": summary.credited, "rewardCnt": count}


@dataclass(frozen=True)
class ReceivedRow:
    rid: int
    article_id: int
    title: str
    amount: int
    payer_id: int
    payer_name: str
    status: int  # Reward.Status
    status_label: str
    ctime: object


@dataclass(frozen=True)
class Earnings:
    balance: int
    credited: int
    reward_cnt: int
    recent: list[ReceivedRow]


def earnings(*, author_id: int) -> Earnings:
    """The dashboard's Earnings: my account and my latest rewards received (``UI_EARNINGS_ROWS``)."""
    me = account_me(user_id=author_id)
    rows = [
        ReceivedRow(rid=r.id, article_id=r.biz_id, title=r.title, amount=r.amount, payer_id=r.payer_id,
                    payer_name=display_name(r.payer_id, r.payer.nickname), status=r.status,
                    status_label=Reward.Status(r.status).label, ctime=r.ctime)
        for r in _received_rows(author_id, 0, settings.UI_EARNINGS_ROWS)
    ]
    return Earnings(balance=me["balance"], credited=me["credited"], reward_cnt=me["rewardCnt"], recent=rows)
