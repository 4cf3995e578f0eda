from django.contrib import admin

from payments.models import Payment, PaymentEvent
from tinybook.readonly_admin import ReadOnlyAdmin, ReadOnlyInline

# Read-only: payments change only through notifications, the beat task and the relay
# (docs/rewards.md); `manage.py reconcile_rewards --fix` repairs what is safe.


class PaymentEventInline(ReadOnlyInline):
    model = PaymentEvent
    fields = ("kind", "status", "attempts", "last_error", "ctime", "delivered_at")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("out_trade_no", "biz", "biz_id", "amount", "status", "provider", "ctime", "paid_at")
    list_filter = ("status", "provider", "biz")
    search_fields = ("=out_trade_no", "=transaction_id", "=biz_id")
    ordering = ("-id",)
    exclude = ("code_url",)  # whoever holds it can pay the order
    inlines = [PaymentEventInline]


@admin.register(PaymentEvent)
class PaymentEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "payment", "kind", "biz", "biz_id", "amount", "status", "attempts", "ctime", "delivered_at")
    list_filter = ("status", "kind", "biz")
    search_fields = ("=biz_id", "=payment__out_trade_no")
    ordering = ("-id",)
    raw_id_fields = ("payment",)
