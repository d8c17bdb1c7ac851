"""Purchases, orders and their lines: the transaction records (C000-03, C001-05, C003-06, C004-06).

A checkout settles the cart into one ``Purchase`` — what the buyer pays in one go — holding one
``Order`` per merchant, as Chinese malls split a cart (拆单): each merchant ships, is seen by its
own staff and refunds its own part. The payment institution receives the purchase's number and
amount only (``payment_subject`` names no one, C000-08).

The recipient's name, mobile, street address, landline and email are encrypted under the buyer's
*transaction* key (the declaration's ``on_erasure=RESTRICT``): the records are kept three years
after completion (E-Commerce Law art. 31) even when the account is cancelled, readable then only
for legal purposes. Province, city and district stay in clear: they point at no one and are what
a masked address shows.

Stock is reserved per line from one warehouse row (``OrderLine.stock``; a quantity no single
warehouse holds is split into one line per warehouse) by a conditional UPDATE at creation
(``stock.reserve``) and given back when an unpaid order times out or is cancelled
(``reservation_released``), so a line without its reservation cannot exist.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candor.catalog.models import Merchant, Product, Sku, Stock
from candor.privacy.crypto import EncryptedField


class PaymentMethod(models.TextChoices):
    ALIPAY = "alipay", _("Alipay")
    WECHATPAY = "wechatpay", _("WeChat Pay")
    UNIONPAY = "unionpay", _("UnionPay")
    COD = "cod", _("Cash on delivery")
    REMITTANCE = "remittance", _("Bank remittance (business)")


ONLINE_METHODS = (PaymentMethod.ALIPAY, PaymentMethod.WECHATPAY, PaymentMethod.UNIONPAY)


class Purchase(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
        PAID = "paid", _("Paid")
        CONFIRMED = "confirmed", _("Confirmed, pay on delivery")
        CLOSED = "closed", _("Closed")

    number = models.CharField(_("purchase number"), max_length=32, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="purchases", verbose_name=_("buyer")
    )
    # A client's key for "place this order": a retried request returns the same purchase.
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)
    payment_method = models.CharField(_("payment method"), max_length=16, choices=PaymentMethod.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    total_fen = models.PositiveBigIntegerField(_("total (fen)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    pay_by = models.DateTimeField(_("pay by"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        constraints = [
            models.UniqueConstraint(fields=["buyer", "idempotency_key"], name="orders_purchase_idempotent"),
        ]
        indexes = [models.Index(fields=["status", "pay_by"], name="orders_purchase_due")]

    def __str__(self) -> str:
        return self.number

    def _payment_subject(self) -> str:
        """The subject line a payment institution shows: the mall and the number, no goods and
        no person (C000-08)."""
        return f"Candor {self.number}"

    _payment_subject.short_description = _("payment subject (the mall's name and the number)")  # type: ignore[attr-defined]
    payment_subject = property(_payment_subject)


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
        TO_SHIP = "to_ship", _("Awaiting shipment")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.PENDING_PAYMENT, Status.TO_SHIP, Status.SHIPPED, Status.DELIVERED)

    number = models.CharField(_("order number"), max_length=32, unique=True)
    purchase = models.ForeignKey(
        Purchase, on_delete=models.PROTECT, related_name="orders", verbose_name=_("purchase")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders", verbose_name=_("buyer")
    )
    merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, related_name="orders", verbose_name=_("merchant")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING_PAYMENT
    )
    payment_method = models.CharField(_("payment method"), max_length=16, choices=PaymentMethod.choices)

    # The recipient (C000-03: name, address and mobile required; landline and email optional).
    recipient_name = EncryptedField(_("recipient"), null=True, blank=True)
    recipient_phone = EncryptedField(_("recipient's mobile"), null=True, blank=True)
    province = models.CharField(_("province"), max_length=32, blank=True)
    city = models.CharField(_("city"), max_length=32, blank=True)
    district = models.CharField(_("district"), max_length=32, blank=True)
    address_detail = EncryptedField(_("detailed address"), null=True, blank=True)
    landline = EncryptedField(_("landline"), null=True, blank=True)
    email = EncryptedField(_("email"), null=True, blank=True)
    # C004-06: ordering for someone else needs their agreement, which the buyer confirms.
    for_someone_else = models.BooleanField(_("ordered for someone else"), default=False)
    warehouse_name = models.CharField(_("receiving warehouse"), max_length=64, blank=True)  # B2B, C002-03
    invoice_title = models.CharField(_("invoice title"), max_length=100, blank=True)
    tax_number = models.CharField(_("taxpayer number"), max_length=20, blank=True)
    note = models.CharField(_("note to the merchant"), max_length=200, blank=True)

    goods_fen = models.PositiveBigIntegerField(_("goods (fen)"))
    shipping_fen = models.PositiveIntegerField(_("shipping (fen)"))
    total_fen = models.PositiveBigIntegerField(_("total (fen)"))

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=32, blank=True)
    # When the transaction ended (completed or cancelled): the legal term counts from here.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # C004-21: the buyer removed it from "my orders"; the record stays for its legal term.
    buyer_deleted_at = models.DateTimeField(_("deleted by the buyer at"), null=True, blank=True)
    # Abnormal-order check (C001-06): a held order waits for staff before it is shipped.
    held_reason = models.CharField(_("held for review because"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["buyer", "-created_at", "-id"], name="orders_order_buyer"),
            models.Index(fields=["merchant", "status", "-created_at"], name="orders_order_merchant"),
            models.Index(fields=["closed_at"], name="orders_order_closed"),
        ]

    def __str__(self) -> str:
        return self.number  # nothing personal: admin titles and logs print it

    @property
    def address_text(self) -> str:
        """The full delivery address in one line, as a carrier prints it on the label."""
        return "".join(part for part in (self.province, self.city, self.district, self.address_detail or ""))

    def _items(self) -> list[dict[str, object]]:
        """What is in the parcel, as the carrier's waybill lists it (names and quantities)."""
        return [{"name": line.product_name, "quantity": line.quantity} for line in self.lines.all()]

    _items.short_description = _("items (product names and quantities)")  # type: ignore[attr-defined]
    items = property(_items)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class OrderLine(models.Model):
    """One SKU of an order at the price the buyer saw, with the stock row it was reserved from."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    sku = models.ForeignKey(Sku, on_delete=models.PROTECT, related_name="+", verbose_name=_("SKU"))
    # None for a service of the marketplace, which is not stocked (``Product.is_service``).
    stock = models.ForeignKey(
        Stock, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("warehouse stock"),
    )  # fmt: skip
    product_name = models.CharField(_("product name"), max_length=200)
    options = models.JSONField(_("options"), default=dict, blank=True)
    unit_price_fen = models.PositiveIntegerField(_("unit price (fen)"))
    quantity = models.PositiveIntegerField(_("quantity"))
    released_at = models.DateTimeField(_("reservation released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ("order", "id")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.sku_id}"

    @property
    def total_fen(self) -> int:
        return self.unit_price_fen * self.quantity


class SpecialDetails(models.Model):
    """What special goods need beyond an address (C000-04/05/06), one row per line that needs it:
    a phone card's holder (real-name registration of mobile numbers), a whole-house
    customization's house, a phone insurance's IMEI. Declared field by field with its purpose;
    encrypted, kept with the order."""

    line = models.OneToOneField(
        OrderLine, on_delete=models.CASCADE, related_name="special", verbose_name=_("order line")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer")
    )
    kind = models.CharField(_("kind"), max_length=32)
    holder_name = EncryptedField(_("card holder's name"), null=True, blank=True)
    holder_id_number = EncryptedField(_("card holder's ID number"), null=True, blank=True)
    # A house is property information (GB/T 35273 Annex B): every fact of it is encrypted, the
    # numbers as text.
    house_layout = EncryptedField(_("house layout"), null=True, blank=True)
    house_status = EncryptedField(_("house status"), null=True, blank=True)
    house_area_m2 = EncryptedField(_("house area (m²)"), null=True, blank=True)
    budget_fen = EncryptedField(_("budget (fen)"), null=True, blank=True)
    imei = EncryptedField(_("IMEI"), null=True, blank=True)

    class Meta:
        verbose_name = _("special goods details")
        verbose_name_plural = _("special goods details")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class OrderCheck(models.Model):
    """The signals the abnormal-order check counts (orders per account, per network address and
    per device within an hour; one delivery address used by many accounts): one row per order,
    keyed hashes only (HMAC blind indexes: they reveal nothing without the key), kept 30 days —
    long enough to count and to answer a dispute — and declared for transaction security."""

    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, related_name="risk_check", verbose_name=_("order")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("buyer")
    )
    ip_hash = models.CharField(_("network address (keyed hash)"), max_length=64, db_index=True)
    device_hash = models.CharField(_("device (keyed hash)"), max_length=64, blank=True, db_index=True)
    address_hash = models.CharField(_("delivery address (keyed hash)"), max_length=64, db_index=True)
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("order check signal")
        verbose_name_plural = _("order check signals")

    def __str__(self) -> str:
        return f"check #{self.pk}"
