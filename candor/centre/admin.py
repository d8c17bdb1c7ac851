"""Profile tags in the back office, for staff answering a contested decision (C003-21): masked
like every declared field (reveal needs the permission and a reason, and is audited) and
read-only — tags are derived from the member's own activity and deleted only by the member,
by withdrawing the consent, or by retention. Found by account number only."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from candor.centre.models import ProfileTag, ProfileTagSuppression
from candor.privacy.admin_mixins import PrivacyAdminMixin, ReadOnlyMixin


class _ReadOnly(ReadOnlyMixin, PrivacyAdminMixin, admin.ModelAdmin):
    search_fields = ("=user__id",)
    search_help_text = _("Search by account number. Personal fields are not searchable.")


@admin.register(ProfileTag)
class ProfileTagAdmin(_ReadOnly):
    list_display = ("id", "user_id", "category", "weight", "source", "derived_at")
    fields = ("user_id", "category", "weight", "source", "derived_at")
    readonly_fields = ("user_id",)


@admin.register(ProfileTagSuppression)
class ProfileTagSuppressionAdmin(_ReadOnly):
    list_display = ("id", "user_id", "category", "created_at")
    fields = ("user_id", "category", "created_at")
    readonly_fields = ("user_id",)
