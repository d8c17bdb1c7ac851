"""Issue #6 in real Chromium: a member buys a phone from its page, pays on the Alipay simulator,
the merchant's staff ship it from the back office (password and TOTP code), the carrier simulator
moves the parcel to the door, the buyer sees the tracking and confirms receipt — then the
disclosure ledger of that order holds exactly the payment institution's and the carrier's rows.
The same with cash on delivery; and the buyer's side in English, with a refused checkout first
and a cancelled order whose stock comes back.

Setup (catalog, members, addresses, carts) is made with the services: the pages under test are
the checkout, payment, order, back-office and simulator pages.
"""

from __future__ import annotations

import secrets

import pytest
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from candor.accounts.models import User
from candor.addresses.services import address_create
from candor.cart import services as cart
from candor.catalog import services as catalog
from candor.catalog.models import Category, Merchant, Sku, Stock
from candor.fulfillment.models import Shipment
from candor.fulfillment.services import shipment_create
from candor.integrations.carrier import simulator as carrier
from candor.orders.checkout import CheckoutForm, ClientSignals, purchase_place
from candor.orders.models import Order, Purchase
from candor.privacy import taxonomy
from candor.privacy.models import DisclosureRecord
from candor.staff import roles
from candor.staff.selectors import current_token

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Correct-horse-42"
PHONE_PRICE_FEN = 399_900
STOCK = 10
RECIPIENT = {
    "recipient_name": "王兰",
    "mobile": "13812348000",
    "province": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "detail": "文三路 1 号 5 幢 301 室",
}
# What the carrier receives of an order (the LOGISTICS share of its declaration), and the payment
# institution of a purchase (C000-08, C000-09).
CARRIER_FIELDS = [
    "number", "recipient_name", "recipient_phone", "province", "city", "district", "address_detail", "items",
]  # fmt: skip
PAYMENT_FIELDS = ["number", "total_fen", "payment_subject"]
DELIVERY_STEPS = len(carrier.STEPS)  # collected, in transit, out for delivery, delivered


@pytest.fixture(autouse=True)
def _keys(fresh_keys):
    """The test thread's own key cache for the encrypted order fields it reads."""


@pytest.fixture
def shop(db) -> dict:
    merchant = Merchant.objects.create(
        name_zh="坦诚自营", name_en="Candor Self-operated", kind="self", slug="candor"
    )
    phones = Category.objects.create(name_zh="手机", name_en="Phones", slug="phones")
    product = catalog.product_create(
        merchant=merchant,
        category=phones,
        name_zh="小米 14 手机",
        name_en="Xiaomi 14 phone",
        brand="Xiaomi",
        skus=[{"code": "MI14-BLK", "price_fen": PHONE_PRICE_FEN}],
    )
    sku = product.skus.get()
    catalog.stock_set(sku_id=sku.pk, warehouse="hz", quantity=STOCK)
    return {"merchant": merchant, "product": product, "sku": sku}


@pytest.fixture
def merchant_staff(shop) -> tuple[User, TOTPDevice]:
    """A member of the merchant's staff with the merchant-staff role and a confirmed TOTP device."""
    roles.sync_roles()  # a transactional test's flush may have emptied the role groups' permissions
    staff = User.objects.create_user(username="shopkeeper", password=PASSWORD, is_staff=True)
    staff.groups.add(Group.objects.get(name=roles.MERCHANT_STAFF.name))
    shop["merchant"].staff.add(staff)
    device = TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)
    return staff, device


def _member(username: str) -> User:
    return User.objects.create_user(username=username, password=PASSWORD)


def _login(page, user: User) -> None:
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("[data-testid=login-form] button[type=submit]").click()
    page.wait_for_url("**/me/")


def _stock(sku: Sku) -> int:
    return sum(Stock.objects.filter(sku=sku).values_list("quantity", flat=True))


def _fill_recipient(page, **values: str) -> None:
    page.check('input[name="address_id"][value="new"]')
    for name, value in {**RECIPIENT, **values}.items():
        page.fill(f"#id_{name}", value)


def _pay_on_alipay_simulator(page) -> None:
    """From the pay page: Alipay, the simulator's cashier, Pay, and back to the return page."""
    page.get_by_test_id("pay-method-alipay").check()
    page.get_by_test_id("pay-submit").click()
    page.wait_for_url("**/_sim/pay/trade/**")
    expect(page.get_by_test_id("sim-out-trade-no")).to_be_visible()
    page.locator("#sim-pay").click()
    page.wait_for_url("**/payments/*/return/**")
    # The page says what the verified notification said, and nothing else.
    expect(page.get_by_test_id("pay-result")).to_have_attribute("data-status", "paid")


def _confirm_receipt(page, order: Order, completed: str) -> None:
    page.once("dialog", lambda dialog: dialog.accept())  # orders.js asks "did you receive everything?"
    with page.expect_navigation():
        page.get_by_test_id("order-confirm").click()
    expect(page.get_by_test_id("order-status")).to_have_text(completed)
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED and order.completed_at is not None


def _advance_to_delivered(waybill_no: str) -> None:
    for _step in range(DELIVERY_STEPS):
        carrier.advance(waybill_no)


def test_alipay_purchase_shipped_by_merchant_staff_tracked_and_confirmed(
    pages, shop, merchant_staff, artifact_dir
):
    buyer = _member("lanlan")
    address = address_create(user=buyer, **RECIPIENT, is_default=True)
    sku = shop["sku"]
    page = pages.open("zh-CN")
    _login(page, buyer)

    # From the product's page into the cart, and on to the checkout (去结算).
    page.goto(f"/products/{shop['product'].pk}/")
    page.get_by_test_id("add-to-cart").click()
    page.wait_for_load_state()
    page.goto("/cart/")
    expect(page.get_by_test_id("cart-line")).to_have_count(1)
    checkout = page.get_by_test_id("cart-checkout")
    expect(checkout).to_have_text("去结算")
    checkout.click()
    page.wait_for_url("**/orders/checkout/")

    # The saved address (masked in the choice), Alipay, place.
    choice = page.get_by_test_id("address-choice").filter(has=page.locator(f'input[value="{address.pk}"]'))
    expect(choice).to_contain_text("138****8000")
    page.check(f'input[name="address_id"][value="{address.pk}"]')
    page.check('input[name="payment_method"][value="alipay"]')
    expect(page.get_by_test_id("checkout-total")).to_contain_text("¥3999.00")
    page.screenshot(path=str(artifact_dir / "orders-checkout-zh.png"), full_page=True)
    page.get_by_test_id("place-order").click()
    page.wait_for_url("**/payments/*/pay/")
    purchase = Purchase.objects.get(buyer=buyer)
    order = purchase.orders.get()
    assert order.status == Order.Status.PENDING_PAYMENT and order.total_fen == PHONE_PRICE_FEN
    assert order.recipient_name == RECIPIENT["recipient_name"] and _stock(sku) == STOCK - 1
    expect(page.get_by_test_id("purchase-number")).to_have_text(purchase.number)

    # The Alipay simulator's cashier; back on the return page once the notification arrived.
    _pay_on_alipay_simulator(page)
    expect(page.get_by_test_id("pay-result")).to_contain_text("已支付")
    page.screenshot(path=str(artifact_dir / "orders-paid-zh.png"), full_page=True)
    purchase.refresh_from_db()
    order.refresh_from_db()
    assert purchase.status == Purchase.Status.PAID and order.status == Order.Status.TO_SHIP

    # The merchant's staff: password and the authenticator's code, then the "ship" action.
    staff, device = merchant_staff
    admin = pages.open("zh-CN", width=1280)  # the back office, on a desk
    admin.goto("/admin/login/?next=/admin/orders/order/")
    admin.fill("#id_username", staff.username)
    admin.fill("#id_password", PASSWORD)
    admin.fill("#id_otp_token", current_token(device))
    admin.locator("#login-form [type=submit]").click()
    admin.wait_for_url("**/admin/orders/order/")
    row = admin.locator("#result_list tbody tr").filter(has_text=order.number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("王*")
    # Buyer data is masked for merchant staff: the full name and mobile are not on the list.
    listing = admin.content()
    assert RECIPIENT["recipient_name"] not in listing and RECIPIENT["mobile"] not in listing
    row.locator("input.action-select").check()
    admin.select_option("select[name=action]", "ship")
    with admin.expect_navigation():
        admin.locator("button[name=index]").click()
    shipment = Shipment.objects.get(order=order)
    expect(admin.locator(".messagelist .success")).to_contain_text(shipment.waybill_no)
    admin.screenshot(path=str(artifact_dir / "orders-admin-shipped-zh.png"), full_page=True)
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED

    # The carrier simulator's page: each press is one scan, pushed to Candor.
    admin.goto("/_sim/carrier/kdniao/")
    advance = admin.locator(f"#sim-advance-{shipment.waybill_no}")
    for _step in range(DELIVERY_STEPS):
        with admin.expect_navigation():
            advance.click()
    expect(advance).to_have_count(0)  # delivered: nothing more to scan
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED

    # The buyer's order page shows the tracking events; the buyer confirms receipt.
    page.get_by_test_id("pay-result-order").click()
    page.wait_for_url(f"**/orders/{order.number}/")
    events = page.get_by_test_id("tracking-event")
    expect(events).to_have_count(DELIVERY_STEPS)
    expect(events.first).to_have_attribute("data-state", "delivered")  # newest first
    expect(page.get_by_test_id("tracking")).to_contain_text(shipment.waybill_no)
    expect(page.get_by_test_id("order-status")).to_have_text("已送达")
    _confirm_receipt(page, order, "已完成")
    page.screenshot(path=str(artifact_dir / "orders-completed-zh.png"), full_page=True)

    # The disclosure ledger: the payment institution got the purchase's number, amount and
    # non-personal subject; the carrier the recipient, mobile, address and items. Nothing else —
    # the ship action prints no label, so the merchant has no row.
    ledger = sorted(
        (row.recipient, row.target, row.fields, row.purpose)
        for row in DisclosureRecord.objects.filter(subject_id=buyer.pk)
    )
    assert ledger == sorted(
        [
            (taxonomy.PAYMENT_INSTITUTION.code, f"orders.purchase:{purchase.pk}", PAYMENT_FIELDS,
             taxonomy.PAYMENT.code),
            (taxonomy.LOGISTICS.code, f"orders.order:{order.pk}", CARRIER_FIELDS, taxonomy.DELIVERY.code),
        ]
    )  # fmt: skip


def test_cash_on_delivery_with_a_new_recipient(pages, shop, artifact_dir):
    buyer = _member("codbuyer")
    sku = shop["sku"]
    cart.cart_add(user=buyer, session=None, sku_id=sku.pk, quantity=2)
    page = pages.open("zh-CN")
    _login(page, buyer)

    page.goto("/cart/")
    page.get_by_test_id("cart-checkout").click()
    page.wait_for_url("**/orders/checkout/")
    _fill_recipient(page)  # the landline and the email are left empty
    page.check('input[name="payment_method"][value="cod"]')
    page.get_by_test_id("place-order").click()
    page.wait_for_url("**/orders/")
    card = page.get_by_test_id("order-card")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("data-status", "to_ship")
    expect(card.get_by_test_id("order-status")).to_have_text("待发货")
    order = Order.objects.get(buyer_id=buyer.pk)
    assert order.status == Order.Status.TO_SHIP and order.paid_at is None  # paid at the door
    assert not order.landline and not order.email and order.recipient_phone == RECIPIENT["mobile"]
    assert order.purchase.status == Purchase.Status.CONFIRMED and _stock(sku) == STOCK - 2

    shipment = shipment_create(order=order, actor_id=None)
    _advance_to_delivered(shipment.waybill_no)
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED and order.paid_at is not None

    card.get_by_test_id("order-link").click()
    page.wait_for_url(f"**/orders/{order.number}/")
    expect(page.get_by_test_id("tracking-event")).to_have_count(DELIVERY_STEPS)
    _confirm_receipt(page, order, "已完成")
    page.screenshot(path=str(artifact_dir / "orders-cod-completed-zh.png"), full_page=True)


def test_english_checkout_refused_then_paid_and_another_order_cancelled(pages, shop, artifact_dir):
    buyer = _member("lanen")
    sku = shop["sku"]
    cart.cart_add(user=buyer, session=None, sku_id=sku.pk, quantity=1)
    page = pages.open("zh-CN")
    _login(page, buyer)
    page.get_by_test_id("lang-en").click()  # the site's own language switch
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.goto("/cart/")
    page.get_by_test_id("cart-checkout").click()
    page.wait_for_url("**/orders/checkout/")
    expect(page.locator("h1")).to_have_text("Check out")

    # A malformed mobile: the English reason under the field, what was typed kept, nothing placed.
    _fill_recipient(page, mobile="1381234")
    page.check('input[name="payment_method"][value="alipay"]')
    pages.expect_refusal(400, "/orders/checkout/")
    with page.expect_response(lambda r: r.request.method == "POST" and "/orders/checkout/" in r.url) as sent:
        page.get_by_test_id("place-order").click()
    assert sent.value.status == 400
    error = page.get_by_test_id("error-mobile")
    expect(error).to_have_text("Enter a valid mainland China mobile number.")
    expect(page.locator("#id_mobile")).to_have_value("1381234")
    page.screenshot(path=str(artifact_dir / "orders-checkout-refused-en.png"), full_page=True)
    assert not Purchase.objects.filter(buyer=buyer).exists() and _stock(sku) == STOCK

    page.fill("#id_mobile", RECIPIENT["mobile"])
    page.get_by_test_id("place-order").click()
    page.wait_for_url("**/payments/*/pay/")
    paid = Purchase.objects.get(buyer=buyer)
    _pay_on_alipay_simulator(page)
    expect(page.get_by_test_id("pay-result")).to_contain_text("Paid")
    paid.refresh_from_db()
    assert paid.status == Purchase.Status.PAID and paid.orders.get().status == Order.Status.TO_SHIP
    assert _stock(sku) == STOCK - 1

    # A second purchase left unpaid (placed by the service), then cancelled from its page.
    pending, _created = purchase_place(
        user=buyer,
        idempotency_key=secrets.token_urlsafe(12),
        form=CheckoutForm(payment_method="alipay", recipient=RECIPIENT, lines={sku.pk: 2}),
        client=ClientSignals(ip="203.0.113.9", device="playwright"),
    )
    second = pending.orders.get()
    assert second.status == Order.Status.PENDING_PAYMENT and _stock(sku) == STOCK - 3
    page.goto(f"/orders/{second.number}/")
    expect(page.get_by_test_id("order-status")).to_have_text("Awaiting payment")
    page.once("dialog", lambda dialog: dialog.accept())  # "Cancel this order?"
    with page.expect_navigation():
        page.get_by_test_id("order-cancel").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Cancelled")
    expect(page.locator(".messages")).to_contain_text("The order was cancelled.")
    page.screenshot(path=str(artifact_dir / "orders-cancelled-en.png"), full_page=True)
    second.refresh_from_db()
    assert second.status == Order.Status.CANCELLED and _stock(sku) == STOCK - 1  # its 2 are back
