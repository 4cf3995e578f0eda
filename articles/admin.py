from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import services
from articles.models import Article, LiveArticle


class _ArticleAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "author", "status", "ctime", "utime")
    list_filter = ("status",)
    search_fields = ("=id", "title", "author__email", "author__nickname")
    raw_id_fields = ("author",)
    ordering = ("-id",)
    show_full_result_count = False  # COUNT(*) on a million rows on every page is not worth it
    actions = ["withdraw"]
    # Content is written only through the services, which sanitize it; an admin form
    # that saved raw HTML would bypass that, and a status edit would skip the caches.
    readonly_fields = ("id", "author", "title", "content", "abstract", "status", "ctime", "utime")

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Withdraw the selected articles"))
    def withdraw(self, request, queryset):
        done = 0
        for article_id, author_id in queryset.values_list("id", "author_id").iterator():
            services.article_withdraw(author_id=author_id, article_id=article_id)
            done += 1
        self.message_user(
            request,
            ngettext("%(n)d article withdrawn.", "%(n)d articles withdrawn.", done) % {"n": done},
            messages.SUCCESS,
        )


@admin.register(Article)
class ArticleAdmin(_ArticleAdmin):
    pass


@admin.register(LiveArticle)
class LiveArticleAdmin(_ArticleAdmin):
    list_display = ("id", "title", "author", "status", "published_at", "utime")
    readonly_fields = (*_ArticleAdmin.readonly_fields, "published_at")
    date_hierarchy = "published_at"
