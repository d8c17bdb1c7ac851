"""Addresses in the back office: masked for every staff member (reveal needs the permission and
a reason, and is audited), and read-only — staff change an address through the user's own
flows or a customer-service workflow with its identity check (C000-10), never by typing over
a masked value. Found by number only: a searchable personal field could be probed letter by
letter."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from candor.addresses.models import Address
from candor.privacy.admin_mixins import PrivacyAdminMixin, ReadOnlyMixin


@admin.register(Address)
class AddressAdmin(ReadOnlyMixin, PrivacyAdminMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "user_id",
        "recipient_name",
        "mobile",
        "province",
        "city",
        "is_default",
        "updated_at",
    )
    list_filter = ("is_default", "label")
    search_fields = ("=id", "=user__id")
    search_help_text = _("Search by address or account number. Personal fields are not searchable.")
    fieldsets = (
        (None, {"fields": ("user_id", "label", "is_default")}),
        (_("Recipient"), {"fields": ("recipient_name", "mobile", "landline")}),
        (_("Address"), {"fields": ("province", "city", "district", "detail", "postal_code")}),
        (_("Dates"), {"fields": ("created_at", "updated_at")}),
    )
    readonly_fields = ("user_id", "label", "is_default", "created_at", "updated_at")
