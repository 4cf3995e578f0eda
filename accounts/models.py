"""A double-entry ledger, generic by business (``biz``, ``biz_id``).

A ``Credit`` is one movement of money, recorded once per (biz, biz_id) — the unique index
decides, whatever the replays. Its ``Entry`` rows move the amount between accounts and sum to
zero: every credit to a user or to the platform has its balancing debit on the payment
channel's account (the money came in through WeChat Pay). ``Account.balance`` is the sum of the
account's entries, kept in the same transaction; ``reconcile_rewards`` checks it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    class Kind(models.TextChoices):
        USER = "user", _("user")
        PLATFORM = "platform", _("platform")
        CHANNEL = "channel", _("payment channel")

    # "user:42", "platform", "channel:wechat": one account per key.
    key = models.CharField(_("key"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    balance = models.BigIntegerField(_("balance (fen)"), default=0)
    ctime = models.DateTimeField(_("created"), auto_now_add=True)
    utime = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return self.key


class Credit(models.Model):
    biz = models.CharField(_("business"), max_length=32)
    biz_id = models.BigIntegerField(_("business id"))
    amount = models.BigIntegerField(_("amount (fen)"))
    ctime = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        constraints = [models.UniqueConstraint(fields=["biz", "biz_id"], name="uniq_credit_biz")]

    def __str__(self):
        return f"{self.biz}:{self.biz_id} {self.amount}"


class Entry(models.Model):
    """One line of a credit: positive is money in to the account, negative money out."""

    credit = models.ForeignKey(Credit, on_delete=models.PROTECT, related_name="entries", verbose_name=_("credit"))
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries",
                                verbose_name=_("account"))
    amount = models.BigIntegerField(_("amount (fen)"))
    ctime = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["account", "-id"], name="entry_account")]

    def __str__(self):
        return f"{self.account_id} {self.amount:+d}"
