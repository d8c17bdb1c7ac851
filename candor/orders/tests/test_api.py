"""``/api/v1/orders`` and ``/api/v1/merchant/orders``: each endpoint's happy path; the same key
places one purchase; refused input is a clear 4xx in zh and en that reserved nothing and created
no purchase; someone else's order is 404 on every endpoint and stays as it was; a merchant's
staff reach only their merchant's orders, with the buyer masked."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from candor.addresses.services import address_create
from candor.cart.models import CartItem
from candor.fulfillment.models import Shipment
from candor.orders.errors import CartEmpty, IdempotencyKeyInvalid, OrderNotFound
from candor.orders.models import Order, OrderLine, Purchase, SpecialDetails
from candor.orders.tests.factories import ID_NUMBER, RECIPIENT, Api, fill_cart, new_key, place, stock_of
from candor.privacy import taxonomy
from candor.privacy.models import DisclosureRecord

pytestmark = pytest.mark.django_db


def in_language(lang: str, message) -> str:
    with translation.override(lang):
        return str(message)


def snapshot(order: Order) -> tuple:
    order.refresh_from_db()
    return (order.status, order.buyer_deleted_at, order.cancelled_at, order.completed_at, order.shipped_at)


# --- placing an order ---------------------------------------------------------------------------


def test_order_from_the_cart_then_the_same_key_again(api, client, alice, make_sku, merchant_y):
    client.force_login(alice)
    a, b = make_sku(price_fen=5000, stock=5), make_sku(merchant=merchant_y, price_fen=12000, stock=3)
    fill_cart(alice, (a, 2), (b, 1))
    key = new_key()
    first = api.order({"payment_method": "alipay", "recipient": RECIPIENT}, key=key)
    assert first.status_code == 201, first.content
    body = first.json()
    # Shop X: 100 yuan of goods ships free (from 99); shop Y: 120 yuan, free too.
    assert body["total_fen"] == 2 * 5000 + 12000
    assert body["status"] == "pending" and body["payment_method"] == "alipay"
    assert sorted(o["merchant_name"] for o in body["orders"]) == ["Shop X", "Shop Y"]
    assert stock_of(a) == 3 and stock_of(b) == 2
    assert not CartItem.objects.filter(user=alice).exists()

    again = api.order({"payment_method": "alipay", "recipient": RECIPIENT}, key=key)
    assert again.status_code == 200
    assert again.json() == body
    assert Purchase.objects.count() == 1 and Order.objects.count() == 2
    assert stock_of(a) == 3


def test_buy_now_lines_to_an_address_of_the_book_with_shipping(api, client, alice, make_sku):
    client.force_login(alice)
    cheap, kept = make_sku(price_fen=1500, stock=4), make_sku(stock=2)
    fill_cart(alice, (kept, 1))
    address = address_create(user=alice, **{**RECIPIENT, "landline": "0571-88886666"})
    response = api.order({
        "payment_method": "cod", "address_id": address.pk, "lines": [{"sku_id": cheap.pk, "quantity": 2}],
        "email": "alice@example.com", "note": "请放门卫", "expected_total_fen": 2 * 1500 + 800,
    })  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "confirmed" and body["total_fen"] == 3800
    assert body["orders"][0]["shipping_fen"] == 800 and body["orders"][0]["status"] == "to_ship"
    order = Order.objects.get()
    assert order.recipient_phone == "13812348000" and order.landline == "0571-88886666"
    assert CartItem.objects.filter(user=alice, sku=kept).exists()  # buy now leaves the cart alone
    assert stock_of(cheap) == 2


def test_special_goods_need_their_details(api, client, alice, make_sku):
    client.force_login(alice)
    card = make_sku(special="phone_card", price_fen=10000)
    fill_cart(alice, (card, 1))
    refused = api.order({"payment_method": "cod", "recipient": RECIPIENT})
    assert refused.status_code == 400
    assert set(refused.json()["fields"]) == {
        f"special.{card.pk}.holder_name",
        f"special.{card.pk}.holder_id_number",
    }
    assert stock_of(card) == 5 and not Purchase.objects.exists()

    special = {str(card.pk): {"holder_name": "张三", "holder_id_number": ID_NUMBER}}
    placed = api.order({"payment_method": "cod", "recipient": RECIPIENT, "special": special})
    assert placed.status_code == 201, placed.content
    details = SpecialDetails.objects.get()
    assert details.kind == "phone_card" and details.holder_id_number == ID_NUMBER


def _refusal(api, alice, make_sku, case):
    sku = make_sku(price_fen=20000, stock=2)
    fill_cart(alice, (sku, 1))
    body = {"payment_method": "alipay", "recipient": RECIPIENT}
    key = new_key()
    if case == "empty_cart":
        CartItem.objects.all().delete()
    elif case == "missing_recipient":
        body["recipient"] = {**RECIPIENT, "recipient_name": " "}
    elif case == "bad_phone":
        body["recipient"] = {**RECIPIENT, "mobile": "1234"}
    elif case == "out_of_stock":
        CartItem.objects.filter(user=alice).update(quantity=3)
    elif case == "price_changed":
        body["expected_total_fen"] = 19900
    elif case == "bad_key":
        key = "short"
    elif case == "unknown_method":
        body["payment_method"] = "bitcoin"
    elif case == "someone_for_without_consent":
        body["for_someone_else"] = True
    return sku, body, key


@pytest.mark.parametrize(
    ("case", "status", "code", "field"),
    [
        ("empty_cart", 400, "cart_empty", None),
        ("missing_recipient", 400, "checkout_invalid", "recipient_name"),
        ("bad_phone", 400, "checkout_invalid", "mobile"),
        ("out_of_stock", 409, "out_of_stock", None),
        ("price_changed", 409, "price_changed", None),
        ("bad_key", 400, "idempotency_key_invalid", None),
        ("unknown_method", 400, "checkout_invalid", "payment_method"),
        ("someone_for_without_consent", 400, "checkout_invalid", "recipient_agreed"),
    ],
)
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_refusals_are_clear_and_change_nothing(api, client, alice, make_sku, case, status, code, field, lang):
    client.force_login(alice)
    sku, body, key = _refusal(api, alice, make_sku, case)
    before = stock_of(sku)
    response = api.order(body, key=key, lang=lang)
    assert response.status_code == status, response.content
    error = response.json()
    assert error["code"] == code and error["message"]
    if field:
        assert field in error["fields"]
    if case == "empty_cart":
        assert error["message"] == in_language(lang, CartEmpty().message)
    if case == "bad_key":
        assert error["message"] == in_language(lang, IdempotencyKeyInvalid().message)
    if case == "price_changed":
        assert error["total_fen"] == 20000 and error["expected_total_fen"] == 19900
    assert stock_of(sku) == before
    assert not Purchase.objects.exists() and not OrderLine.objects.exists()


def test_missing_key_bad_json_and_no_login(api, client, alice, make_sku):
    fill_cart(alice, (make_sku(), 1))
    assert api.call("post", "/orders", {"payment_method": "cod", "recipient": RECIPIENT}).status_code == 401
    client.force_login(alice)
    no_key = api.call("post", "/orders", {"payment_method": "cod", "recipient": RECIPIENT})
    assert no_key.status_code == 400 and no_key.json()["code"] == "idempotency_key_invalid"
    broken = api.call("post", "/orders", "{not json", HTTP_IDEMPOTENCY_KEY=new_key())
    assert broken.status_code == 400
    wrong_type = api.order({"payment_method": "cod", "lines": [{"sku_id": "x", "quantity": 1}]})
    assert wrong_type.status_code == 422
    bad_special = api.order({"payment_method": "cod", "recipient": RECIPIENT, "special": {"abc": {}}})
    assert bad_special.status_code == 400
    assert not Purchase.objects.exists()


def test_a_session_write_needs_the_csrf_token(alice, make_sku):
    fill_cart(alice, (make_sku(), 1))
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    response = Api(browser).order({"payment_method": "cod", "recipient": RECIPIENT})
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    assert not Purchase.objects.exists()


# --- the buyer's orders -------------------------------------------------------------------------


def test_list_filters_and_pages(api, client, alice, make_sku):
    client.force_login(alice)
    sku = make_sku(stock=50)
    for _n in range(11):
        place(alice, payment_method="cod", lines={sku.pk: 1})
    pending = place(alice, payment_method="alipay", lines={sku.pk: 1})
    everything = api.call("get", "/orders").json()
    assert everything["count"] == 12 and everything["pages"] == 2 and len(everything["items"]) == 10
    assert len(api.call("get", "/orders?page=2").json()["items"]) == 2
    assert api.call("get", "/orders?page=3").json()["items"] == []
    to_pay = api.call("get", "/orders?status=pending_payment").json()
    assert [item["purchase_number"] for item in to_pay["items"]] == [pending.number]
    assert to_pay["items"][0]["actions"] == ["pay", "cancel"]
    assert api.call("get", "/orders?status=to_ship").json()["count"] == 11
    unknown = api.call("get", "/orders?status=lost", lang="zh-hans")
    assert unknown.status_code == 400 and unknown.json()["code"] == "status_invalid"
    assert api.call("get", "/orders?page=0").status_code == 422
    assert api.call("get", "/orders?page=abc").status_code == 422


def test_detail_shows_the_recipient_masked(api, client, alice, make_sku):
    client.force_login(alice)
    purchase = place(alice, payment_method="cod", lines={make_sku().pk: 1}, email="alice@example.com")
    order = purchase.orders.get()
    response = api.call("get", f"/orders/{order.number}")
    assert response.status_code == 200
    body = response.json()
    assert body["recipient"]["name"] == "张*"
    assert body["recipient"]["mobile"] == "138****8000"
    assert body["recipient"]["address"] == "浙江省杭州市西湖区****"
    assert body["recipient"]["email"] == "a***e@example.com"
    assert "13812348000" not in response.content.decode() and "文三路" not in response.content.decode()
    assert [step["key"] for step in body["timeline"]] == ["created"]
    assert body["lines"][0]["quantity"] == 1 and body["shipment"] is None


def test_cancel_gives_the_stock_back(api, client, alice, make_sku):
    client.force_login(alice)
    sku = make_sku(stock=3)
    order = place(alice, payment_method="alipay", lines={sku.pk: 2}).orders.get()
    assert stock_of(sku) == 1
    response = api.call("post", f"/orders/{order.number}/cancel")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled" and response.json()["actions"] == ["delete"]
    assert stock_of(sku) == 3
    again = api.call("post", f"/orders/{order.number}/cancel", lang="zh-hans")
    assert again.status_code == 409 and again.json()["code"] == "order_state"


def test_cancelling_one_order_of_an_unpaid_purchase_cancels_the_purchase(
    api, client, alice, make_sku, merchant_y
):
    """Issue #6: the purchase is paid for its total in one go, so none of it may stay to pay."""
    a, b = make_sku(price_fen=10000), make_sku(merchant=merchant_y, price_fen=2000)
    purchase = place(alice, payment_method="alipay", lines={a.pk: 1, b.pk: 1})
    first, second = purchase.orders.order_by("id")
    client.force_login(alice)
    response = api.call("post", f"/orders/{first.number}/cancel")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled" and response.json()["cancelled_with"] == [second.number]
    assert api.call("get", f"/orders/{second.number}").json()["status"] == "cancelled"
    assert (stock_of(a), stock_of(b)) == (5, 5)
    paying = api.call("post", f"/purchases/{purchase.number}/pay", {"method": "alipay"})
    assert paying.status_code == 409 and not purchase.payments.exists()


def test_ship_track_confirm_and_delete(api, client, alice, make_sku, staff_x):
    sku = make_sku()
    order = place(alice, payment_method="cod", lines={sku.pk: 1}).orders.get()
    client.force_login(staff_x)
    shipped = api.call("post", f"/merchant/orders/{order.number}/ship", {})
    assert shipped.status_code == 200, shipped.content
    waybill = shipped.json()["waybill_no"]
    assert Shipment.objects.get(order=order).waybill_no == waybill
    again = api.call("post", f"/merchant/orders/{order.number}/ship", {})
    assert again.status_code == 409

    from candor.integrations.carrier import simulator

    simulator.advance(waybill)
    client.force_login(alice)
    tracking = api.call("get", f"/orders/{order.number}/tracking").json()
    assert tracking["waybill_no"] == waybill and [e["state"] for e in tracking["events"]] == ["collected"]

    assert api.call("delete", f"/orders/{order.number}").status_code == 409  # still open
    confirmed = api.call("post", f"/orders/{order.number}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "completed"
    assert api.call("delete", f"/orders/{order.number}").status_code == 204
    assert api.call("get", f"/orders/{order.number}").status_code == 404
    assert api.call("get", "/orders").json()["count"] == 0
    assert Order.objects.filter(pk=order.pk, buyer_deleted_at__isnull=False).exists()  # the record stays


# --- someone else's order -----------------------------------------------------------------------

OTHERS = [
    ("get", "/orders/{n}", None),
    ("post", "/orders/{n}/cancel", None),
    ("post", "/orders/{n}/confirm", None),
    ("delete", "/orders/{n}", None),
    ("get", "/orders/{n}/tracking", None),
    ("post", "/purchases/{p}/pay", {"method": "alipay"}),
]


@pytest.mark.parametrize(("method", "path", "data"), OTHERS)
@pytest.mark.parametrize("status", ["pending", "shipped", "completed"])
def test_someone_elses_order_is_not_found(api, client, alice, bob, make_sku, method, path, data, status):
    sku = make_sku()
    purchase = place(alice, payment_method="alipay" if status == "pending" else "cod", lines={sku.pk: 1})
    order = purchase.orders.get()
    if status != "pending":
        Order.objects.filter(pk=order.pk).update(status=status)
    before, stock_before = snapshot(order), stock_of(sku)
    client.force_login(bob)
    response = api.call(method, path.format(n=order.number, p=purchase.number), data, lang="zh-hans")
    assert response.status_code == 404
    assert response.json()["code"] == "order_not_found"
    assert response.json()["message"] == in_language("zh-hans", OrderNotFound().message)
    assert snapshot(order) == before and stock_of(sku) == stock_before
    assert not purchase.payments.exists()


# --- merchants ----------------------------------------------------------------------------------


def test_merchant_staff_see_only_their_orders_masked(api, client, alice, bob, make_sku, merchant_y, staff_x):
    ours = place(alice, lines={make_sku().pk: 1}, note="下午送", payment_method="cod").orders.get()
    theirs = place(bob, lines={make_sku(merchant=merchant_y).pk: 1}, payment_method="cod").orders.get()
    client.force_login(staff_x)
    listed = api.call("get", "/merchant/orders").json()
    assert [item["number"] for item in listed["items"]] == [ours.number]
    detail = api.call("get", f"/merchant/orders/{ours.number}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["recipient"]["mobile"] == "138****8000" and body["recipient"]["name"] == "张*"
    assert body["note"] == "下******" and body["lines"][0]["quantity"] == 1  # the label shows it
    assert "13812348000" not in detail.content.decode() and "下午送" not in detail.content.decode()
    assert api.call("get", f"/merchant/orders/{theirs.number}").status_code == 404
    assert api.call("get", "/merchant/orders?status=to_ship").json()["count"] == 1
    assert api.call("get", "/merchant/orders?status=nope").status_code == 400


def test_merchant_views_mask_the_note_and_warehouse_and_the_label_discloses_them(
    api, client, alice, make_sku, staff_x
):
    ours = place(
        alice, lines={make_sku().pk: 1}, note="放门卫室", warehouse_name="华东一号仓", payment_method="cod"
    ).orders.get()
    client.force_login(staff_x)
    listed = api.call("get", "/merchant/orders").content.decode()
    detail = api.call("get", f"/merchant/orders/{ours.number}").content.decode()
    for text in (listed, detail):
        assert "放门卫室" not in text and "华东一号仓" not in text
    assert not DisclosureRecord.objects.exists()  # reading the list discloses nothing

    label = api.call("post", f"/merchant/orders/{ours.number}/label")
    assert label.status_code == 200, label.content
    body = label.json()
    assert (body["note"], body["warehouse_name"], body["recipient_phone"]) == (
        "放门卫室",
        "华东一号仓",
        "13812348000",
    )
    (record,) = DisclosureRecord.objects.all()
    assert (record.recipient, record.actor_id) == (taxonomy.MERCHANT.code, staff_x.pk)
    assert "note" in record.fields and "warehouse_name" in record.fields


def test_merchant_staff_without_the_ship_permission_can_neither_ship_nor_print(
    api, client, alice, make_sku, staff_x
):
    order = place(alice, lines={make_sku().pk: 1}, payment_method="cod").orders.get()
    staff_x.user_permissions.clear()
    client.force_login(staff_x)
    for path in (f"/merchant/orders/{order.number}/ship", f"/merchant/orders/{order.number}/label"):
        response = api.call("post", path, {})
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    order.refresh_from_db()
    assert order.status == "to_ship" and not Shipment.objects.exists()
    assert not DisclosureRecord.objects.exists()


def test_merchant_cannot_ship_another_merchants_order(api, client, alice, make_sku, merchant_y, staff_x):
    theirs = place(alice, lines={make_sku(merchant=merchant_y).pk: 1}, payment_method="cod").orders.get()
    client.force_login(staff_x)
    response = api.call("post", f"/merchant/orders/{theirs.number}/ship", {})
    assert response.status_code == 404 and response.json()["code"] == "order_not_found"
    theirs.refresh_from_db()
    assert theirs.status == "to_ship" and not Shipment.objects.exists()


def test_a_buyer_is_no_merchant(api, client, alice, make_sku):
    order = place(alice, lines={make_sku().pk: 1}, payment_method="cod").orders.get()
    client.force_login(alice)
    assert api.call("get", "/merchant/orders").json()["count"] == 0
    assert api.call("get", f"/merchant/orders/{order.number}").status_code == 404
    assert api.call("post", f"/merchant/orders/{order.number}/ship", {}).status_code == 404
    assert not Shipment.objects.exists()


# --- paying -------------------------------------------------------------------------------------


def test_pay_online_then_cancel_refunds(api, client, alice, make_sku):
    from candor.integrations.payment import simulator
    from candor.payments.models import Refund

    client.force_login(alice)
    sku = make_sku(stock=2)
    purchase = place(alice, payment_method="alipay", lines={sku.pk: 1})
    order = purchase.orders.get()
    start = api.call("post", f"/purchases/{purchase.number}/pay", {"method": "alipay"})
    assert start.status_code == 200, start.content
    assert start.json()["method"] == "GET" and start.json()["url"].startswith("/_sim/pay/alipay/")
    assert client.get(start.json()["url"]).status_code in (200, 302)  # the buyer's browser opens it
    simulator.pay("alipay", purchase.number)
    paid = api.call("get", f"/orders/{order.number}").json()
    assert paid["status"] == "to_ship" and [s["key"] for s in paid["timeline"]] == ["created", "paid"]
    assert api.call("post", f"/purchases/{purchase.number}/pay", {"method": "alipay"}).status_code == 409

    cancelled = api.call("post", f"/orders/{order.number}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    refund = Refund.objects.get(order=order)
    assert refund.status == "succeeded" and refund.amount_fen == order.total_fen
    assert stock_of(sku) == 2


def test_pay_refusals(api, client, alice, make_sku):
    client.force_login(alice)
    online = place(alice, payment_method="alipay", lines={make_sku().pk: 1})
    cod = place(alice, payment_method="cod", lines={make_sku().pk: 1})
    unknown = api.call("post", f"/purchases/{online.number}/pay", {"method": "cash"}, lang="zh-hans")
    assert unknown.status_code == 400 and unknown.json()["code"] == "payment_method_invalid"
    assert api.call("post", f"/purchases/{cod.number}/pay", {"method": "alipay"}).status_code == 409
    assert api.call("post", "/purchases/nope/pay", {"method": "alipay"}).status_code == 404
    assert not online.payments.exists() and not cod.payments.exists()
