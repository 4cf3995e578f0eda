from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from search import services
from search.models import ArticleEntry, UserEntry


class _EntryAdmin(admin.ModelAdmin):
    """The index as stored (read-only); "reindex selected" rewrites entries from the truth."""

    kind = ""
    list_display = ("id", "title", "ts", "version")
    ordering = ("-id",)
    actions = ["reindex_selected"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Reindex selected (from the live articles and people; removes what is not live)"),
                  permissions=["view"])
    def reindex_selected(self, request, queryset):
        ids = list(queryset.values_list("id", flat=True))
        (services.articles_sync if self.kind == "article" else services.users_sync)(ids=ids)
        self.message_user(request, ngettext("%(n)d entry reindexed.", "%(n)d entries reindexed.", len(ids))
                          % {"n": len(ids)}, messages.SUCCESS)


@admin.register(ArticleEntry)
class ArticleEntryAdmin(_EntryAdmin):
    kind = "article"


@admin.register(UserEntry)
class UserEntryAdmin(_EntryAdmin):
    kind = "user"
