"""Shipments and their tracking events (C000-09, C004-08).

A shipment is created when the merchant ships: the carrier receives the recipient, mobile,
address and items through ``disclosure`` and answers with a waybill number. Tracking events come
from the carrier (pushed to ``/fulfillment/carrier/push/`` or fetched), are stored once each
(unique per shipment, time and state) and drive the order to "delivered".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from candor.orders.models import Order


class Shipment(models.Model):
    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="shipment", verbose_name=_("order")
    )
    carrier_code = models.CharField(_("carrier"), max_length=16)
    waybill_no = models.CharField(_("waybill number"), max_length=64)
    created_at = models.DateTimeField(_("shipped at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        constraints = [
            models.UniqueConstraint(fields=["carrier_code", "waybill_no"], name="fulfillment_waybill"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier_code} {self.waybill_no}"


class TrackingEvent(models.Model):
    class State(models.TextChoices):
        COLLECTED = "collected", _("Collected by the carrier")
        IN_TRANSIT = "in_transit", _("In transit")
        OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
        DELIVERED = "delivered", _("Delivered")
        PROBLEM = "problem", _("Problem")

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="events", verbose_name=_("shipment")
    )
    # Whose parcel: the scans name the recipient's city and street, so they are declared
    # personal data of the buyer (and go when the buyer is erased).
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("buyer")
    )
    at = models.DateTimeField(_("at"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    description = models.CharField(_("description"), max_length=300)
    location = models.CharField(_("location"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ("shipment", "at", "id")
        constraints = [
            models.UniqueConstraint(fields=["shipment", "at", "state"], name="fulfillment_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.state}"
