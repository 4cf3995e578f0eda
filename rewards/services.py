"""Rewards: a reader rewards a live article's author; the payment's outcome settles the reward.

``reward_create`` stores the reward and its payment order together, then creates the order with
the provider. ``reward_settle`` is what the payments outbox delivers (``rewards.receivers``): in one
transaction the reward becomes paid and the author is credited, once, whatever the redeliveries.
See docs/rewards.md.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts import services as accounts
from articles import selectors as articles
from payments import services as payments
from rewards import metrics
from rewards.models import BIZ_ARTICLE, BIZ_REWARD, Reward
from tinybook.exceptions import ApplicationError, NotFoundError

logger = logging.getLogger("rewards")
S = Reward.Status


@dataclass(frozen=True)
class RewardOrder:
    rid: int
    code_url: str  # what the payer scans


def reward_check_amount(amount: int) -> None:
    if not 1 <= amount <= settings.REWARD_MAX_FEN:
        raise ApplicationError(_("must be between 1 and %(n)d fen") % {"n": settings.REWARD_MAX_FEN}, field="amt",
                               label=pgettext_lazy("field", "amt"))


def reward_create(*, payer_id: int, article_id: int, amount: int, site_url: str) -> RewardOrder:
    """A reward of ``amount`` fen from ``payer_id`` to the author of live article ``article_id``.

    Refused (code 4, nothing stored): a missing, draft or withdrawn article, one's own article,
    an amount outside 1..REWARD_MAX_FEN, payments not available. ``site_url``: this site's root,
    where the development provider's payment page lives.
    """
    reward_check_amount(amount)
    payments.payments_check_available()
    article = articles.article_live_get(article_id=article_id)
    if not articles.article_is_live(article_id=article_id):  # money: the database decides, not a cache
        raise NotFoundError()
    if article.author_id == payer_id:
        raise ApplicationError(_("you cannot reward your own article"))
    with transaction.atomic():
        reward = Reward.objects.create(payer_id=payer_id, author_id=article.author_id, biz=BIZ_ARTICLE,
                                       biz_id=article.id, title=article.title[:255], amount=amount)
        payment_id = payments.payment_create(biz=BIZ_REWARD, biz_id=reward.id, amount=amount,
                                             description=_("TinyBook reward: %(title)s") % {"title": article.title})
    metrics.REWARDS_CREATED.inc()
    # After commit: a network call. When the provider cannot take the order, the payment fails,
    # the outbox fails the reward, and the caller gets code 5.
    code_url = payments.payment_prepay(payment_id=payment_id, site_url=site_url)
    return RewardOrder(rid=reward.id, code_url=code_url)


def reward_settle(*, reward_id: int, paid: bool, amount: int, channel: str) -> None:
    """The payment of ``reward_id`` was paid (or failed): the reward follows and, when paid, the
    author is credited — in one transaction, idempotent. ``amount`` is the payment order's."""
    with transaction.atomic():
        reward = Reward.objects.select_for_update().filter(id=reward_id).first()
        if reward is None:
            logger.error("payment event for reward #%s, which does not exist", reward_id)
            return
        if not paid:
            if reward.status == S.INIT:
                reward.status = S.FAILED
                reward.save(update_fields=["status", "utime"])
                metrics.REWARDS_SETTLED.labels("failed").inc()
            return
        if amount != reward.amount:
            # Cannot happen through our services (the order is made from the reward); never credit a
            # figure we did not agree to. reconcile_rewards reports it.
            logger.error("reward #%s: its payment's amount differs from the reward's; not credited", reward_id)
            return
        if reward.status != S.PAYED:
            reward.status = S.PAYED
            reward.save(update_fields=["status", "utime"])
            metrics.REWARDS_SETTLED.labels("paid").inc()
        accounts.account_credit(biz=BIZ_REWARD, biz_id=reward.id, amount=reward.amount, payee_id=reward.author_id,
                                channel=channel, platform_share=settings.REWARD_PLATFORM_SHARE)
