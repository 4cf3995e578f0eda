from django.contrib import admin

from payments.models import Payment, PaymentEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Looked at, never edited: payments change only through notifications, the beat task and
    the relay (docs/rewards.md), and ``manage.py reconcile_rewards --fix`` repairs what is safe."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    fields = ("kind", "status", "attempts", "last_error", "ctime", "delivered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("out_trade_no", "biz", "biz_id", "amount", "status", "provider", "ctime", "paid_at")
    list_filter = ("status", "provider", "biz")
    search_fields = ("=out_trade_no", "=transaction_id", "=biz_id")
    ordering = ("-id",)
    # code_url is left out: whoever holds it can pay the order.
    exclude = ("code_url",)
    inlines = [PaymentEventInline]


@admin.register(PaymentEvent)
class PaymentEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "payment", "kind", "biz", "biz_id", "amount", "status", "attempts", "ctime", "delivered_at")
    list_filter = ("status", "kind", "biz")
    search_fields = ("=biz_id", "=payment__out_trade_no")
    ordering = ("-id",)
    raw_id_fields = ("payment",)
