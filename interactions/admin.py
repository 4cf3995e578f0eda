from django.contrib import admin

from interactions.models import CollectedItem, Collection, Counter, Like, StreamCursor
from tinybook.readonly_admin import ReadOnlyAdmin


@admin.register(Counter)
class CounterAdmin(ReadOnlyAdmin):
    """Read-only: counts change only through the services (likes, collects, read events)."""

    list_display = ("biz", "biz_id", "read_cnt", "like_cnt", "collect_cnt", "utime")
    list_filter = ("biz",)
    search_fields = ("=biz_id",)
    ordering = ("-like_cnt",)


@admin.register(Like)
class LikeAdmin(admin.ModelAdmin):
    list_display = ("user", "biz", "biz_id", "status", "utime")
    list_filter = ("biz", "status")
    search_fields = ("=biz_id", "user__email")
    raw_id_fields = ("user",)
    readonly_fields = ("user", "biz", "biz_id", "status", "ctime", "utime")

    def has_add_permission(self, request):
        return False


class CollectedItemInline(admin.TabularInline):
    model = CollectedItem
    fields = ("biz", "biz_id", "utime")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "ctime")
    search_fields = ("name", "owner__email")
    raw_id_fields = ("owner",)
    inlines = [CollectedItemInline]


@admin.register(CollectedItem)
class CollectedItemAdmin(admin.ModelAdmin):
    list_display = ("user", "biz", "biz_id", "collection", "utime")
    list_filter = ("biz",)
    search_fields = ("=biz_id", "user__email")
    raw_id_fields = ("user", "collection")
    readonly_fields = ("user", "collection", "biz", "biz_id", "ctime", "utime")

    def has_add_permission(self, request):
        return False


@admin.register(StreamCursor)
class StreamCursorAdmin(admin.ModelAdmin):
    list_display = ("stream", "group", "last_ms", "last_seq", "owner", "utime")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
