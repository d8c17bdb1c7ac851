"""The orders back office: merchant staff see only their own merchants' orders (list, page,
reveal, actions), buyer data is masked and a reveal needs the permission and is audited, the
shipping label reaches the merchant only through the disclosure ledger, shipping goes through
the carrier (simulator) and a held order waits for platform staff. Orders are placed with
``purchase_place``; staff log in past the second factor (tests/staff_login.py)."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from candor.catalog.models import Category, Merchant, Product, Sku, Stock
from candor.fulfillment.models import Shipment
from candor.integrations.carrier import simulator as carrier
from candor.orders.checkout import CheckoutForm, ClientSignals, purchase_place
from candor.orders.models import Order
from candor.orders.risk import HELD_REASONS
from candor.orders.tests.factories import RECIPIENT
from candor.privacy.models import AuditEvent, DisclosureRecord
from candor.staff import roles
from tests import staff_login

pytestmark = pytest.mark.django_db
# The admin asks for a verified second factor: pytest-django's admin_client, past it.
admin_client = staff_login.admin_client

URL = "/admin/orders/order/"
_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def _keys_cache(fresh_keys):
    """Every test gets its own key cache (the root conftest's ``fresh_keys``)."""


@pytest.fixture
def shops(db):
    """Two merchants, X and Y, each with one SKU in stock."""
    category = Category.objects.create(name_zh="手机", name_en="Phones", slug="phones")
    skus = {}
    for code, name in (("x", "华为"), ("y", "小米")):
        merchant = Merchant.objects.create(
            name_zh=f"{name}旗舰店", name_en=f"Shop {code}", slug=f"shop-{code}"
        )
        product = Product.objects.create(
            merchant=merchant,
            category=category,
            name_zh=f"{name}手机",
            name_en=f"{code} phone",
            price_fen=199900,
        )
        sku = Sku.objects.create(product=product, code=f"SKU-{code}", price_fen=199900)
        Stock.objects.create(sku=sku, warehouse="WH-HZ", region="浙江", quantity=20)
        skus[code] = sku
    return skus


def place(buyer, sku, *, method="cod", **form):
    """One order of ``sku`` (cash on delivery: awaiting shipment at once)."""
    purchase, _created = purchase_place(
        user=buyer,
        idempotency_key=f"admin-test-{next(_keys):04d}",
        form=CheckoutForm(payment_method=method, recipient=RECIPIENT, lines={sku.pk: 1}, **form),
        client=ClientSignals(ip="203.0.113.9", device=""),
    )
    return purchase.orders.get()


def staff(username, role=None, merchant=None):
    user = get_user_model().objects.create_user(username, password="x-very-long-password-1", is_staff=True)
    if role is not None:
        user.groups.add(Group.objects.get(name=roles.role(role).name))
    if merchant is not None:
        merchant.staff.add(user)
    return get_user_model().objects.get(pk=user.pk)


def logged_in(user) -> Client:
    client = Client()
    staff_login.verify_second_factor(client, user)
    return client


@pytest.fixture
def orders(shops, alice):
    return {code: place(alice, sku) for code, sku in shops.items()}


@pytest.fixture
def clerk_x(shops):
    """Merchant X's staff, with the "Merchant staff" role."""
    return logged_in(staff("clerk-x", "merchant_staff", shops["x"].product.merchant))


def act(client, action, *orders, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in orders], **extra}
    return client.post(URL, data)


def reveal_url(order, field):
    return f"{URL}{order.pk}/reveal/{field}/"


# --- who sees which orders ----------------------------------------------------------------


def test_merchant_staff_see_their_own_merchants_orders_and_not_anothers(clerk_x, orders):
    mine, theirs = orders["x"], orders["y"]
    listing = clerk_x.get(URL)
    assert listing.status_code == 200
    assert mine.number in listing.content.decode()
    assert theirs.number not in listing.content.decode()
    # searching for the other merchant's number finds nothing either
    assert clerk_x.get(URL, {"q": theirs.number}).context["cl"].result_count == 0

    assert clerk_x.get(f"{URL}{mine.pk}/change/").status_code == 200
    page = clerk_x.get(f"{URL}{theirs.pk}/change/")
    assert page.status_code == 404
    assert theirs.number not in page.content.decode()
    assert clerk_x.get(f"{URL}{theirs.pk}/history/").status_code == 404
    assert clerk_x.get(reveal_url(theirs, "recipient_phone")).status_code == 404


def test_platform_staff_see_every_merchants_orders(admin_client, orders):
    listing = admin_client.get(URL).content.decode()
    assert orders["x"].number in listing and orders["y"].number in listing


def test_staff_of_no_merchant_see_no_order(orders):
    drifter = logged_in(staff("drifter", "merchant_staff"))
    listing = drifter.get(URL).content.decode()
    assert orders["x"].number not in listing and orders["y"].number not in listing
    assert drifter.get(f"{URL}{orders['x'].pk}/change/").status_code == 404


def test_actions_do_not_reach_another_merchants_order(clerk_x, orders):
    theirs = orders["y"]
    records, events = DisclosureRecord.objects.count(), AuditEvent.objects.count()

    act(clerk_x, "ship", theirs)
    label = act(clerk_x, "print_label", theirs)

    theirs.refresh_from_db()
    assert theirs.status == Order.Status.TO_SHIP and theirs.shipped_at is None
    assert not Shipment.objects.filter(order=theirs).exists()
    assert RECIPIENT["detail"] not in label.content.decode()
    assert DisclosureRecord.objects.count() == records
    assert AuditEvent.objects.count() == events


def test_orders_are_never_added_edited_or_deleted_here(admin_client, orders):
    order = orders["x"]
    assert admin_client.get(f"{URL}add/").status_code == 403
    assert admin_client.post(f"{URL}{order.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(f"{URL}{order.pk}/change/", {"status": "completed", "total_fen": "1"})
    order.refresh_from_db()
    assert (order.status, order.total_fen) == (Order.Status.TO_SHIP, 199900)
    assert Order.objects.filter(pk=order.pk).exists()


# --- masked by default; revealing is a permission, a reason and an audit row ----------------


def test_buyer_data_is_masked_for_merchant_staff_who_cannot_reveal(clerk_x, orders):
    order = orders["x"]
    for page in (clerk_x.get(URL), clerk_x.get(f"{URL}{order.pk}/change/")):
        text = page.content.decode()
        assert "张*" in text
        for clear in (RECIPIENT["recipient_name"], "13812348000", RECIPIENT["detail"]):
            assert clear not in text
    assert "138****8000" in clerk_x.get(f"{URL}{order.pk}/change/").content.decode()

    events = AuditEvent.objects.count()
    refused = clerk_x.post(reveal_url(order, "recipient_phone"), {"reason": "delivery_problem"})
    assert refused.status_code == 403
    assert "13812348000" not in refused.content.decode()
    assert AuditEvent.objects.count() == events


def test_a_reveal_needs_a_reason_and_writes_an_audit_row(orders):
    order = orders["x"]
    finance = staff("accountant", "finance")
    client = logged_in(finance)

    no_reason = client.post(reveal_url(order, "recipient_phone"), {"reason": ""})
    assert no_reason.status_code == 400
    assert "13812348000" not in no_reason.content.decode()
    assert not AuditEvent.objects.filter(action="reveal", actor_id=finance.pk).exists()

    shown = client.post(
        reveal_url(order, "recipient_phone"), {"reason": "payment_problem", "ticket": "FIN-7"}
    )
    assert shown.status_code == 200
    assert "13812348000" in shown.content.decode()
    event = AuditEvent.objects.get(action="reveal", actor_id=finance.pk)
    assert (event.subject_id, event.target, event.fields) == (
        order.buyer_id,
        f"orders.order:{order.pk}",
        ["recipient_phone"],
    )
    assert event.detail == {"reason": "payment_problem", "ticket": "FIN-7"}


# --- the shipping label goes through disclosure ---------------------------------------------


def test_the_label_is_disclosed_to_the_merchant_and_recorded(clerk_x, orders):
    order = orders["x"]
    clerk = get_user_model().objects.get(username="clerk-x")
    response = act(clerk_x, "print_label", order)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    for needed in (
        RECIPIENT["recipient_name"],
        "13812348000",
        "浙江省杭州市西湖区" + RECIPIENT["detail"],
        "华为手机",
        order.number,
    ):
        assert needed in text
    record = DisclosureRecord.objects.get(target=f"orders.order:{order.pk}")
    assert (record.recipient, record.purpose, record.actor_id, record.subject_id) == (
        "merchant", "delivery", clerk.pk, order.buyer_id,
    )  # fmt: skip
    assert {"recipient_name", "recipient_phone", "address_detail", "items"} <= set(record.fields)


def test_no_label_for_an_order_not_awaiting_shipment(clerk_x, shops, alice):
    unpaid = place(alice, shops["x"], method="alipay")
    response = act(clerk_x, "print_label", unpaid)
    assert RECIPIENT["detail"] not in response.content.decode()
    assert not DisclosureRecord.objects.filter(target=f"orders.order:{unpaid.pk}").exists()


# --- shipping, holds ------------------------------------------------------------------------


def test_ship_creates_the_waybill_and_the_order_is_shipped(clerk_x, orders):
    order = orders["x"]
    response = act(clerk_x, "ship", order, _from="change")

    shipment = Shipment.objects.get(order=order)
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED and order.shipped_at is not None
    assert shipment.waybill_no
    # back on the order's page, which says the waybill number
    assert response.status_code == 302 and response["Location"] == f"{URL}{order.pk}/change/"
    assert shipment.waybill_no in clerk_x.get(response["Location"]).content.decode()
    assert DisclosureRecord.objects.filter(target=f"orders.order:{order.pk}", recipient="logistics").exists()


def test_a_held_order_is_shipped_only_after_platform_staff_release_it(
    clerk_x, shops, alice, settings, admin_client
):
    settings.CANDOR_RISK_LIMITS = {**settings.CANDOR_RISK_LIMITS, "account_per_hour": 0}
    held = place(alice, shops["x"])
    assert held.held_reason == "account_rate"

    filtered = clerk_x.get(URL, {"held": "account_rate"}).content.decode()
    assert held.number in filtered and str(HELD_REASONS["account_rate"]) in filtered

    act(clerk_x, "ship", held)
    held.refresh_from_db()
    assert held.status == Order.Status.TO_SHIP and not Shipment.objects.filter(order=held).exists()

    # merchant staff cannot release it: the hold guards against the merchant's own brushing
    act(clerk_x, "release_hold", held)
    held.refresh_from_db()
    assert held.held_reason == "account_rate"

    act(admin_client, "release_hold", held)
    held.refresh_from_db()
    assert held.held_reason == ""
    act(clerk_x, "ship", held)
    held.refresh_from_db()
    assert held.status == Order.Status.SHIPPED and Shipment.objects.filter(order=held).exists()


def test_shipments_and_their_tracking_are_scoped_like_the_orders(clerk_x, orders, admin_client):
    act(admin_client, "ship", orders["y"])
    act(clerk_x, "ship", orders["x"])
    mine, theirs = Shipment.objects.get(order=orders["x"]), Shipment.objects.get(order=orders["y"])
    carrier.advance(mine.waybill_no)  # the courier collects the parcel: the carrier pushes the scan

    listing = clerk_x.get("/admin/fulfillment/shipment/").content.decode()
    assert mine.waybill_no in listing and theirs.waybill_no not in listing
    page = clerk_x.get(f"/admin/fulfillment/shipment/{mine.pk}/change/").content.decode()
    assert mine.events.get().description in page
    assert clerk_x.get(f"/admin/fulfillment/shipment/{theirs.pk}/change/").status_code == 404
    assert clerk_x.get("/admin/fulfillment/shipment/add/").status_code == 403


# --- cancel and refund ------------------------------------------------------------------------


def test_finance_cancels_after_confirming_and_merchant_staff_cannot(clerk_x, orders):
    order = orders["x"]
    act(clerk_x, "cancel_and_refund", order, confirm="yes")
    order.refresh_from_db()
    assert order.status == Order.Status.TO_SHIP

    finance = logged_in(staff("accountant", "finance"))
    asked = act(finance, "cancel_and_refund", order)
    assert asked.status_code == 200 and order.number in asked.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.TO_SHIP  # nothing until confirmed

    act(finance, "cancel_and_refund", order, confirm="yes")
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (Order.Status.CANCELLED, "staff")
    assert order.lines.get().released_at is not None  # the stock went back
