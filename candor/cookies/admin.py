"""Page views in the back office: read-only (a record of what was counted), every declared field
masked as for any personal data; the retention sweep, not staff, removes rows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from candor.cookies.models import PageView
from candor.privacy.admin_mixins import PrivacyAdminMixin


@admin.register(PageView)
class PageViewAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "path", "referrer", "at")
    date_hierarchy = "at"
    fields = ("aid", "path", "referrer", "at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
