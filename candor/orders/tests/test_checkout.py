"""Checkout (``orders.checkout.purchase_place``): what a placed purchase holds, and that every
refusal leaves nothing behind — no purchase, no order, no reservation, the cart untouched."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from candor.cart.models import CartItem
from candor.catalog.models import Sku, Stock
from candor.errors import CandorError
from candor.orders.checkout import purchase_place
from candor.orders.models import Order, OrderLine, Purchase
from candor.orders.tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_keys")]


@pytest.fixture(autouse=True)
def _shipping(settings):
    settings.CANDOR_SHIPPING_FREE_FROM_FEN = 9900
    settings.CANDOR_SHIPPING_FEE_FEN = 800


@pytest.fixture
def member():
    return f.make_member()


def nothing_placed() -> bool:
    return not (Purchase.objects.exists() or Order.objects.exists() or OrderLine.objects.exists())


def refused(user, code: str, **kwargs) -> CandorError:
    with pytest.raises(CandorError) as caught:
        f.place(user, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


# --- What a purchase holds ------------------------------------------------------------------


def test_totals_and_shipping_fee_are_integer_fen(member):
    merchant = f.make_merchant()
    cheap = f.make_sku(merchant=merchant, price_fen=3333)
    other = f.make_sku(merchant=merchant, price_fen=1001)
    purchase = f.place(member, lines={cheap.pk: 2, other.pk: 1})
    order = f.only_order(purchase)
    assert (order.goods_fen, order.shipping_fen, order.total_fen) == (7667, 800, 8467)
    assert purchase.total_fen == 8467 and isinstance(purchase.total_fen, int)
    assert sorted((line.unit_price_fen, line.quantity) for line in order.lines.all()) == [
        (1001, 1),
        (3333, 2),
    ]


def test_shipping_is_free_from_the_threshold(member):
    sku = f.make_sku(price_fen=3300)
    order = f.only_order(f.buy(member, sku, 3))  # 9900 fen exactly
    assert (order.goods_fen, order.shipping_fen, order.total_fen) == (9900, 0, 9900)


def test_one_order_per_merchant_each_with_its_own_shipping(member):
    first, second = f.make_merchant(), f.make_merchant()
    a1 = f.make_sku(merchant=first, price_fen=2000)
    a2 = f.make_sku(merchant=first, price_fen=8000)
    b1 = f.make_sku(merchant=second, price_fen=1500)
    for sku in (a1, a2, b1):
        f.add_to_cart(member, sku)
    purchase = f.place(member)
    orders = {order.merchant_id: order for order in purchase.orders.all()}
    assert set(orders) == {first.pk, second.pk}
    assert {line.sku_id for line in orders[first.pk].lines.all()} == {a1.pk, a2.pk}
    assert {line.sku_id for line in orders[second.pk].lines.all()} == {b1.pk}
    assert (orders[first.pk].shipping_fen, orders[first.pk].total_fen) == (0, 10000)
    assert (orders[second.pk].shipping_fen, orders[second.pk].total_fen) == (800, 2300)
    assert purchase.total_fen == 12300
    assert all(o.buyer_id == member.pk and o.purchase_id == purchase.pk for o in orders.values())


def test_the_recipient_is_copied_from_the_saved_address(member):
    order = f.only_order(f.buy(member, f.make_sku()))
    order = Order.objects.get(pk=order.pk)
    assert (order.recipient_name, order.recipient_phone, order.address_detail) == (
        f.RECIPIENT["recipient_name"], f.RECIPIENT["mobile"], f.RECIPIENT["detail"],
    )  # fmt: skip
    assert (order.province, order.city, order.district) == ("浙江省", "杭州市", "西湖区")


def test_landline_and_email_are_optional(member):
    order = f.only_order(f.buy(member, f.make_sku(), email=""))
    order = Order.objects.get(pk=order.pk)
    assert order.landline is None and order.email is None
    assert order.recipient_name and order.recipient_phone and order.address_detail


def test_landline_and_email_are_kept_when_given():
    typed_in = {**f.RECIPIENT, "landline": "0571-88886666"}
    user = f.make_member(address=False)
    order = f.only_order(f.buy(user, f.make_sku(), recipient=typed_in, email="li@example.com"))
    order = Order.objects.get(pk=order.pk)
    assert (order.landline, order.email) == ("0571-88886666", "li@example.com")


def test_a_typed_in_recipient_missing_the_mobile_is_refused_naming_it():
    user = f.make_member(address=False)
    sku = f.make_sku()
    error = refused(user, "checkout_invalid", lines={sku.pk: 1}, recipient={**f.RECIPIENT, "mobile": ""})
    assert "mobile" in error.fields
    assert f.stock_of(sku) == 10 and nothing_placed()


def test_ordering_for_someone_else_needs_their_agreement(member):
    sku = f.make_sku()
    error = refused(member, "checkout_invalid", lines={sku.pk: 1}, for_someone_else=True)
    assert set(error.fields) == {"recipient_agreed"}
    assert f.stock_of(sku) == 10 and nothing_placed()

    order = f.only_order(f.buy(member, sku, for_someone_else=True, recipient_agreed=True))
    assert order.for_someone_else is True


@pytest.mark.parametrize("tax_number", ["12345", "91330106MA2B3C4D5", "91330106ma2b3c4d5e-"])
def test_a_malformed_tax_number_is_refused(member, tax_number):
    sku = f.make_sku()
    error = refused(
        member,
        "checkout_invalid",
        lines={sku.pk: 1},
        invoice_title="杭州某某科技有限公司",
        tax_number=tax_number,
    )
    assert set(error.fields) == {"tax_number"}
    assert f.stock_of(sku) == 10 and nothing_placed()


@pytest.mark.parametrize("tax_number", ["91330106ma2b3c4d5e", "330106123456789", "33010612345678901234"])
def test_a_tax_number_of_15_18_or_20_characters_is_kept_in_capitals(member, tax_number):
    order = f.only_order(
        f.buy(member, f.make_sku(), invoice_title="杭州某某科技有限公司", tax_number=tax_number)
    )
    assert (order.tax_number, order.invoice_title) == (tax_number.upper(), "杭州某某科技有限公司")


def test_a_tax_number_needs_the_invoice_title(member):
    sku = f.make_sku()
    error = refused(member, "checkout_invalid", lines={sku.pk: 1}, tax_number="91330106MA2B3C4D5E")
    assert set(error.fields) == {"invoice_title"}
    assert nothing_placed()


def test_order_numbers_are_20_digits_and_all_differ(member):
    merchants = [f.make_merchant() for _ in range(3)]
    for merchant in merchants:
        f.add_to_cart(member, f.make_sku(merchant=merchant))
    purchases = [f.place(member)] + [f.buy(member, f.make_sku()) for _ in range(3)]
    numbers = [p.number for p in purchases] + list(Order.objects.values_list("number", flat=True))
    assert len(numbers) == 4 + 6
    assert all(len(n) == 20 and n.isdigit() for n in numbers), numbers
    assert len(set(numbers)) == len(numbers)


# --- Retrying ---------------------------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_same_purchase_and_reserves_once(member):
    sku = f.make_sku(stock=10)
    form = f.checkout_form(user=member, lines={sku.pk: 3})
    first, created = purchase_place(user=member, idempotency_key="retry-key-1", form=form, client=f.CLIENT)
    again, created_again = purchase_place(
        user=member, idempotency_key="retry-key-1", form=form, client=f.CLIENT
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.number == first.number
    assert f.stock_of(sku) == 7
    assert Purchase.objects.count() == 1 and Order.objects.count() == 1 and OrderLine.objects.count() == 1


def test_the_same_key_from_another_buyer_is_another_purchase(member):
    sku = f.make_sku(stock=10)
    other = f.make_member()
    mine = f.buy(member, sku, 1, key="shared-key-1")
    theirs = f.buy(other, sku, 1, key="shared-key-1")
    assert mine.pk != theirs.pk and theirs.buyer_id == other.pk
    assert f.stock_of(sku) == 8


@pytest.mark.parametrize("key", ["short", "has space in it", "x" * 65, "", "键键键键键键键键"])
def test_a_malformed_idempotency_key_is_refused(member, key):
    sku = f.make_sku()
    with pytest.raises(CandorError) as caught:
        purchase_place(
            user=member,
            idempotency_key=key,
            form=f.checkout_form(user=member, lines={sku.pk: 1}),
            client=f.CLIENT,
        )
    assert caught.value.code == "idempotency_key_invalid"
    assert f.stock_of(sku) == 10 and nothing_placed()


# --- Refusals reserve nothing ---------------------------------------------------------------


def test_an_empty_cart_is_refused(member):
    refused(member, "cart_empty")
    assert nothing_placed()


def test_an_off_sale_sku_is_refused_and_nothing_is_reserved(member):
    fine = f.make_sku(stock=10)
    off = f.make_sku(stock=10, active=False)
    f.add_to_cart(member, fine)
    f.add_to_cart(member, off)
    error = refused(member, "out_of_stock")
    assert error.extra["sku_id"] == off.pk
    assert (f.stock_of(fine), f.stock_of(off)) == (10, 10) and nothing_placed()
    assert CartItem.objects.filter(user=member).count() == 2


def test_a_product_taken_off_sale_is_refused(member):
    sku = f.make_sku(product_active=False)
    refused(member, "out_of_stock", lines={sku.pk: 1})
    assert f.stock_of(sku) == 10 and nothing_placed()


def test_an_unknown_sku_is_refused(member):
    refused(member, "out_of_stock", lines={987654: 1})
    assert nothing_placed()


def test_not_enough_stock_rolls_back_the_lines_already_reserved(member):
    merchant = f.make_merchant()
    plenty = f.make_sku(merchant=merchant, stock=10)
    short = f.make_sku(merchant=merchant, stock=2)
    # The first line is reserved before the second fails: the rollback must give it back.
    error = refused(member, "out_of_stock", lines={plenty.pk: 4, short.pk: 3})
    assert error.extra == {"sku_id": short.pk, "available": 2}
    assert (f.stock_of(plenty), f.stock_of(short)) == (10, 2) and nothing_placed()


def test_a_later_merchant_short_of_stock_rolls_back_the_earlier_orders(member):
    plenty = f.make_sku(stock=10)
    short = f.make_sku(stock=1)
    f.add_to_cart(member, plenty, 2)
    f.add_to_cart(member, short, 5)
    refused(member, "out_of_stock")
    assert (f.stock_of(plenty), f.stock_of(short)) == (10, 1) and nothing_placed()
    assert CartItem.objects.filter(user=member).count() == 2


def test_the_last_units_can_be_bought_and_then_no_more(member):
    sku = f.make_sku(stock=3)
    f.buy(member, sku, 3)
    assert f.stock_of(sku) == 0
    refused(member, "out_of_stock", lines={sku.pk: 1})
    assert f.stock_of(sku) == 0 and Purchase.objects.count() == 1


def test_a_changed_price_is_refused_until_the_buyer_confirms_the_new_total(member):
    sku = f.make_sku(price_fen=5000, stock=10)
    Sku.objects.filter(pk=sku.pk).update(price_fen=5500)  # the merchant raised it meanwhile
    error = refused(member, "price_changed", lines={sku.pk: 2}, expected_total_fen=2 * 5000)
    assert error.extra == {"expected_total_fen": 10000, "total_fen": 11000}
    assert f.stock_of(sku) == 10 and nothing_placed()

    purchase = f.buy(member, sku, 2, expected_total_fen=11000)
    assert purchase.total_fen == 11000


def test_a_refusal_reserves_nothing_in_any_warehouse(member):
    sku = f.make_sku(stock=2)
    Stock.objects.create(sku=sku, warehouse="WH-SH", quantity=2)
    # Four in all: five are refused with the four named, and neither warehouse is touched,
    # although the first part was taken before the shortfall was known.
    error = refused(member, "out_of_stock", lines={sku.pk: 5})
    assert error.extra == {"sku_id": sku.pk, "available": 4}
    assert sorted(Stock.objects.filter(sku=sku).values_list("quantity", flat=True)) == [2, 2]
    assert nothing_placed()


def test_units_spread_over_warehouses_are_sold_as_the_cart_counted_them(member):
    sku = f.make_sku(stock=3)
    shanghai = Stock.objects.create(sku=sku, warehouse="WH-SH", quantity=2)
    purchase = f.buy(member, sku, 5)
    lines = list(OrderLine.objects.filter(order__purchase=purchase).order_by("id"))
    # One line per warehouse, the fuller first, each holding its own reservation.
    assert [(line.stock.warehouse, line.quantity) for line in lines] == [
        (Stock.objects.exclude(pk=shanghai.pk).get(sku=sku).warehouse, 3), ("WH-SH", 2),
    ]  # fmt: skip
    assert purchase.total_fen == 5 * sku.price_fen
    assert list(Stock.objects.filter(sku=sku).values_list("quantity", flat=True)) == [0, 0]


def test_one_warehouse_that_has_them_all_ships_them_in_one_parcel(member):
    sku = f.make_sku(stock=2)
    Stock.objects.create(sku=sku, warehouse="WH-SH", quantity=6)
    line = OrderLine.objects.get(order__purchase=f.buy(member, sku, 3))
    assert (line.stock.warehouse, line.quantity) == ("WH-SH", 3)
    assert sorted(Stock.objects.filter(sku=sku).values_list("quantity", flat=True)) == [2, 3]


def test_cancelling_a_split_line_gives_each_warehouse_its_units_back(member):
    from candor.orders import services

    sku = f.make_sku(stock=3)
    Stock.objects.create(sku=sku, warehouse="WH-SH", quantity=2)
    purchase = f.buy(member, sku, 5)
    order = purchase.orders.get()
    services.order_cancel(order_id=order.pk, actor_id=member.pk, reason="buyer")
    assert sorted(Stock.objects.filter(sku=sku).values_list("quantity", flat=True)) == [2, 3]


# --- The cart ---------------------------------------------------------------------------------


def test_checking_out_the_cart_removes_the_bought_lines(member):
    a, b = f.make_sku(), f.make_sku()
    f.add_to_cart(member, a, 2)
    f.add_to_cart(member, b, 1)
    other = f.make_member()
    f.add_to_cart(other, a, 1)
    purchase = f.place(member)
    bought = dict(OrderLine.objects.filter(order__purchase=purchase).values_list("sku_id", "quantity"))
    assert bought == {a.pk: 2, b.pk: 1}
    assert not CartItem.objects.filter(user=member).exists()
    assert CartItem.objects.filter(user=other).count() == 1  # someone else's cart is theirs


def test_buy_now_leaves_the_cart_alone(member):
    in_cart, bought_now = f.make_sku(), f.make_sku()
    f.add_to_cart(member, in_cart, 2)
    f.add_to_cart(member, bought_now, 1)
    purchase = f.buy(member, bought_now, 3)
    assert list(OrderLine.objects.filter(order__purchase=purchase).values_list("sku_id", "quantity")) == [
        (bought_now.pk, 3)
    ]
    assert dict(CartItem.objects.filter(user=member).values_list("sku_id", "quantity")) == {
        in_cart.pk: 2, bought_now.pk: 1,
    }  # fmt: skip


def test_each_line_keeps_its_reservation(member):
    skus = [f.make_sku(stock=5) for _ in range(3)]
    for sku in skus:
        f.add_to_cart(member, sku, 2)
    f.place(member)
    lines = list(OrderLine.objects.all())
    assert len(lines) == 3
    assert all(line.stock_id is not None and line.released_at is None for line in lines)
    assert [f.stock_of(sku) for sku in skus] == [3, 3, 3]


def test_a_service_is_not_stocked(member):
    service = f.make_sku(stock=None, is_service=True)
    line = OrderLine.objects.get(order__purchase=f.buy(member, service, 2))
    assert line.stock_id is None and line.quantity == 2


def test_another_members_saved_address_cannot_be_used(member):
    stranger = f.make_member()
    sku = f.make_sku()
    with pytest.raises(CandorError):
        f.buy(member, sku, address_id=stranger.test_address.pk)
    assert f.stock_of(sku) == 10 and nothing_placed()


# --- The same key twice at once (PostgreSQL: real connections) --------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent connections; SQLite's in-memory test database is one shared cache "
    "whose table locks fail at once instead of waiting",
)
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_make_one_purchase_and_reserve_once():
    member = f.make_member()
    sku = f.make_sku(stock=10)
    form = f.checkout_form(user=member, lines={sku.pk: 2})
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def run() -> None:
        try:
            start.wait()
            purchase, created = purchase_place(user=member, idempotency_key="same-key-at-once", form=form,
                                               client=f.CLIENT)  # fmt: skip
            results.append((purchase.pk, created))
        except BaseException as exc:  # reported to the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len({pk for pk, _created in results}) == 1
    assert sorted(created for _pk, created in results) == [False, False, False, True]
    assert f.stock_of(sku) == 8
    assert Purchase.objects.count() == 1 and OrderLine.objects.count() == 1
