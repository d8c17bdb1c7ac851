"""The staff second-factor devices in the back office: listed (name masked), never added or
edited here — a device is made on its owner's enrolment page, the only place its secret is
shown — and deleted only to reset a lost one, audited (``services.totp_device_remove``).

Registered before django-otp's own ``TOTPDeviceAdmin`` (this app comes first in
INSTALLED_APPS; django-otp skips its registration when the model is taken), whose search by
account name and QR-code link would show a personal value and the secret.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from candor.privacy.admin_mixins import ModelAdmin, PrivacyAdminMixin
from candor.staff import services


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(PrivacyAdminMixin, ModelAdmin):
    list_display = ("id", "user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("=user__id",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: TOTPDevice) -> None:
        services.totp_device_remove(actor_id=request.user.pk, device=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[TOTPDevice]) -> None:
        for device in queryset:
            services.totp_device_remove(actor_id=request.user.pk, device=device)
