from django.contrib import admin

from rewards.models import Reward
from tinybook.readonly_admin import ReadOnlyAdmin


@admin.register(Reward)
class RewardAdmin(ReadOnlyAdmin):
    """A reward changes only through its payment (the outbox) and reconcile_rewards --fix."""

    list_display = ("id", "biz", "biz_id", "title", "payer", "author", "amount", "status", "ctime")
    list_filter = ("status", "biz")
    search_fields = ("=id", "=biz_id", "title")
    raw_id_fields = ("payer", "author")
    ordering = ("-id",)
