"""Back office for identity checks and guardianships: every declared field masked (name,
ID number, guardian phone), reveal only with the permission and a stated reason (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from candor.identity.models import FaceVerification, Guardianship, RealNameVerification
from candor.privacy.admin_mixins import PrivacyAdminMixin


class _ReadOnly(PrivacyAdminMixin):
    """Verdicts come from the authority and guardians, never from a staff member's typing."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RealNameVerification)
class RealNameVerificationAdmin(_ReadOnly):
    list_display = ("id", "user", "name", "id_number", "status", "verified_at")
    list_filter = ("status",)
    search_fields = ("=id", "=user__id")
    fields = (
        "user",
        "name",
        "id_number",
        "status",
        "result_code",
        "authority_ref",
        "checked_at",
        "verified_at",
    )


@admin.register(FaceVerification)
class FaceVerificationAdmin(_ReadOnly):
    list_display = ("id", "user", "passed", "similarity", "at")
    list_filter = ("passed",)
    search_fields = ("=id", "=user__id")


@admin.register(Guardianship)
class GuardianshipAdmin(_ReadOnly):
    list_display = ("id", "child", "kind", "status", "guardian_phone", "created_at", "decided_at")
    list_filter = ("kind", "status")
    search_fields = ("=id", "=child__id")
