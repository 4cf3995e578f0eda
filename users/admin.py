from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from users import services
from users.forms import AdminChangeForm, AdminCreationForm
from users.models import LoginSession, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminChangeForm
    add_form = AdminCreationForm
    ordering = ("-id",)
    list_display = ("id", "email", "phone", "nickname", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "phone", "nickname", "wechat_open_id")
    readonly_fields = ("date_joined", "last_login", "updated_at")
    fieldsets = (
        (None, {"fields": ("email", "phone", "password")}),
        (_("WeChat"), {"fields": ("wechat_open_id", "wechat_union_id")}),
        (_("Profile"), {"fields": ("nickname", "birthday", "about_me")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "updated_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    actions = ["deactivate"]

    @admin.action(description=_("Deactivate (their sessions end at once)"), permissions=["change"])
    def deactivate(self, request, queryset):
        # Saving a user with "active" unticked ends their sessions too (users.receivers).
        n = services.user_deactivate(user_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, ngettext("%(n)d user deactivated", "%(n)d users deactivated", n) % {"n": n},
                          messages.SUCCESS)


@admin.register(LoginSession)
class LoginSessionAdmin(admin.ModelAdmin):
    """Read-only: sessions are opened by logins and ended by logouts and deactivation."""

    list_display = ("ssid", "user", "created_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("ssid", "user__email")
    raw_id_fields = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
