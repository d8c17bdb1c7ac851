"""The privacy officer's read-only views of the core's ledgers and keys.

Nothing here can be added, changed or deleted through the admin: the ledgers are append-only
by design (they are evidence), keys change only through ``crypto`` (shred, restrict, rotate,
each audited), and a wrapped key is never shown — the key table lists states and dates only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from candor.privacy import audit_verify, docfiles
from candor.privacy.admin_mixins import ModelAdmin, ReadOnlyMixin
from candor.privacy.models import (
    AuditEvent,
    ConsentRecord,
    DataKey,
    DisclosureRecord,
    ErasureRecord,
    PolicyVersion,
)


class ReadOnlyAdmin(ReadOnlyMixin, ModelAdmin):
    """The core's ledgers and keys: append-only or changed through ``crypto`` only."""


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "action", "actor_id", "subject_id", "target", "purpose")
    list_filter = ("action", "purpose")
    search_fields = ("=subject_id", "=actor_id", "target")
    date_hierarchy = "at"
    change_list_template = "privacy/admin/auditevent_changelist.html"

    def get_urls(self) -> list[Any]:
        urls = [
            path("verify/", self.admin_site.admin_view(self.verify_view), name="privacy_auditevent_verify"),
            path("datamap/", self.admin_site.admin_view(self.datamap_view), name="privacy_datamap"),
        ]
        return urls + super().get_urls()

    def verify_view(self, request: HttpRequest) -> HttpResponse:
        """The same check as ``candor audit verify``: the whole chain, the first damage named."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        result = audit_verify.verify()
        context = {**self.admin_site.each_context(request), "title": _("Audit log check"), "result": result}
        return TemplateResponse(request, "privacy/admin/audit_verify.html", context)

    def datamap_view(self, request: HttpRequest) -> HttpResponse:
        """The generated data map: every declaration as the core reads it (docs/privacy/datamap.md)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        text = docfiles.datamap_markdown(docfiles.candor_declarations())
        context = {**self.admin_site.each_context(request), "title": _("Data map"), "text": text}
        return TemplateResponse(request, "privacy/admin/datamap.html", context)


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ("id", "at", "subject_id", "purpose", "granted", "channel", "policy_version")
    list_filter = ("purpose", "granted", "channel")
    search_fields = ("=subject_id",)


@admin.register(DisclosureRecord)
class DisclosureRecordAdmin(ReadOnlyAdmin):
    list_display = ("id", "at", "recipient", "subject_id", "target", "purpose", "basis")
    list_filter = ("recipient", "purpose")
    search_fields = ("=subject_id", "target")


@admin.register(DataKey)
class DataKeyAdmin(ReadOnlyAdmin):
    fields = (
        "subject_id", "key_class", "state", "master_version", "created_at", "restricted_until", "shredded_at",
    )  # fmt: skip
    list_display = fields
    list_filter = ("key_class", "state", "master_version")
    search_fields = ("=subject_id",)


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdmin):
    list_display = ("subject_id", "erased_at", "restricted_until")
    search_fields = ("=subject_id",)


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ("number", "effective_at", "published_at", "significant")
    exclude = ("documents",)  # the published documents are read on the site, not as raw JSON
