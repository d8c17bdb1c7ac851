"""Plain functions that build what the order, payment and fulfillment tests start from: a
merchant, a category, a product with one SKU and its stock, a member with a saved address, and a
purchase placed through the real checkout (``orders.checkout.purchase_place``).

They are functions, not fixtures, so that any test module (and the orders app's conftest) can
call them with the values it cares about and leave the rest to the defaults here. This is the
one place they are defined (the conftest holds fixtures only). Rows of the
catalog are made directly: the catalog's own tests prove its services.
"""

from __future__ import annotations

import itertools
import secrets
from typing import Any
from urllib.parse import unquote_plus

from django.contrib.auth import get_user_model

from candor.addresses.models import Address
from candor.addresses.services import address_create
from candor.cart.models import CartItem
from candor.catalog.models import Category, Merchant, Product, Sku, Stock
from candor.integrations.sms.transport import InProcessTransport
from candor.orders.checkout import CheckoutForm, ClientSignals, purchase_place
from candor.orders.models import Purchase
from tests.json_api import Api as JsonApi

PASSWORD = "x-very-long-password-1"
_serial = itertools.count(1)

# The recipient a test types in at checkout (``CheckoutForm.recipient``), as the address book
# and the checkout's ``address_clean`` take it.
RECIPIENT = {
    "recipient_name": "张三",
    "mobile": "13812348000",
    "province": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "detail": "文三路1号5幢301室",
}
ID_NUMBER = "11010519491231002X"  # the check digit is right (GB 11643's own example)
IMEI = "490154203237518"  # Luhn-valid
CLIENT = ClientSignals(ip="203.0.113.7", device="test-device")


def make_merchant(*, name_zh: str = "", slug: str = "") -> Merchant:
    n = next(_serial)
    return Merchant.objects.create(
        name_zh=name_zh or f"测试商家{n}", name_en=f"Test merchant {n}", slug=slug or f"merchant-{n}"
    )


def make_category() -> Category:
    n = next(_serial)
    return Category.objects.create(name_zh=f"分类{n}", name_en=f"Category {n}", slug=f"category-{n}")


def make_sku(
    *,
    merchant: Merchant | None = None,
    category: Category | None = None,
    price_fen: int = 5000,
    stock: int | None = 10,
    special: str = "",
    active: bool = True,
    product_active: bool = True,
    is_service: bool = False,
    name_zh: str = "",
) -> Sku:
    """A product with one SKU; ``stock`` units in one warehouse (None: no stock row at all)."""
    n = next(_serial)
    product = Product.objects.create(
        merchant=merchant or make_merchant(),
        category=category or make_category(),
        name_zh=name_zh or f"测试商品{n}",
        name_en=f"Test product {n}",
        price_fen=price_fen,
        is_active=product_active,
        is_service=is_service,
        special=special,
    )
    sku = Sku.objects.create(
        product=product, code=f"T-{n}-{secrets.token_hex(3)}", options={"colour": "黑"}, price_fen=price_fen,
        is_active=active,
    )  # fmt: skip
    if stock is not None:
        Stock.objects.create(sku=sku, warehouse="WH-HZ", region="杭州", quantity=stock)
    return sku


def stock_of(sku: Sku) -> int:
    """Units of ``sku`` left over all warehouses, read fresh from the database."""
    return sum(Stock.objects.filter(sku=sku).values_list("quantity", flat=True))


def make_member(*, username: str = "", address: bool = True, **recipient: str) -> Any:
    """A member account; with ``address`` a saved default address (``RECIPIENT`` overridden by
    ``recipient``), reachable as ``user.test_address``."""
    user = get_user_model().objects.create_user(
        username=username or f"member{next(_serial)}", password=PASSWORD
    )
    user.test_address = make_address(user, **recipient) if address else None
    return user


def make_address(user: Any, **overrides: str) -> Address:
    values = {**RECIPIENT, **overrides}
    return address_create(
        user=user,
        recipient_name=values["recipient_name"],
        mobile=values["mobile"],
        province=values["province"],
        city=values["city"],
        district=values.get("district", ""),
        detail=values["detail"],
        landline=values.get("landline", ""),
    )


def add_to_cart(user: Any, sku: Sku, quantity: int = 1) -> CartItem:
    return CartItem.objects.create(user=user, sku=sku, quantity=quantity)


def fill_cart(user: Any, *pairs: tuple[Sku, int]) -> None:
    """``fill_cart(alice, (sku, 2), (other, 1))``: the member's cart, as the cart app keeps it."""
    for sku, quantity in pairs:
        add_to_cart(user, sku, quantity)


def checkout_form(*, user: Any = None, **overrides: Any) -> CheckoutForm:
    """A valid form paying by Alipay to the user's saved address (or to ``RECIPIENT`` typed in
    when the user has none); ``overrides`` replace any field."""
    values: dict[str, Any] = {"payment_method": "alipay"}
    address = getattr(user, "test_address", None)
    if address is not None:
        values["address_id"] = address.pk
    else:
        values["recipient"] = dict(RECIPIENT)
    values.update(overrides)
    return CheckoutForm(**values)


def new_key() -> str:
    return f"test-{secrets.token_hex(8)}"


class Api(JsonApi):
    """The tests' JSON client with, for POST /orders, an idempotency key."""

    def order(self, data: Any, *, key: str | None = None, lang: str = "en") -> Any:
        return self.call("post", "/orders", data, lang=lang, HTTP_IDEMPOTENCY_KEY=key or new_key())


def place(
    user: Any,
    *,
    lines: dict[int, int] | None = None,
    key: str = "",
    client: ClientSignals = CLIENT,
    **form: Any,
) -> Purchase:
    """Place a purchase through the real checkout and return it (created now or by a retry).
    ``lines`` buys those SKUs ("buy now"); without it the user's cart is bought."""
    purchase, _created = purchase_place(
        user=user,
        idempotency_key=key or new_key(),
        form=checkout_form(user=user, lines=lines, **form),
        client=client,
    )
    return purchase


def buy(user: Any, sku: Sku, quantity: int = 1, **form: Any) -> Purchase:
    """ "Buy now": one SKU, bypassing the cart."""
    return place(user, lines={sku.pk: quantity}, **form)


def only_order(purchase: Purchase) -> Any:
    """The purchase's single order (most tests buy from one merchant)."""
    (order,) = purchase.orders.all()
    return order


def record_wire(monkeypatch: Any) -> list[dict[str, Any]]:
    """Record every request an adapter sends to an ``inprocess://`` endpoint — the very bytes
    that would go on the wire — as ``{"url", "headers", "body", "text"}`` (``text``: the body
    URL-decoded, so a form's values can be searched), in the order sent."""
    sent: list[dict[str, Any]] = []
    original = InProcessTransport.send

    def send(self: InProcessTransport, request: Any, *args: Any, **kwargs: Any) -> Any:
        body = request.body or b""
        body = body.encode() if isinstance(body, str) else bytes(body)
        sent.append({
            "url": request.url, "headers": dict(request.headers), "body": body,
            "text": unquote_plus(body.decode("utf-8", "replace")) + " " + unquote_plus(request.url or ""),
        })  # fmt: skip
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(InProcessTransport, "send", send)
    return sent


RETURN_URL = "http://testserver/payments/return/"


def pay_start(user: Any, purchase: Purchase, method: str = "alipay") -> Any:
    """``payments.services.payment_start`` as the pay endpoint calls it (notify base from settings)."""
    from django.conf import settings

    from candor.payments.services import payment_start

    return payment_start(
        user=user, purchase_number=purchase.number, method=method,
        notify_base=settings.CANDOR_PUBLIC_BASE_URL, return_url=RETURN_URL,
    )  # fmt: skip


def open_pay_page(start: Any) -> Any:
    """The buyer's browser following ``PayStart`` to the simulated institution: the trade is
    opened there (Alipay and UnionPay learn of it only from the browser's request)."""
    from django.test import Client

    from candor.integrations.payment.models import SimTrade
    from candor.integrations.payment.wire import form_body

    browser = Client()
    if start.method == "GET":
        answer = browser.get(start.url)
    else:
        answer = browser.post(
            start.url, data=form_body(start.fields), content_type="application/x-www-form-urlencoded"
        )
    assert answer.status_code in (200, 302), answer.content[:500]
    return SimTrade.objects.order_by("-id").first()


def pay_online(user: Any, purchase: Purchase, method: str = "alipay") -> Any:
    """Start the payment, open the institution's page and press "Pay": the simulator sends its
    signed notification to Candor's notify endpoint. Returns the simulator's trade."""
    from candor.integrations.payment import simulator

    open_pay_page(pay_start(user, purchase, method))
    return simulator.pay(method, purchase.number)
