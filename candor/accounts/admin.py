from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from candor.accounts.models import User
from candor.privacy.admin_mixins import PrivacyAdminMixin


@admin.register(User)
class UserAdmin(PrivacyAdminMixin, BaseUserAdmin):
    list_display = ("username", "nickname", "is_staff", "is_active", "date_joined")
    search_fields = ("username", "nickname")
    ordering = ("-date_joined",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Profile"), {"fields": ("nickname", "email", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
