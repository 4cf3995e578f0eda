"""Rewards (webook's 打赏): a reader pays an article's author through a payment order.

A reward belongs to its payer; its status follows its payment, told by the payments outbox.
The article's title is kept as it was when rewarded (the author's earnings list still names a
withdrawn or renamed article). ``biz`` is "article", the only thing rewarded for now.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

BIZ_ARTICLE = "article"
# The payments and ledger business of a reward: Payment(biz="reward", biz_id=reward.id).
BIZ_REWARD = "reward"


class Reward(models.Model):
    class Status(models.IntegerChoices):
        # webook's numbers (RewardStatusInit = 1, Payed = 2, Failed = 3).
        INIT = 1, _("waiting for payment")
        PAYED = 2, _("paid")
        FAILED = 3, _("failed")

    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("payer"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    biz = models.CharField(_("business"), max_length=32, default=BIZ_ARTICLE)
    biz_id = models.BigIntegerField(_("article id"))
    title = models.CharField(_("title"), max_length=255)
    amount = models.BigIntegerField(_("amount (fen)"))
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices, default=Status.INIT)
    ctime = models.DateTimeField(_("created"), auto_now_add=True)
    utime = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        indexes = [
            models.Index(fields=["author", "-id"], name="reward_author_recent"),
            models.Index(fields=["payer", "-id"], name="reward_payer_recent"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.biz}:{self.biz_id} {self.amount} ({self.get_status_display()})"
