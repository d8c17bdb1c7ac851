"""Page views in the back office: read-only (a record of what was counted), every declared field
masked as for any personal data; the retention sweep, not staff, removes rows."""

from __future__ import annotations

from django.contrib import admin

from candor.cookies.models import PageView
from candor.privacy.admin_mixins import PrivacyAdminMixin, ReadOnlyMixin


@admin.register(PageView)
class PageViewAdmin(ReadOnlyMixin, PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "path", "referrer", "at")
    date_hierarchy = "at"
    fields = ("aid", "path", "referrer", "at")
