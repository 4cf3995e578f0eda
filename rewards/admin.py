from django.contrib import admin

from rewards.models import Reward


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    """Read-only: a reward changes only through its payment (the outbox) and reconcile_rewards --fix."""

    list_display = ("id", "biz", "biz_id", "title", "payer", "author", "amount", "status", "ctime")
    list_filter = ("status", "biz")
    search_fields = ("=id", "=biz_id", "title")
    raw_id_fields = ("payer", "author")
    ordering = ("-id",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
