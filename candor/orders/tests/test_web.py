"""The buyer's order pages: checkout from the cart (cash on delivery, online, remittance, a
special good), refusals shown on the page in the buyer's language with what they typed kept and
nothing reserved, one purchase per rendered page however often it is submitted, "我的订单" with
its tabs and pages, an order's page masked, its buttons, and someone else's order as a 404."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from candor.addresses.services import address_create
from candor.cart.models import CartItem
from candor.fulfillment.services import shipment_create
from candor.orders.errors import CartEmpty
from candor.orders.models import Order, Purchase, SpecialDetails
from candor.orders.tests.factories import IMEI, RECIPIENT, fill_cart, place, stock_of

pytestmark = pytest.mark.django_db

CHECKOUT = "/orders/checkout/"


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no hidden {name}"
    return found[1]


def checkout_post(client, *, lang="en", **fields):
    """Render the checkout page, then submit it as the buyer would (the page's key and total)."""
    page = client.get(CHECKOUT, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    data = {
        "idempotency_key": hidden(page, "idempotency_key"),
        "expected_total_fen": hidden(page, "expected_total_fen"),
        "address_id": "new",
        "payment_method": "cod",
        **RECIPIENT,
        **fields,
    }
    return data, client.post(CHECKOUT, data, HTTP_ACCEPT_LANGUAGE=lang)


def test_cart_and_me_lead_to_checkout_and_my_orders(client, alice, make_sku):
    client.force_login(alice)
    fill_cart(alice, (make_sku(), 1))
    assert reverse("orders:checkout") in client.get("/cart/").content.decode()
    assert reverse("orders:list") in client.get("/me/").content.decode()
    client.logout()
    assert client.get(CHECKOUT).status_code == 302  # to the login page


def test_checkout_page_shows_lines_shipping_totals_and_a_fresh_key(client, alice, make_sku):
    client.force_login(alice)
    sku = make_sku(price_fen=3000)
    fill_cart(alice, (sku, 2))
    page = client.get(CHECKOUT, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert sku.product.name_en in page
    assert "¥8.00" in page  # 60 yuan of goods: under the free-shipping threshold
    assert hidden(page, "expected_total_fen") == "6800" and "¥68.00" in page
    again = client.get(CHECKOUT).content.decode()
    assert hidden(page, "idempotency_key") != hidden(again, "idempotency_key")
    for method in ("alipay", "wechatpay", "unionpay", "cod", "remittance"):
        assert f'value="{method}"' in page


def test_cash_on_delivery_checkout(client, alice, make_sku):
    client.force_login(alice)
    sku = make_sku(price_fen=12000, stock=3)
    fill_cart(alice, (sku, 1))
    _data, response = checkout_post(client, landline="0571-88886666", email="a@example.com", note="下午送")
    assert response.status_code == 302 and response["Location"] == reverse("orders:list")
    purchase = Purchase.objects.get()
    order = purchase.orders.get()
    assert purchase.status == "confirmed" and order.status == "to_ship" and order.total_fen == 12000
    assert order.recipient_name == "张三" and order.landline == "0571-88886666" and order.note == "下午送"
    assert stock_of(sku) == 2 and not CartItem.objects.filter(user=alice).exists()
    listing = client.get(reverse("orders:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert order.number in listing and "Pay the courier" in listing


def test_submitting_one_page_twice_places_one_purchase(client, alice, make_sku):
    client.force_login(alice)
    sku = make_sku(stock=5)
    fill_cart(alice, (sku, 1))
    data, first = checkout_post(client, payment_method="alipay")
    second = client.post(CHECKOUT, data)
    purchase = Purchase.objects.get()
    assert first["Location"] == second["Location"] == reverse("payments:pay", args=[purchase.number])
    assert stock_of(sku) == 4


def test_remittance_goes_to_the_upload_page(client, alice, make_sku):
    client.force_login(alice)
    fill_cart(alice, (make_sku(), 1))
    _data, refused = checkout_post(client, payment_method="remittance")
    assert refused.status_code == 400 and not Purchase.objects.exists()
    business = {
        "invoice_title": "坦诚科技有限公司",
        "tax_number": "91330100MA2XXXXX1Y",
        "warehouse_name": "杭州一号仓",
    }
    _data, response = checkout_post(client, payment_method="remittance", **business)
    purchase = Purchase.objects.get()
    assert response["Location"] == reverse("payments:remittance", args=[purchase.number])
    assert purchase.orders.get().warehouse_name == "杭州一号仓"


def test_a_special_good_asks_for_its_details(client, alice, make_sku):
    client.force_login(alice)
    insurance, phone = make_sku(special="phone_insurance", price_fen=9900), make_sku()
    fill_cart(alice, (insurance, 1), (phone, 1))
    page = client.get(CHECKOUT).content.decode()
    assert f'name="special-{insurance.pk}-imei"' in page
    assert f"special-{phone.pk}-" not in page  # nothing asked for ordinary goods
    _data, refused = checkout_post(client, **{f"special-{insurance.pk}-imei": "12345"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert f'data-testid="error-special-{insurance.pk}-imei"' in html
    assert 'value="12345"' in html and 'value="13812348000"' in html  # what was typed is kept
    assert not Purchase.objects.exists() and stock_of(insurance) == 5
    _data, placed = checkout_post(client, **{f"special-{insurance.pk}-imei": IMEI})
    assert placed.status_code == 302
    assert SpecialDetails.objects.get().imei == IMEI


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_refusals_are_shown_in_the_buyers_language(client, alice, make_sku, lang):
    client.force_login(alice)
    sku = make_sku(stock=1)
    fill_cart(alice, (sku, 1))
    _data, response = checkout_post(client, lang=lang, recipient_name="", mobile="12345")
    assert response.status_code == 400
    html = response.content.decode()
    with translation.override(lang):
        assert str(translation.gettext("This field is required.")) in html
    assert 'data-testid="error-recipient_name"' in html and 'data-testid="error-mobile"' in html
    assert 'value="12345"' in html and 'value="文三路1号5幢301室"' not in html  # textarea keeps it as text
    assert "文三路1号5幢301室" in html
    CartItem.objects.filter(user=alice).update(quantity=2)
    _data, short = checkout_post(client, lang=lang)
    assert short.status_code == 409 and 'data-testid="form-error"' in short.content.decode()
    assert stock_of(sku) == 1 and not Purchase.objects.exists()


def test_a_price_change_is_confirmed_first(client, alice, make_sku):
    client.force_login(alice)
    sku = make_sku(price_fen=20000)
    fill_cart(alice, (sku, 1))
    page = client.get(CHECKOUT).content.decode()
    sku.price_fen = 25000
    sku.save(update_fields=["price_fen"])
    data = {
        "idempotency_key": hidden(page, "idempotency_key"),
        "expected_total_fen": hidden(page, "expected_total_fen"),
        "address_id": "new",
        "payment_method": "cod",
        **RECIPIENT,
    }
    refused = client.post(CHECKOUT, data, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 409 and "Prices changed" in refused.content.decode()
    assert hidden(refused.content.decode(), "expected_total_fen") == "25000"
    assert not Purchase.objects.exists() and stock_of(sku) == 5
    data["expected_total_fen"] = "25000"
    assert client.post(CHECKOUT, data).status_code == 302
    assert Purchase.objects.get().total_fen == 25000


def test_an_empty_cart(client, alice):
    client.force_login(alice)
    assert 'data-testid="checkout-empty"' in client.get(CHECKOUT).content.decode()
    response = client.post(CHECKOUT, {"idempotency_key": "k" * 16, "payment_method": "cod", **RECIPIENT})
    assert response.status_code == 400
    with translation.override("zh-hans"):
        assert str(CartEmpty().message) in response.content.decode()


def test_a_saved_address_is_offered_and_used(client, alice, bob, make_sku):
    client.force_login(alice)
    fill_cart(alice, (make_sku(), 1))
    address = address_create(user=alice, **{**RECIPIENT, "recipient_name": "李四"}, is_default=True)
    theirs = address_create(user=bob, **RECIPIENT)
    page = client.get(CHECKOUT).content.decode()
    assert re.search(rf'value="{address.pk}"[^>]*checked', page)
    assert "138****8000" in page and f'value="{theirs.pk}"' not in page
    _data, response = checkout_post(client, address_id=str(address.pk), recipient_name="", mobile="")
    assert response.status_code == 302
    assert Order.objects.get().recipient_name == "李四"


def test_my_orders_tabs_and_pages(client, alice, make_sku):
    client.force_login(alice)
    sku = make_sku(stock=50)
    for _n in range(10):
        place(alice, lines={sku.pk: 1}, payment_method="cod")
    pending = place(alice, payment_method="alipay", lines={sku.pk: 1}).orders.get()
    first = client.get(reverse("orders:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert first.count('data-testid="order-card"') == 10 and 'data-testid="page-next"' in first
    second = client.get(reverse("orders:list") + "?page=2").content.decode()
    assert second.count('data-testid="order-card"') == 1
    to_pay = client.get(reverse("orders:list") + "?status=pending_payment").content.decode()
    assert to_pay.count('data-testid="order-card"') == 1 and pending.number in to_pay
    assert reverse("payments:pay", args=[pending.purchase.number]) in to_pay
    assert client.get(reverse("orders:list") + "?status=cancelled").content.decode().count('order-card"') == 0
    assert client.get(reverse("orders:list") + "?status=bogus").status_code == 400
    assert client.get(reverse("orders:list") + "?page=x").status_code == 200


def test_an_orders_page_is_masked_and_offers_its_steps(client, alice, make_sku):
    client.force_login(alice)
    order = place(alice, lines={make_sku().pk: 1}, payment_method="cod").orders.get()
    page = client.get(
        reverse("orders:detail", args=[order.number]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "138****8000" in page and "张*" in page and "浙江省杭州市西湖区****" in page
    assert "13812348000" not in page and "文三路" not in page
    assert 'data-testid="order-cancel"' in page and 'data-testid="order-confirm"' not in page

    refused = client.post(
        reverse("orders:confirm", args=[order.number]), HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert "Only a shipped order can be confirmed" in refused.content.decode()
    order.refresh_from_db()
    assert order.status == "to_ship"

    cancelled = client.post(reverse("orders:cancel", args=[order.number]))
    assert cancelled["Location"] == reverse("orders:detail", args=[order.number])
    order.refresh_from_db()
    assert order.status == "cancelled"
    deleted = client.post(reverse("orders:delete", args=[order.number]))
    assert deleted["Location"] == reverse("orders:list")
    assert client.get(reverse("orders:detail", args=[order.number])).status_code == 404


def test_tracking_refresh_and_confirm_receipt(client, alice, make_sku):
    from candor.integrations.carrier import simulator

    order = place(alice, lines={make_sku().pk: 1}, payment_method="cod").orders.get()
    shipment = shipment_create(order=order, actor_id=None)
    client.force_login(alice)
    detail = reverse("orders:detail", args=[order.number])
    assert 'data-testid="tracking-none"' in client.get(detail).content.decode()
    simulator.advance(shipment.waybill_no)
    refreshed = client.post(reverse("orders:tracking_refresh", args=[order.number]), follow=True)
    assert refreshed.content.decode().count('data-testid="tracking-event"') == 1
    assert client.post(reverse("orders:confirm", args=[order.number])).status_code == 302
    order.refresh_from_db()
    assert order.status == "completed"


@pytest.mark.parametrize("name", ["detail", "cancel", "confirm", "delete", "tracking_refresh"])
def test_someone_elses_order_is_a_404(client, alice, bob, make_sku, name):
    sku = make_sku()
    order = place(alice, lines={sku.pk: 1}, payment_method="cod").orders.get()
    if name in ("confirm", "tracking_refresh"):
        Order.objects.filter(pk=order.pk).update(status="shipped")
    if name == "delete":
        Order.objects.filter(pk=order.pk).update(status="completed")
    order.refresh_from_db()
    before = (order.status, order.buyer_deleted_at, order.completed_at, order.cancelled_at)
    client.force_login(bob)
    url = reverse(f"orders:{name}", args=[order.number])
    response = client.get(url) if name == "detail" else client.post(url)
    assert response.status_code == 404
    order.refresh_from_db()
    assert (order.status, order.buyer_deleted_at, order.completed_at, order.cancelled_at) == before
    assert stock_of(sku) == 4


def test_cancelling_one_order_of_an_unpaid_purchase_says_the_others_went_too(
    client, alice, make_sku, merchant_y
):
    purchase = place(
        alice, payment_method="alipay", lines={make_sku().pk: 1, make_sku(merchant=merchant_y).pk: 2}
    )
    first, second = purchase.orders.order_by("id")
    client.force_login(alice)
    page = client.post(
        reverse("orders:cancel", args=[first.number]), HTTP_ACCEPT_LANGUAGE="en", follow=True
    ).content.decode()
    assert "its other orders were cancelled too" in page and second.number in page
    assert set(purchase.orders.values_list("status", flat=True)) == {"cancelled"}
    assert Purchase.objects.get(pk=purchase.pk).status == Purchase.Status.CLOSED
