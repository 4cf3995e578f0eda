from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from users.forms import AdminChangeForm, AdminCreationForm
from users.models import User


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
