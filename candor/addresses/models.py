"""The address book: where a user wants goods delivered (C000-03, C004-06).

The recipient's name, mobile, landline and street address are encrypted under the user's
profile key: they are often someone else's data (C000-22: an address a user typed for a
relative), and erasing the account must make every copy unreadable. Province, city and
district stay in clear: on their own they point at no one, and the masked display already
shows them. Orders copy an address when they are placed (``selectors.address_for_order``),
so editing or deleting an entry here never changes an order.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from candor.privacy.crypto import EncryptedField


class Address(models.Model):
    class Label(models.TextChoices):
        HOME = "home", pgettext_lazy("address label", "Home")
        COMPANY = "company", _("Company")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("user")
    )
    recipient_name = EncryptedField(_("recipient"), null=True, blank=True)
    mobile = EncryptedField(_("mobile number"), null=True, blank=True)
    province = models.CharField(_("province"), max_length=32)
    city = models.CharField(_("city"), max_length=32)
    district = models.CharField(_("district"), max_length=32, blank=True)
    detail = EncryptedField(_("detailed address"), null=True, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    landline = EncryptedField(_("landline"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=16, choices=Label.choices, blank=True)
    is_default = models.BooleanField(_("default address"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("shipping address")
        verbose_name_plural = _("shipping addresses")
        ordering = ("-is_default", "-updated_at", "-pk")
        constraints = [
            # The database keeps "one default per user" even if a service were wrong; the
            # services clear the old default first, in the same transaction.
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_default=True), name="addresses_one_default_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"address #{self.pk}"  # nothing personal: admin titles and logs print it
