from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sms.models import AsyncSms, OutboxMessage
from sms.queue import async_mark_failed, async_requeue


@admin.register(AsyncSms)
class AsyncSmsAdmin(admin.ModelAdmin):
    list_display = ("id", "tpl_id", "status", "attempts", "max_attempts", "next_attempt_at", "provider",
                    "short_error", "created_at")
    list_filter = ("status", "tpl_id", "provider")
    search_fields = ("tpl_id", "last_error")
    ordering = ("-id",)
    # Args may hold login codes: shown to operators in the row page only, never editable.
    readonly_fields = [f.name for f in AsyncSms._meta.fields]
    actions = ["retry_now", "mark_failed"]

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:80]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry now"))
    def retry_now(self, request, queryset):
        n = async_requeue(ids=list(queryset.values_list("id", flat=True)),
                          statuses=(AsyncSms.Status.PENDING, AsyncSms.Status.FAILED))
        self.message_user(request, ngettext("%d message queued for retry.", "%d messages queued for retry.", n) % n,
                          messages.SUCCESS)

    @admin.action(description=_("Mark failed"))
    def mark_failed(self, request, queryset):
        n = async_mark_failed(ids=list(queryset.values_list("id", flat=True)))
        self.message_user(request, ngettext("%d message marked failed.", "%d messages marked failed.", n) % n,
                          messages.SUCCESS)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "phone", "tpl_id", "text")
    readonly_fields = ("created_at", "phone", "tpl_id", "text")
    ordering = ("-id",)

    def has_add_permission(self, request):
        return False
