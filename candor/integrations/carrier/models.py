"""The simulated Kdniao's records: the waybills it issued and the tracking events of each.

They stand for the carrier's side and exist only where the simulators run (the demo and the
tests); production never writes here. A carrier keeps the whole label; the simulator keeps no
more than it needs to play one: the waybill, the order number it was created for and the
recipient's city, which its tracking texts name. Rows live 30 days (``personal_data.py``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SimShipment(models.Model):
    waybill_no = models.CharField(_("waybill number"), max_length=32, unique=True)
    carrier_code = models.CharField(_("carrier"), max_length=16)
    # Kdniao refuses a second waybill for one OrderCode of a merchant: unique.
    order_no = models.CharField(_("order number"), max_length=64, unique=True)
    recipient_city = models.CharField(_("recipient's city"), max_length=32)
    # The simulated carrier cannot know whose parcel it is: 0, "no account" (personal_data.py).
    account_id = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("simulated shipment")
        verbose_name_plural = _("simulated shipments")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.carrier_code} {self.waybill_no}"


class SimTrace(models.Model):
    shipment = models.ForeignKey(SimShipment, on_delete=models.CASCADE, related_name="traces")
    action = models.CharField(_("Kdniao state code"), max_length=8)  # 1, 2, 202, 3 (protocol)
    at = models.DateTimeField(_("time"))
    station = models.CharField(_("description"), max_length=200)
    location = models.CharField(_("city"), max_length=32, blank=True)
    account_id = models.BigIntegerField(default=0, editable=False)
    pushed_at = models.DateTimeField(_("pushed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("simulated tracking event")
        verbose_name_plural = _("simulated tracking events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.action}"
