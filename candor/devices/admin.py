"""The device log in the back office: read-only (it is a record of what happened), every
declared field masked, the IP revealed only with the permission and a reason, audited."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from candor.devices.models import DeviceEvent
from candor.privacy.admin_mixins import PrivacyAdminMixin, ReadOnlyMixin


@admin.register(DeviceEvent)
class DeviceEventAdmin(ReadOnlyMixin, PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "user_id", "event", "browser", "os", "ip_address", "at")
    list_filter = ("event",)
    search_fields = ("=id", "=user__id")
    search_help_text = _("Search by event or account number. Personal fields are not searchable.")
    date_hierarchy = "at"
    fields = (
        "user_id", "event", "at", "device_model", "os", "app_version", "language", "resolution",
        "carrier", "browser", "ip_address",
    )  # fmt: skip
    readonly_fields = ("user_id", "event", "at")
