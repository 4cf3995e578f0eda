from django.contrib import admin

from relations.models import Follow, FollowCounter
from tinybook.readonly_admin import ReadOnlyAdmin


@admin.register(FollowCounter)
class FollowCounterAdmin(ReadOnlyAdmin):
    """Read-only: counts change only through ``relations.services`` (follow, unfollow)."""

    list_display = ("user", "follower_cnt", "followee_cnt", "utime")
    search_fields = ("=user__id", "user__nickname")
    ordering = ("-follower_cnt",)
    raw_id_fields = ("user",)


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    """Read-only: a follow changed here would leave the counters behind; users follow and unfollow."""

    list_display = ("follower", "followee", "ctime")
    search_fields = ("=follower__id", "=followee__id")
    raw_id_fields = ("follower", "followee")
    date_hierarchy = "ctime"
