from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """The console provider's dev outbox: the last ``SMS_CONSOLE_OUTBOX_SIZE`` messages.

    It lives in the database, not in Redis, so ``manage.py sms_outbox`` in another
    process sees what the server sent (the embedded profile's Redis is per process).
    """

    phone = models.CharField(_("phone"), max_length=32)
    text = models.TextField(_("text"))
    tpl_id = models.CharField(_("template"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self):
        return f"{self.phone}: {self.tpl_id}"


class AsyncSms(models.Model):
    """A send deferred because providers were limited, down or failing; delivered by Celery."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    tpl_id = models.CharField(_("template"), max_length=64)
    args = models.JSONField(_("arguments"), default=list)
    numbers = models.JSONField(_("numbers"), default=list)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("max attempts"))
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True, default="")
    provider = models.CharField(_("sent by"), max_length=32, blank=True, default="")
    # The lease: a claimed row belongs to one worker until lease_until; then anyone may re-claim it.
    lease_owner = models.CharField(_("lease owner"), max_length=64, blank=True, default="")
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The provider an attempt is in flight with, set just before the call: still set when the row
    # is claimed again means the last attempt's outcome is unknown (its worker died mid-call).
    in_flight_provider = models.CharField(_("in flight with"), max_length=32, blank=True, default="")
    in_flight_at = models.DateTimeField(_("in flight since"), null=True, blank=True)

    class Meta:
        verbose_name = _("queued SMS")
        verbose_name_plural = _("queued SMS")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="sms_async_due"),
            models.Index(fields=["status", "lease_until"], name="sms_async_lease"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.tpl_id} ({self.status})"

    @property
    def out_id(self) -> str:
        """Our client-side id of this message, the same on every attempt (Tencent SessionContext,
        Aliyun OutId)."""
        return f"tinybook-sms-{self.pk}"
