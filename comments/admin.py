"""Comments in the admin: list, search, filter by article and by user, remove (through the
service, so counts, threads and the cache stay right)."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import services
from comments.models import Comment, CommentCounter
from tinybook.readonly_admin import ReadOnlyAdmin


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "short_content", "author", "article", "root_id", "reply_cnt", "deleted", "ctime")
    list_display_links = ("id", "short_content")
    list_filter = ("deleted", "biz")
    # "=12" finds comments on article 12 or by user 12 exactly; words search the text and nicknames.
    search_fields = ("=biz_id", "=user__id", "user__nickname", "user__email", "content")
    list_select_related = ("user",)
    readonly_fields = ("user", "biz", "biz_id", "root", "parent_id", "reply_to_user", "content", "deleted",
                       "reply_cnt", "ctime")
    actions = ["remove_comments"]
    ordering = ("-id",)
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("user__password")

    @admin.display(description=_("content"))
    def short_content(self, obj):
        return obj.content[:80] if not obj.deleted else "[deleted]"

    @admin.display(description=_("user"), ordering="user_id")
    def author(self, obj):
        # A link filtering the list by this user (Django escapes the name).
        return format_html('<a href="?user__id__exact={}">{}</a>', obj.user_id, obj.user)

    @admin.display(description=_("article"), ordering="biz_id")
    def article(self, obj):
        return format_html('<a href="?biz__exact={}&amp;biz_id={}">{} {}</a>', obj.biz, obj.biz_id, obj.biz, obj.biz_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Remove selected comments"), permissions=["delete"])
    def remove_comments(self, request, queryset):
        removed = sum(services.comment_delete(user_id=request.user.id, comment_id=pk, staff=True)
                      for pk in queryset.values_list("pk", flat=True))
        self.message_user(request, ngettext("%(n)d comment removed.", "%(n)d comments removed.", removed)
                          % {"n": removed}, messages.SUCCESS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # would skip the counts: "remove" goes through the service
        return actions

    def delete_model(self, request, obj):
        services.comment_delete(user_id=request.user.id, comment_id=obj.pk, staff=True)

    def delete_queryset(self, request, queryset):
        for pk in queryset.values_list("pk", flat=True):
            services.comment_delete(user_id=request.user.id, comment_id=pk, staff=True)


@admin.register(CommentCounter)
class CommentCounterAdmin(ReadOnlyAdmin):
    """Read-only: counts change only through the services."""

    list_display = ("biz", "biz_id", "cnt", "version", "utime")
    list_filter = ("biz",)
    search_fields = ("=biz_id",)
    ordering = ("-cnt",)
