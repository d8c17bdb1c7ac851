"""Special goods (C000-04/05/06) ask for what the product needs and keep the identifying parts
encrypted; the abnormal-order check (C001-06) holds an order that the merchant then cannot ship
until staff release it."""

from __future__ import annotations

import copy

import pytest
from django.db import connection

from candor.errors import CandorError
from candor.orders import services, special
from candor.orders.errors import OrderStateInvalid
from candor.orders.models import Order, OrderCheck, Purchase, SpecialDetails
from candor.orders.tests import factories as f
from candor.privacy import audit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_keys")]

ID_NUMBER = "11010519491231002X"  # a valid check character (GB 11643)
IMEI = "490154203237518"  # Luhn-valid
HOME = {"house_layout": "三室两厅", "house_status": "new", "house_area_m2": "120", "budget_yuan": "200000"}


def raw(model, column: str, pk: int) -> str | None:
    """The column as the database holds it, bypassing the field."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def refused_fields(user, sku, values) -> dict:
    with pytest.raises(CandorError) as caught:
        f.buy(user, sku, special={sku.pk: values} if values is not None else {})
    assert caught.value.code == "checkout_invalid"
    assert f.stock_of(sku) == 10 and not Purchase.objects.exists() and not SpecialDetails.objects.exists()
    return caught.value.fields


# --- Special goods ---------------------------------------------------------------------------


def test_a_phone_card_needs_the_holders_name_and_a_valid_id_number():
    buyer, card = f.make_member(), f.make_sku(special=special.PHONE_CARD)
    prefix = f"special.{card.pk}."
    assert set(refused_fields(buyer, card, None)) == {f"{prefix}holder_name", f"{prefix}holder_id_number"}
    wrong_check = ID_NUMBER[:-1] + "1"
    assert set(refused_fields(buyer, card, {"holder_name": "王五", "holder_id_number": wrong_check})) == {
        f"{prefix}holder_id_number"
    }
    purchase = f.buy(
        buyer, card, special={card.pk: {"holder_name": "王五", "holder_id_number": ID_NUMBER.lower()}}
    )
    details = SpecialDetails.objects.get(line__order__purchase=purchase)
    assert (details.kind, details.holder_name, details.holder_id_number) == ("phone_card", "王五", ID_NUMBER)
    assert details.buyer_id == buyer.pk
    for column, plain in (("holder_name", "王五"), ("holder_id_number", ID_NUMBER)):
        stored = raw(SpecialDetails, column, details.pk)
        assert stored.startswith("enc1$") and plain not in stored


def test_a_whole_house_customization_needs_layout_status_area_and_budget():
    buyer, design = f.make_member(), f.make_sku(special=special.HOME)
    prefix = f"special.{design.pk}."
    assert set(refused_fields(buyer, design, {})) == {
        f"{prefix}{name}" for name in ("house_layout", "house_status", "house_area_m2", "budget_yuan")
    }
    assert set(refused_fields(buyer, design, {**HOME, "house_status": "castle"})) == {f"{prefix}house_status"}
    assert set(refused_fields(buyer, design, {**HOME, "house_area_m2": "-5"})) == {f"{prefix}house_area_m2"}
    purchase = f.buy(buyer, design, special={design.pk: HOME})
    details = SpecialDetails.objects.get(line__order__purchase=purchase)
    stored = {
        "house_layout": "三室两厅", "house_status": "new", "house_area_m2": "120", "budget_fen": "20000000",
    }  # fmt: skip
    assert {name: getattr(details, name) for name in stored} == stored
    for column, plain in stored.items():  # a house is property information: all of it encrypted
        assert raw(SpecialDetails, column, details.pk).startswith("enc1$") and plain not in raw(
            SpecialDetails, column, details.pk
        )


def test_phone_insurance_needs_a_luhn_valid_imei_kept_encrypted():
    buyer, cover = f.make_member(), f.make_sku(special=special.INSURANCE)
    field = f"special.{cover.pk}.imei"
    for bad in ("", "49015420323751", "490154203237517", "49015420323751X"):
        assert set(refused_fields(buyer, cover, {"imei": bad})) == {field}, bad
    purchase = f.buy(buyer, cover, special={cover.pk: {"imei": "49015 4203237518"}})
    details = SpecialDetails.objects.get(line__order__purchase=purchase)
    assert details.imei == IMEI
    stored = raw(SpecialDetails, "imei", details.pk)
    assert stored.startswith("enc1$") and IMEI not in stored


@pytest.mark.parametrize(
    "imei, valid",
    [
        ("490154203237518", True),
        ("356938035643809", True),
        ("356938035643808", False),
        ("000000000000000", True),
    ],
)
def test_imei_check_digit(imei, valid):
    assert special.imei_valid(imei) is valid


def test_ordinary_goods_ask_for_nothing_more():
    buyer = f.make_member()
    purchase = f.buy(buyer, f.make_sku(), special={})
    assert purchase.pk and not SpecialDetails.objects.exists()


def test_special_goods_in_a_cart_with_ordinary_ones_refuse_the_whole_checkout():
    buyer = f.make_member()
    ordinary, card = f.make_sku(), f.make_sku(special=special.PHONE_CARD)
    f.add_to_cart(buyer, ordinary, 2)
    f.add_to_cart(buyer, card, 1)
    with pytest.raises(CandorError) as caught:
        f.place(buyer)
    assert caught.value.code == "checkout_invalid"
    assert (f.stock_of(ordinary), f.stock_of(card)) == (10, 10) and not Purchase.objects.exists()


# --- The abnormal-order check --------------------------------------------------------------------


@pytest.fixture
def limits(settings):
    values = copy.deepcopy(settings.CANDOR_RISK_LIMITS)
    values.update(account_per_hour=2, ip_per_hour=100, device_per_hour=100, accounts_per_address=100)
    settings.CANDOR_RISK_LIMITS = values
    return values


def test_over_the_account_limit_the_order_is_placed_but_held(limits):
    buyer = f.make_member()
    first, second, third = (f.only_order(f.buy(buyer, f.make_sku())) for _ in range(3))
    assert (first.held_reason, second.held_reason) == ("", "")
    assert Order.objects.get(pk=third.pk).held_reason == "account_rate"
    # Another account is not counted against this one.
    assert f.only_order(f.buy(f.make_member(), f.make_sku())).held_reason == ""


def test_over_the_network_address_limit_the_order_is_held(limits):
    limits.update(account_per_hour=100, ip_per_hour=2)
    orders = [f.only_order(f.buy(f.make_member(), f.make_sku())) for _ in range(3)]
    assert [o.held_reason for o in orders] == ["", "", "ip_rate"]


def test_one_address_used_by_many_accounts_holds_the_order(limits):
    limits.update(account_per_hour=100, accounts_per_address=2)
    orders = [f.only_order(f.buy(f.make_member(), f.make_sku())) for _ in range(3)]
    assert [o.held_reason for o in orders] == ["", "", "shared_address"]


def test_the_check_keeps_keyed_hashes_only(limits):
    order = f.only_order(f.buy(f.make_member(), f.make_sku()))
    check = OrderCheck.objects.get(order=order)
    stored = " ".join([check.ip_hash, check.device_hash, check.address_hash])
    for clear in (f.CLIENT.ip, f.CLIENT.device, f.RECIPIENT["detail"], "文三路"):
        assert clear not in stored
    assert len(check.ip_hash) >= 32 and check.ip_hash != check.device_hash


def test_a_held_order_cannot_be_shipped_until_released(limits):
    buyer = f.make_member()
    for _ in range(2):
        f.buy(buyer, f.make_sku())
    held = f.only_order(f.buy(buyer, f.make_sku()))
    services.purchase_mark_paid(purchase_id=held.purchase_id, paid_at=held.created_at)
    with pytest.raises(OrderStateInvalid):
        services.order_mark_shipped(order_id=held.pk, actor_id=None)
    assert Order.objects.get(pk=held.pk).status == Order.Status.TO_SHIP

    staff = f.make_member(address=False)
    services.order_release_hold(order_id=held.pk, actor_id=staff.pk)
    assert Order.objects.get(pk=held.pk).held_reason == ""
    assert audit.AuditEvent.objects.filter(
        target=f"orders.order:{held.pk}", actor_id=staff.pk, detail__operation="hold_released"
    ).exists()
    services.order_mark_shipped(order_id=held.pk, actor_id=None)
    assert Order.objects.get(pk=held.pk).status == Order.Status.SHIPPED
    with pytest.raises(OrderStateInvalid):  # nothing left to release
        services.order_release_hold(order_id=held.pk, actor_id=staff.pk)
