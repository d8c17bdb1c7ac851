"""A member's cart: one row per (member, SKU). A guest's cart never reaches the database — it
lives in the session as ``{sku id: quantity}`` and is merged into these rows at login.

The row is also the log of cart additions (C004-05): ``added_at`` is when the SKU first went
into the cart, ``updated_at`` when its quantity last changed. The member sees the log as their
cart and deletes it by removing lines; nothing else records what was added.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The most of one SKU a single cart line holds; stock may cap a line lower.
MAX_LINE_QUANTITY = 99
# The most different SKUs one cart holds (a guard against a runaway client, not a shop rule).
MAX_LINES = 100


class CartItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart_items", verbose_name=_("user")
    )
    sku = models.ForeignKey("catalog.Sku", on_delete=models.CASCADE, related_name="+", verbose_name=_("SKU"))
    quantity = models.PositiveIntegerField(_("quantity"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ("-added_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["user", "sku"], name="cart_item_user_sku"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1, quantity__lte=MAX_LINE_QUANTITY),
                name="cart_item_quantity_range",
            ),
        ]

    def __str__(self) -> str:
        return f"cart line {self.pk}"
