"""Read-only back office view of codes: when, what for, whether used. Never the hashes."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candor.privacy.admin_mixins import PrivacyAdminMixin, ReadOnlyMixin
from candor.verification.models import VerificationCode


@admin.register(VerificationCode)
class VerificationCodeAdmin(ReadOnlyMixin, PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "purpose", "account_id", "created_at", "state", "attempts")
    list_filter = ("purpose",)
    # The keyed hashes (of the number, the address and the code) are not shown at all: they
    # tell staff nothing and are exactly what an offline guess would be checked against.
    fields = (
        "channel",
        "purpose",
        "account_id",
        "created_at",
        "expires_at",
        "consumed_at",
        "attempts",
        "receipt",
    )
    readonly_fields = fields

    @admin.display(description=_("state"))
    def state(self, obj: VerificationCode) -> str:
        if obj.consumed_at:
            return str(_("used"))
        if obj.expires_at <= timezone.now():
            return str(_("expired"))
        return str(_("waiting"))
