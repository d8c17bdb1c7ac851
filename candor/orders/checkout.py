"""Checkout: the cart (or a "buy now" line) settled into a purchase of one order per merchant.

Everything is checked before anything is written — the form, the goods, the price the buyer saw,
special goods' extra fields — and then, in one transaction, the purchase, its orders and lines
are created and each line's stock reserved by a conditional UPDATE (``stock.reserve``). A line
that cannot be reserved rolls the whole transaction back: a refused checkout reserves nothing
and charges nothing.

The client's idempotency key makes "place the order" safe to retry: the same key from the same
buyer returns the purchase the first request created, even when both arrive at once (the unique
constraint decides, and the loser reads the winner's row).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from candor.addresses.errors import AddressInvalid
from candor.addresses.selectors import address_for_order
from candor.addresses.services import address_clean
from candor.cart.models import CartItem
from candor.cart.selectors import cart_get
from candor.catalog.models import Sku, Stock
from candor.orders import numbers, risk, special, stock
from candor.orders.errors import (
    CartEmpty,
    CheckoutInvalid,
    IdempotencyKeyInvalid,
    LineUnavailable,
    PriceChanged,
)
from candor.orders.models import ONLINE_METHODS, Order, OrderLine, PaymentMethod, Purchase
from candor.privacy import audit, taxonomy

IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
TAX_NUMBER = re.compile(r"[0-9A-Z]{15}|[0-9A-Z]{18}|[0-9A-Z]{20}")  # 统一社会信用代码 / old tax ids
MAX_LINES = 100
MAX_QUANTITY = 99


@dataclass(frozen=True)
class CheckoutForm:
    """What the buyer filled in. Either ``address_id`` (from the address book) or the recipient
    fields; ``lines`` (sku id → quantity) buys those instead of the cart ("buy now")."""

    payment_method: str
    address_id: int | None = None
    recipient: Mapping[str, str] = field(default_factory=dict)  # recipient_name, mobile, province …
    email: str = ""
    for_someone_else: bool = False
    recipient_agreed: bool = False
    warehouse_name: str = ""
    invoice_title: str = ""
    tax_number: str = ""
    note: str = ""
    expected_total_fen: int | None = None
    lines: Mapping[int, int] | None = None
    special: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)  # sku id → its extra fields


@dataclass(frozen=True)
class ClientSignals:
    """Where the order came from, for the abnormal-order check only (hashed before storing)."""

    ip: str | None
    device: str


@dataclass(frozen=True)
class _Line:
    sku: Sku
    quantity: int

    @property
    def unit_price_fen(self) -> int:
        return int(self.sku.price_fen)


def shipping_fee(goods_fen: int) -> int:
    return 0 if goods_fen >= settings.CANDOR_SHIPPING_FREE_FROM_FEN else settings.CANDOR_SHIPPING_FEE_FEN


def _text(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _recipient(user: Any, form: CheckoutForm, errors: dict[str, list[str]]) -> dict[str, str]:
    if form.address_id is not None:
        chosen = address_for_order(user=user, address_id=form.address_id)  # 404 for another's
        return {
            "recipient_name": chosen.recipient_name, "mobile": chosen.mobile, "province": chosen.province,
            "city": chosen.city, "district": chosen.district, "detail": chosen.detail,
            "landline": chosen.landline,
        }  # fmt: skip
    try:
        return address_clean(form.recipient)
    except AddressInvalid as exc:
        errors.update(exc.fields)
        return {}


def _check_form(user: Any, form: CheckoutForm) -> dict[str, Any]:
    """The clean values of the form, or ``CheckoutInvalid`` naming every bad field at once."""
    errors: dict[str, list[str]] = {}
    recipient = _recipient(user, form, errors)
    if form.payment_method not in PaymentMethod.values:
        errors["payment_method"] = [str(_("Choose a payment method."))]
    email = _text(form.email, 254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [str(_("Enter a valid email address."))]
    if form.for_someone_else and not form.recipient_agreed:
        errors["recipient_agreed"] = [
            str(_("Confirm that the person you are ordering for agreed to give you their details."))
        ]
    tax_number = _text(form.tax_number, 20).upper()
    if tax_number and not TAX_NUMBER.fullmatch(tax_number):
        errors["tax_number"] = [str(_("A taxpayer number has 15, 18 or 20 digits and capital letters."))]
    invoice_title = _text(form.invoice_title, 100)
    if tax_number and not invoice_title:
        errors["invoice_title"] = [str(_("Enter the invoice title that goes with the taxpayer number."))]
    if form.payment_method == PaymentMethod.REMITTANCE and not invoice_title:
        errors["invoice_title"] = [
            str(_("Bank remittance is for businesses: enter the company's invoice title."))
        ]
    if errors:
        raise CheckoutInvalid(errors)
    return {
        "recipient": recipient,
        "email": email,
        "warehouse_name": _text(form.warehouse_name, 64),
        "invoice_title": invoice_title,
        "tax_number": tax_number,
        "note": _text(form.note, 200),
    }


def _wanted_lines(user: Any, form: CheckoutForm) -> list[_Line]:
    if form.lines is not None:
        wanted = {int(k): int(v) for k, v in form.lines.items()}
        if any(not 1 <= q <= MAX_QUANTITY for q in wanted.values()) or len(wanted) > MAX_LINES:
            raise CheckoutInvalid(
                {"lines": [str(_("Enter a quantity from 1 to %(max)s.") % {"max": MAX_QUANTITY})]}
            )
        skus = Sku.objects.select_related("product__merchant").in_bulk(list(wanted))
        missing = next((sku_id for sku_id in wanted if sku_id not in skus), None)
        if missing is not None:
            raise LineUnavailable(sku_id=missing, name=f"#{missing}", available=0)
        return [_Line(skus[sku_id], quantity) for sku_id, quantity in wanted.items()]
    cart = cart_get(user=user, session=None)
    return [_Line(line.sku, line.quantity) for line in cart.lines]


def _check_goods(lines: Sequence[_Line]) -> None:
    if not lines:
        raise CartEmpty()
    lang = translation.get_language()
    for line in lines:
        product = line.sku.product
        if not (line.sku.is_active and product.is_active and product.merchant.is_active):
            raise LineUnavailable(sku_id=line.sku.pk, name=product.name(lang), available=0)


def _check_key(key: str) -> str:
    if not IDEMPOTENCY_KEY.fullmatch(key or ""):
        raise IdempotencyKeyInvalid()
    return key


def purchase_place(
    *, user: Any, idempotency_key: str, form: CheckoutForm, client: ClientSignals
) -> tuple[Purchase, bool]:
    """Place the purchase; returns it and whether this call created it (False: a retry)."""
    key = _check_key(idempotency_key)
    earlier = Purchase.objects.filter(buyer_id=user.pk, idempotency_key=key).first()
    if earlier is not None:
        return earlier, False
    clean = _check_form(user, form)
    lines = _wanted_lines(user, form)
    _check_goods(lines)
    extras = special.check(lines=[(line.sku, line.quantity) for line in lines], given=form.special)
    by_merchant: dict[int, list[_Line]] = defaultdict(list)
    for line in lines:
        by_merchant[line.sku.product.merchant_id].append(line)
    totals = {
        merchant: sum(line.unit_price_fen * line.quantity for line in group)
        for merchant, group in by_merchant.items()
    }
    grand_total = sum(goods + shipping_fee(goods) for goods in totals.values())
    if form.expected_total_fen is not None and form.expected_total_fen != grand_total:
        raise PriceChanged(expected_fen=form.expected_total_fen, total_fen=grand_total)
    try:
        purchase = _create(user, key, form, clean, by_merchant, totals, grand_total, extras, client)
    except IntegrityError:
        # The same key won a race a moment ago: answer with what that request created.
        earlier = Purchase.objects.filter(buyer_id=user.pk, idempotency_key=key).first()
        if earlier is None:
            raise
        return earlier, False
    return purchase, True


@transaction.atomic
def _create(
    user: Any,
    key: str,
    form: CheckoutForm,
    clean: dict[str, Any],
    by_merchant: Mapping[int, list[_Line]],
    totals: Mapping[int, int],
    grand_total: int,
    extras: Mapping[int, Mapping[str, Any]],
    client: ClientSignals,
) -> Purchase:
    now = timezone.now()
    method = form.payment_method
    purchase = Purchase.objects.create(
        number=numbers.new_number(),
        buyer_id=user.pk,
        idempotency_key=key,
        payment_method=method,
        # Cash on delivery needs no payment first: the merchant ships at once.
        status=Purchase.Status.CONFIRMED if method == PaymentMethod.COD else Purchase.Status.PENDING,
        total_fen=grand_total,
        pay_by=now + timedelta(minutes=settings.CANDOR_ORDER_PAY_MINUTES),
    )
    recipient = clean["recipient"]
    lang = translation.get_language()
    for merchant_id, group in by_merchant.items():
        goods = totals[merchant_id]
        order = Order.objects.create(
            number=numbers.new_number(),
            purchase=purchase,
            buyer_id=user.pk,
            merchant_id=merchant_id,
            status=Order.Status.TO_SHIP if method == PaymentMethod.COD else Order.Status.PENDING_PAYMENT,
            payment_method=method,
            recipient_name=recipient["recipient_name"],
            recipient_phone=recipient["mobile"],
            province=recipient["province"],
            city=recipient["city"],
            district=recipient.get("district", ""),
            address_detail=recipient["detail"],
            landline=recipient.get("landline") or None,
            email=clean["email"] or None,
            for_someone_else=form.for_someone_else,
            warehouse_name=clean["warehouse_name"],
            invoice_title=clean["invoice_title"],
            tax_number=clean["tax_number"],
            note=clean["note"],
            goods_fen=goods,
            shipping_fen=shipping_fee(goods),
            total_fen=goods + shipping_fee(goods),
        )
        for line in group:
            _add_line(order, line, lang, extras)
        risk.check_order(order=order, client=client, at=now)
    if form.lines is None:
        bought = [line.sku.pk for group in by_merchant.values() for line in group]
        CartItem.objects.filter(user_id=user.pk, sku_id__in=bought).delete()
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user.pk,
        subject_id=user.pk,
        target=f"orders.purchase:{purchase.pk}",
        fields=["recipient_name", "recipient_phone", "address_detail"],
        purpose=taxonomy.ORDERING.code,
        detail={"operation": "create", "orders": len(by_merchant), "online": method in ONLINE_METHODS},
    )
    return purchase


def _add_line(order: Order, line: _Line, lang: str | None, extras: Mapping[int, Mapping[str, Any]]) -> None:
    product = line.sku.product
    parts: list[tuple[Stock | None, int]] = [(None, line.quantity)]  # a service: not stocked
    if not product.is_service:
        reserved = stock.reserve(line.sku, line.quantity)
        if reserved is None:
            # Raising inside the transaction undoes every reservation made so far.
            raise LineUnavailable(
                sku_id=line.sku.pk, name=product.name(lang), available=stock.available(line.sku)
            )
        parts = [(row, units) for row, units in reserved]
    # One order line per warehouse the units come from, each holding its reservation.
    rows = [
        OrderLine.objects.create(
            order=order,
            product=product,
            sku=line.sku,
            stock=reserved,
            product_name=product.name(lang),
            options=line.sku.options or {},
            unit_price_fen=line.unit_price_fen,
            quantity=units,
        )
        for reserved, units in parts
    ]
    if line.sku.pk in extras:  # the special goods' details, once per SKU
        special.save(line=rows[0], buyer_id=order.buyer_id, kind=product.special, values=extras[line.sku.pk])
