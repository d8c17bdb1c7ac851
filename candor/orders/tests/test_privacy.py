"""Erasing a buyer keeps their transaction records (E-Commerce Law art. 31) without the person:
clear personal fields blanked at once, encrypted ones readable only for a legal purpose under the
restricted transaction key, and everything anonymized three years after the transaction closed.

The planted-data scan (as in ``tests/privacy``): distinct values typed into every text a buyer
gives at checkout, taken through the whole lifecycle, must be nowhere in the database in clear
after erasure."""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from candor.fulfillment import services as fulfillment
from candor.integrations.carrier import simulator as carrier
from candor.orders import services, special
from candor.orders.models import Order, OrderCheck, Purchase, SpecialDetails
from candor.orders.tests import factories as f
from candor.privacy import crypto, retention, rights, taxonomy
from candor.privacy.crypto import RestrictedData, Sealed
from candor.privacy.datamap import KeyClass
from candor.privacy.processing import processing
from tests.privacy.planting import database_text as planted_text
from tests.privacy.planting import token

pytestmark = pytest.mark.usefixtures("fresh_keys")
ID_NUMBER = "11010519491231002X"
ENCRYPTED = ("recipient_name", "recipient_phone", "address_detail", "landline", "email")
# The simulators stand for outside parties (their own systems, their own retention): what they
# keep is theirs, and the proof is about Candor's tables.
OUTSIDE = ("payment_simulator_", "carrier_simulator_")


def completed_order(buyer, **form) -> Order:
    """Cash on delivery, shipped through the carrier simulator, delivered and confirmed."""
    staff = f.make_member(address=False)
    order = f.only_order(f.buy(buyer, f.make_sku(), payment_method="cod", **form))
    shipment = fulfillment.shipment_create(order=order, actor_id=staff.pk)
    for _ in range(4):
        carrier.advance(shipment.waybill_no)
    services.order_confirm_received(user=buyer, order_number=order.number)
    return Order.objects.get(pk=order.pk)


def full_form(**extra) -> dict:
    return {
        "recipient": {
            **f.RECIPIENT,
            "recipient_name": "李四",
            "mobile": "13912345678",
            "landline": "0571-88886666",
        },
        "email": "li.si@example.com",
        "note": "请放门卫室",
        "invoice_title": "李四",
        "tax_number": "91330106MA2B3C4D5E",
        "warehouse_name": "城西仓",
        "for_someone_else": True,
        "recipient_agreed": True,
        **extra,
    }


# --- Erasure ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_erasure_keeps_the_orders_without_the_person():
    buyer = f.make_member(address=False)
    order = completed_order(buyer, **full_form())
    rights.erase(buyer.pk)

    kept = Order.objects.get(pk=order.pk)
    assert (kept.number, kept.status, kept.total_fen) == (
        order.number,
        Order.Status.COMPLETED,
        order.total_fen,
    )
    assert kept.lines.count() == 1 and kept.buyer_id == buyer.pk
    for name in ("province", "city", "district", "warehouse_name", "invoice_title", "tax_number", "note"):
        assert getattr(kept, name) == "", name
    assert kept.for_someone_else is False
    assert Purchase.objects.get(pk=order.purchase_id).total_fen == order.total_fen
    assert not OrderCheck.objects.filter(buyer_id=buyer.pk).exists()


@pytest.mark.django_db
def test_after_erasure_the_encrypted_fields_open_only_for_a_legal_purpose():
    buyer = f.make_member(address=False)
    order = completed_order(buyer, **full_form())
    rights.erase(buyer.pk)

    with processing(taxonomy.LEGAL_RETENTION):
        kept = Order.objects.get(pk=order.pk)
        assert [getattr(kept, name) for name in ENCRYPTED] == [
            "李四", "13912345678", f.RECIPIENT["detail"], "0571-88886666", "li.si@example.com",
        ]  # fmt: skip
    for purpose in (None, taxonomy.MARKETING_PUSH, taxonomy.DELIVERY, taxonomy.CUSTOMER_SERVICE):
        for name in ENCRYPTED:
            row = Order.objects.get(pk=order.pk)
            if purpose is None:
                with pytest.raises(RestrictedData):
                    getattr(row, name)
            else:
                with processing(purpose), pytest.raises(RestrictedData):
                    getattr(row, name)

    crypto.shred(buyer.pk, KeyClass.TRANSACTION)  # the legal term ended
    with processing(taxonomy.LEGAL_RETENTION):
        kept = Order.objects.get(pk=order.pk)
        assert [getattr(kept, name) for name in ENCRYPTED] == [None] * len(ENCRYPTED)


@pytest.mark.django_db
def test_a_live_buyers_orders_read_as_usual_after_someone_else_is_erased():
    buyer, other = f.make_member(address=False), f.make_member(address=False)
    mine = completed_order(buyer, **full_form())
    completed_order(other, **full_form())
    rights.erase(other.pk)
    kept = Order.objects.get(pk=mine.pk)
    assert (kept.recipient_name, kept.city, kept.note) == ("李四", "杭州市", "请放门卫室")


@pytest.mark.django_db
def test_special_goods_details_are_restricted_too():
    buyer = f.make_member()
    card = f.make_sku(special=special.PHONE_CARD)
    f.buy(buyer, card, special={card.pk: {"holder_name": "王五", "holder_id_number": ID_NUMBER}})
    rights.erase(buyer.pk)
    details = SpecialDetails.objects.get(buyer_id=buyer.pk)
    with pytest.raises(RestrictedData):
        _ = details.holder_id_number
    with processing(taxonomy.LEGAL_RETENTION):
        assert SpecialDetails.objects.get(pk=details.pk).holder_id_number == ID_NUMBER


# --- The planted-data scan ---------------------------------------------------------------------


def database_text() -> str:
    """Every value of every table but the outside parties' (the simulators'), as one text."""
    return planted_text(skip=OUTSIDE)


@pytest.mark.django_db(transaction=True)
def test_planted_values_are_nowhere_in_clear_after_erasure():
    mobile = "139" + "".join(secrets.choice("0123456789") for _ in range(8))
    landline = "0571-" + "".join(secrets.choice("123456789") for _ in range(8))
    planted = {
        "recipient_name": token("name"),
        "mobile": mobile,
        "detail": token("detail"),
        "district": token("district"),
        "landline": landline,
        "email": f"{token('email').lower()}@plant.example",
        "note": token("note"),
        "invoice_title": token("invoice"),
        "tax_number": f"PL{secrets.token_hex(8).upper()}",
        "warehouse_name": token("warehouse"),
        "holder_name": token("holder"),
        "imei_owner_note": token("unused"),
    }
    buyer = f.make_member(address=False)
    recipient = {
        **f.RECIPIENT, "recipient_name": planted["recipient_name"], "mobile": mobile,
        "detail": planted["detail"], "district": planted["district"], "landline": landline,
    }  # fmt: skip
    card = f.make_sku(special=special.PHONE_CARD)
    f.add_to_cart(buyer, f.make_sku())
    f.add_to_cart(buyer, card)
    purchase = f.place(
        buyer, payment_method="cod", recipient=recipient, email=planted["email"], note=planted["note"],
        invoice_title=planted["invoice_title"], tax_number=planted["tax_number"],
        warehouse_name=planted["warehouse_name"],
        special={card.pk: {"holder_name": planted["holder_name"], "holder_id_number": ID_NUMBER}},
    )  # fmt: skip
    staff = f.make_member(address=False)
    for order in purchase.orders.all():
        shipment = fulfillment.shipment_create(order=order, actor_id=staff.pk)
        for _ in range(4):
            carrier.advance(shipment.waybill_no)
        services.order_confirm_received(user=buyer, order_number=order.number)
    del planted["imei_owner_note"]

    before = database_text()
    in_clear = {k for k, v in planted.items() if v in before}
    # While the buyer lives: the clear fields are there (the encrypted ones only as ciphertext).
    assert in_clear == {"district", "note", "invoice_title", "tax_number", "warehouse_name"}

    rights.erase(buyer.pk)

    after = database_text()
    remaining = {k for k, v in planted.items() if v in after}
    assert not remaining, f"after erasure the database still holds {remaining}"
    assert ID_NUMBER not in after


@pytest.mark.django_db
def test_the_recipients_city_is_not_left_in_tracking_events_after_erasure():
    city = token("city")
    buyer = f.make_member(address=False)
    completed_order(buyer, recipient={**f.RECIPIENT, "city": city})
    assert city in database_text()
    rights.erase(buyer.pk)
    assert city not in database_text()


# --- Retention -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_anonymizes_an_erased_buyers_orders_three_years_after_they_closed():
    erased, live = f.make_member(address=False), f.make_member(address=False)
    gone = completed_order(erased, **full_form())
    kept = completed_order(live, **full_form())
    closed = timezone.now() - timedelta(days=10)
    Order.objects.filter(pk__in=[gone.pk, kept.pk]).update(closed_at=closed)
    rights.erase(erased.pk)

    retention.sweep(now=closed + timedelta(days=3 * 365))  # not yet three (legal) years
    with processing(taxonomy.LEGAL_RETENTION):
        assert Order.objects.get(pk=gone.pk).recipient_name == "李四"

    retention.sweep(now=closed + timedelta(days=3 * 366 + 1))
    with processing(taxonomy.LEGAL_RETENTION):
        row = Order.objects.get(pk=gone.pk)
        assert [getattr(row, name) for name in ENCRYPTED] == [None] * len(ENCRYPTED)
    assert (row.number, row.total_fen, row.status) == (gone.number, gone.total_fen, Order.Status.COMPLETED)
    raw = Order.objects.filter(pk=gone.pk).values(*ENCRYPTED).get()
    assert all(value in (None, "") for value in raw.values()), raw

    # A live account's orders stay as they were, however old.
    row = Order.objects.get(pk=kept.pk)
    assert (row.recipient_name, row.recipient_phone, row.city, row.note) == (
        "李四", "13912345678", "杭州市", "请放门卫室",
    )  # fmt: skip


@pytest.mark.django_db
def test_an_open_order_of_an_erased_buyer_is_not_swept():
    """Only a closed transaction starts its term: an order without ``closed_at`` stays."""
    buyer = f.make_member()
    order = f.only_order(f.buy(buyer, f.make_sku(), payment_method="cod"))
    rights.erase(buyer.pk)
    retention.sweep(now=timezone.now() + timedelta(days=5 * 366))
    raw = Order.objects.filter(pk=order.pk).values("recipient_name").get()
    assert isinstance(raw["recipient_name"], Sealed)


def test_payment_method_and_time_are_declared_alike_on_the_purchase_and_its_orders():
    """Issue #6: the order copies them from the purchase, which declares them personal."""
    from candor.privacy import datamap

    purchase, order = datamap.declaration_for(Purchase), datamap.declaration_for(Order)
    for name in ("payment_method", "paid_at"):
        assert order.fields[name] == purchase.fields[name]
        assert name not in order.not_personal


@pytest.mark.django_db
def test_the_export_names_each_order_by_its_number():
    """The person can match a row of their download to an order in their list."""
    buyer = f.make_member()
    purchase = f.place(buyer, lines={f.make_sku().pk: 1}, payment_method="cod")
    order = purchase.orders.get()
    archive = zipfile.ZipFile(io.BytesIO(rights.export(buyer.pk, language="en")))
    orders_file = next(n for n in archive.namelist() if n.endswith("-ordersorder.json"))
    records = json.loads(archive.read(orders_file))["records"]
    assert [r["number"] for r in records] == [order.number]
    purchase_file = next(n for n in archive.namelist() if n.endswith("-orderspurchase.json"))
    assert json.loads(archive.read(purchase_file))["records"][0]["number"] == purchase.number
