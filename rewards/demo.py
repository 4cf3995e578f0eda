"""Demo rewards for ``manage.py seed_demo`` (portal): paid rewards with their paid payments and
their credits, consistent with the ledger by construction (the credit goes through
``accounts.services``, so entries and balances are exactly what a real payment leaves)."""

import random

from django.conf import settings
from django.db import transaction

from accounts import services as accounts
from articles import selectors as articles
from payments.demo import demo_payment_paid
from rewards.models import BIZ_ARTICLE, BIZ_REWARD, Reward

_AMOUNTS = (100, 200, 500, 666, 888, 1000, 2000, 5000)  # fen


def demo_rewards_create(*, article_ids: list[int], user_ids: list[int], count: int, rng: random.Random,
                        favoured_author_id: int | None = None) -> int:
    """Up to ``count`` paid rewards to live articles, half of them (when it has any) to the
    favoured author's, so the demo login has earnings to show. Returns how many."""
    live = list(articles.articles_live_by_ids(ids=article_ids).values())
    if not live or len(user_ids) < 2:
        return 0
    favoured = [a for a in live if a.author_id == favoured_author_id]
    made = 0
    for n in range(count):
        article = rng.choice(favoured if favoured and n % 2 == 0 else live)
        payers = [u for u in user_ids if u != article.author_id]
        if not payers:
            continue
        amount = min(rng.choice(_AMOUNTS), settings.REWARD_MAX_FEN)
        with transaction.atomic():
            reward = Reward.objects.create(payer_id=rng.choice(payers), author_id=article.author_id, biz=BIZ_ARTICLE,
                                           biz_id=article.id, title=article.title[:255], amount=amount,
                                           status=Reward.Status.PAYED)
            channel = demo_payment_paid(biz=BIZ_REWARD, biz_id=reward.id, amount=amount,
                                        description=f"TinyBook reward: {article.title}")
            accounts.account_credit(biz=BIZ_REWARD, biz_id=reward.id, amount=amount, payee_id=article.author_id,
                                    channel=channel, platform_share=settings.REWARD_PLATFORM_SHARE)
        made += 1
    return made
