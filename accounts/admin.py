from django.contrib import admin

from accounts.models import Account, Credit, Entry
from tinybook.readonly_admin import ReadOnlyAdmin, ReadOnlyInline

# The ledger is written only by accounts.services: read-only here.


class EntryInline(ReadOnlyInline):
    model = Entry
    fields = ("account", "amount", "ctime")


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("key", "kind", "owner", "balance", "utime")
    list_filter = ("kind",)
    search_fields = ("key",)
    raw_id_fields = ("owner",)


@admin.register(Credit)
class CreditAdmin(ReadOnlyAdmin):
    list_display = ("id", "biz", "biz_id", "amount", "ctime")
    list_filter = ("biz",)
    search_fields = ("=biz_id",)
    ordering = ("-id",)
    inlines = [EntryInline]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "credit", "account", "amount", "ctime")
    list_filter = ("account__kind",)
    search_fields = ("account__key", "=credit__biz_id")
    raw_id_fields = ("credit", "account")
    ordering = ("-id",)
