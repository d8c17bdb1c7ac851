"""Data-export jobs in the back office, read-only: the privacy officer can see that a person's
copy was prepared, when, and whether it was fetched ("I never got my file") — never the file
or its link, which only the person's own session opens."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from candor.mydata.models import ExportJob
from candor.privacy.admin_mixins import PrivacyAdminMixin, ReadOnlyMixin


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyMixin, PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "user_id", "status", "progress", "requested_at", "finished_at", "expires_at")
    list_filter = ("status",)
    search_fields = ("=id", "=user__id")
    search_help_text = _("Search by job or account number.")
    fields = (
        "user_id", "status", "progress", "language", "size", "requested_at", "started_at", "finished_at",
        "expires_at", "downloaded_at",
    )  # fmt: skip
    readonly_fields = fields
