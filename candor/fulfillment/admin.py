"""Shipments and their tracking events in the back office, read-only.

A shipment exists because an order was shipped (``services.shipment_create``) and its events
because the carrier reported them: nothing here is typed in by staff. Merchant staff see the
shipments of their own merchants' orders only, scoped as the orders are (``candor.orders.admin``);
another merchant's shipment by its URL is "not found". The recipient is not here — it stays on
the order, masked there.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from candor.fulfillment.models import Shipment, TrackingEvent
from candor.orders.admin import scope_to_merchants
from candor.privacy.admin_mixins import ReadOnlyMixin


class TrackingEventInline(ReadOnlyMixin, admin.TabularInline):
    model = TrackingEvent
    fields = ("at", "state", "description", "location")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # part of the shipment, which the admin has already scoped


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("waybill_no", "carrier_code", "order", "created_at", "delivered_at")
    list_filter = ("carrier_code", ("delivered_at", admin.EmptyFieldListFilter))
    list_select_related = ("order",)
    search_fields = ("=waybill_no", "=order__number")
    date_hierarchy = "created_at"
    fields = ("order", "carrier_code", "waybill_no", "created_at", "delivered_at")
    readonly_fields = fields
    inlines = (TrackingEventInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Shipment]:
        return scope_to_merchants(super().get_queryset(request), request.user, path="order__merchant")

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().change_view(request, object_id, form_url, extra_context)
