"""Payments, generic by business (``biz``, ``biz_id``), and their outbox.

A ``Payment`` is the order we create with the provider; its amount is ours and is the only
amount ever passed on. Its status changes together with a ``PaymentEvent`` row in one
transaction (the "local message table"); the relay (``payments.outbox``) delivers each event to
the apps above until they acknowledge it. No foreign keys to the business tables.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    class Status(models.TextChoices):
        UNPAID = "unpaid", _("unpaid")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")

    biz = models.CharField(_("business"), max_length=32)
    biz_id = models.BigIntegerField(_("business id"))
    # Ours, sent to the provider: 6-32 of [0-9A-Za-z_-|*] (WeChat Pay's rule).
    out_trade_no = models.CharField(_("order number"), max_length=32, unique=True)
    amount = models.BigIntegerField(_("amount (fen)"))
    description = models.CharField(_("description"), max_length=127)
    provider = models.CharField(_("provider"), max_length=16)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UNPAID)
    # What the payer scans (weixin://… for WeChat Pay, an http URL of our dev page for "dev").
    code_url = models.CharField(_("code URL"), max_length=512, blank=True, default="")
    transaction_id = models.CharField(_("provider's transaction id"), max_length=64, blank=True, default="")
    # The beat task asks the provider about an unpaid order when this time has come (a claim:
    # moving it forward by a conditional UPDATE makes the order this run's).
    next_check_at = models.DateTimeField(_("next check at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    ctime = models.DateTimeField(_("created"), auto_now_add=True)
    utime = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.UniqueConstraint(fields=["biz", "biz_id"], name="uniq_payment_biz")]
        indexes = [models.Index(fields=["status", "next_check_at"], name="payment_due_check")]

    def __str__(self):
        return f"{self.out_trade_no} ({self.status})"


class PaymentEvent(models.Model):
    """The outbox: one row per status change of a payment, written in the same transaction.

    A row is *due* when pending and its time has come, or when being relayed but its lease ran
    out (the relay died). It is delivered until acknowledged; attempts only count.
    """

    class Kind(models.TextChoices):
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RELAYING = "relaying", _("relaying")
        DELIVERED = "delivered", _("delivered")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="events",
                                verbose_name=_("payment"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # Copied from the payment when the event is written: what the receivers are told.
    biz = models.CharField(_("business"), max_length=32)
    biz_id = models.BigIntegerField(_("business id"))
    amount = models.BigIntegerField(_("amount (fen)"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    lease_owner = models.CharField(_("lease owner"), max_length=64, blank=True, default="")
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True, default="")
    ctime = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment event (outbox)")
        verbose_name_plural = _("payment events (outbox)")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="payment_event_due"),
            models.Index(fields=["status", "lease_until"], name="payment_event_lease"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.biz}:{self.biz_id} ({self.status})"
