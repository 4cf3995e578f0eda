"""What rewards does on other apps' signals (wired in ``RewardsConfig.ready``)."""

from django.dispatch import receiver

from payments.signals import payment_settled
from rewards import services
from rewards.models import BIZ_REWARD


@receiver(payment_settled, dispatch_uid="rewards.payment-settled")
def settle_reward(sender, *, event, **kwargs):
    """A reward's payment was paid or failed. Raising makes the relay deliver the event again."""
    if event.biz == BIZ_REWARD:
        services.reward_settle(reward_id=event.biz_id, paid=event.paid, amount=event.amount, channel=event.provider)
