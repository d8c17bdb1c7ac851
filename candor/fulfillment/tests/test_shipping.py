"""Shipping through the carrier (the Kdniao simulator, over the in-process transport): what the
carrier receives, tracking pushes driving the order to "delivered", forged and repeated pushes,
the buyer's confirmation and auto-completion."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from candor.fulfillment import services
from candor.fulfillment.models import Shipment, TrackingEvent
from candor.fulfillment.selectors import events_of
from candor.integrations.carrier import protocol, simulator
from candor.integrations.carrier.models import SimShipment
from candor.orders import services as orders
from candor.orders.errors import OrderStateInvalid
from candor.orders.models import Order
from candor.orders.tests import factories as f
from candor.privacy import disclosure, taxonomy
from candor.privacy.models import DisclosureRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_keys")]

CARRIER_FIELDS = [
    "number", "recipient_name", "recipient_phone", "province", "city", "district", "address_detail", "items",
]  # fmt: skip
PUSH_URL = "/fulfillment/carrier/push/"


@pytest.fixture
def wire(monkeypatch):
    return f.record_wire(monkeypatch)


@pytest.fixture
def staff():
    return f.make_member(address=False)


def to_ship(*, payment_method: str = "cod", **form) -> Order:
    """An order awaiting shipment, typed in with every optional field the carrier must not get."""
    buyer = f.make_member(address=False)
    recipient = {**f.RECIPIENT, "landline": "0571-88886666"}
    purchase = f.buy(
        buyer, f.make_sku(name_zh="无线耳机"), 2, payment_method=payment_method, recipient=recipient,
        email="li.si@example.com", note="请放门卫室", invoice_title="杭州某某科技有限公司",
        tax_number="91330106MA2B3C4D5E", warehouse_name="城西仓", **form,
    )  # fmt: skip
    return Order.objects.get(pk=f.only_order(purchase).pk)


def fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


def ship(order: Order, staff) -> Shipment:
    return services.shipment_create(order=order, actor_id=staff.pk)


def signed_push(records: list[dict], *, app_key: str | None = None) -> bytes:
    config = settings.CANDOR_CARRIER
    request_data = protocol.dumps(
        {
            "EBusinessID": config["kdniao"]["business_id"],
            "PushTime": protocol.beijing_text(timezone.now()),
            "Count": str(len(records)),
            "Data": records,
        }
    )
    return protocol.push_body(
        request_data=request_data, app_key=app_key or config["kdniao"]["app_key"]
    ).encode("ascii")


def trace_record(shipment: Shipment, *traces: tuple[str, str, str]) -> dict:
    """One push ``Data`` item: (Beijing time, text, action) per trace."""
    return {
        "EBusinessID": settings.CANDOR_CARRIER["kdniao"]["business_id"],
        "ShipperCode": shipment.carrier_code,
        "LogisticCode": shipment.waybill_no,
        "Success": True,
        "State": traces[-1][2][0],
        "StateEx": traces[-1][2],
        "Traces": [
            {"AcceptTime": at, "AcceptStation": text, "Location": "杭州市", "Action": action}
            for at, text, action in traces
        ],
    }


def post_push(body: bytes):
    response = Client().post(PUSH_URL, data=body, content_type=protocol.FORM)
    return response, response.json()


# --- Handing the parcel over ------------------------------------------------------------------


def test_shipping_discloses_exactly_the_recipient_and_items_to_the_carrier(staff, wire):
    order = to_ship()
    shipment = ship(order, staff)
    assert fresh(order).status == Order.Status.SHIPPED and fresh(order).shipped_at is not None
    assert shipment.waybill_no and SimShipment.objects.filter(waybill_no=shipment.waybill_no).exists()

    (record,) = DisclosureRecord.objects.filter(target=f"orders.order:{order.pk}")
    assert (record.recipient, record.purpose) == (taxonomy.LOGISTICS.code, taxonomy.DELIVERY.code)
    assert record.fields == CARRIER_FIELDS
    assert (record.subject_id, record.actor_id) == (order.buyer_id, staff.pk)

    # The waybill request on the wire: the recipient and the items, and nothing else of the order.
    (request,) = [r for r in wire if "/_sim/carrier/" in r["url"]]
    fields = {k: v[0] for k, v in parse_qs(request["body"].decode()).items()}
    sent = json.loads(fields["RequestData"])
    assert sent["OrderCode"] == order.number
    receiver = sent["Receiver"]
    assert (receiver["Name"], receiver["Mobile"]) == (f.RECIPIENT["recipient_name"], f.RECIPIENT["mobile"])
    assert (receiver["ProvinceName"], receiver["CityName"], receiver["ExpAreaName"]) == (
        "浙江省",
        "杭州市",
        "西湖区",
    )
    assert receiver["Address"] == f.RECIPIENT["detail"]
    assert [(c["GoodsName"], c["Goodsquantity"]) for c in sent["Commodity"]] == [
        (order.lines.get().product_name, 2)
    ]
    for private in ("0571-88886666", "88886666", "li.si@example.com", "请放门卫室", "91330106MA2B3C4D5E",
                    "杭州某某科技有限公司", "城西仓"):  # fmt: skip
        assert private not in request["text"], private


def test_a_paid_order_ships_and_an_unpaid_one_does_not(staff, wire):
    unpaid = to_ship(payment_method="alipay")
    with pytest.raises(OrderStateInvalid):
        ship(unpaid, staff)
    assert fresh(unpaid).status == Order.Status.PENDING_PAYMENT
    assert not DisclosureRecord.objects.exists() and not wire and not Shipment.objects.exists()

    orders.purchase_mark_paid(purchase_id=unpaid.purchase_id, paid_at=timezone.now())
    ship(fresh(unpaid), staff)
    assert fresh(unpaid).status == Order.Status.SHIPPED
    with pytest.raises(OrderStateInvalid):  # shipping twice
        ship(fresh(unpaid), staff)
    assert Shipment.objects.count() == 1 and DisclosureRecord.objects.count() == 1


def test_a_held_order_is_not_handed_to_the_carrier_until_released(staff, wire):
    order = to_ship()
    Order.objects.filter(pk=order.pk).update(held_reason="account_rate")
    with pytest.raises(OrderStateInvalid):
        ship(fresh(order), staff)
    assert not DisclosureRecord.objects.exists() and not wire and not SimShipment.objects.exists()
    assert fresh(order).status == Order.Status.TO_SHIP

    orders.order_release_hold(order_id=order.pk, actor_id=staff.pk)
    ship(fresh(order), staff)
    assert fresh(order).status == Order.Status.SHIPPED


# --- Tracking -------------------------------------------------------------------------------------


def test_advancing_the_carrier_to_delivered_delivers_the_order(staff):
    order = to_ship()
    shipment = ship(order, staff)
    states = []
    for _ in range(3):
        simulator.advance(shipment.waybill_no)
        states.append(fresh(order).status)
    assert states == [Order.Status.SHIPPED] * 3
    simulator.advance(shipment.waybill_no)
    order = fresh(order)
    assert order.status == Order.Status.DELIVERED and order.delivered_at is not None
    assert [e.state for e in reversed(events_of(order))] == [
        "collected", "in_transit", "out_for_delivery", "delivered",
    ]  # fmt: skip
    assert Shipment.objects.get(pk=shipment.pk).delivered_at == order.delivered_at
    assert order.paid_at == order.delivered_at  # cash on delivery: paid at the door
    # The simulator's delivery scan names who signed; the name is not kept.
    delivered = TrackingEvent.objects.get(shipment=shipment, state="delivered")
    assert "签收人：***" in delivered.description and "本人" not in delivered.description


def test_each_push_stores_only_the_events_not_seen_before(staff):
    shipment = ship(to_ship(), staff)
    for expected in (1, 2, 3):
        simulator.advance(shipment.waybill_no)  # each push carries the whole trace so far
        assert TrackingEvent.objects.filter(shipment=shipment).count() == expected


def test_a_repeated_push_stores_its_events_once(staff):
    order = to_ship()
    shipment = ship(order, staff)
    body = signed_push([trace_record(shipment, ("2026-05-01 08:00:00", "【杭州市】已揽收", "1"))])
    for _ in range(3):
        response, answer = post_push(body)
        assert response.status_code == 200 and answer["Success"] is True
    (event,) = TrackingEvent.objects.filter(shipment=shipment)
    assert (event.state, event.description) == ("collected", "【杭州市】已揽收")
    assert event.at == protocol.beijing_time("2026-05-01 08:00:00")


def test_a_tampered_push_is_rejected_and_changes_nothing(staff):
    order = to_ship()
    shipment = ship(order, staff)
    delivered = trace_record(shipment, ("2026-05-01 09:00:00", "已签收", "3"))
    genuine = signed_push([delivered])
    fields = {k: v[0] for k, v in parse_qs(genuine.decode()).items()}
    tampered_data = fields["RequestData"].replace("已签收", "已签收 ")
    forged = [
        signed_push([delivered], app_key="not-the-shared-key"),  # signed with another key
        protocol.push_body(request_data=tampered_data, app_key="x")
        .replace("DataSign=", "DataSign=" + fields["DataSign"] + "&Ignored=")
        .encode(),  # the body changed after signing (the genuine sign sent along)
        genuine.replace(b"DataSign=", b"DataSign=AAAA"),  # a broken signature
    ]
    for body in forged:
        _response, answer = post_push(body)
        assert answer["Success"] is False, body
    assert not TrackingEvent.objects.exists()
    order = fresh(order)
    assert order.status == Order.Status.SHIPPED and order.delivered_at is None


def test_signer_names_are_scrubbed_from_descriptions(staff):
    shipment = ship(to_ship(), staff)
    post_push(
        signed_push(
            [
                trace_record(
                    shipment,
                    ("2026-05-01 08:00:00", "【杭州市】快递员王小明已揽收", "1"),
                    ("2026-05-02 10:00:00", "【杭州市】已签收，签收人：张三丰。感谢使用", "3"),
                )
            ]
        )
    )
    texts = list(TrackingEvent.objects.filter(shipment=shipment).values_list("description", flat=True))
    assert len(texts) == 2 and not any("张三丰" in text for text in texts)
    assert "签收人：***" in texts[-1]
    assert services.scrub("Signed by: Zhang San, thanks") == "Signed by：***, thanks"
    assert services.scrub("代收人:李四。") == "代收人：***。"
    assert services.scrub("已签收 签收人 王五 感谢") == "已签收 签收人：*** 感谢"


def test_a_push_for_an_unknown_waybill_is_acknowledged_and_ignored(staff):
    shipment = ship(to_ship(), staff)
    record = trace_record(shipment, ("2026-05-01 08:00:00", "已揽收", "1"))
    record["LogisticCode"] = "ZZ0000000000000"
    _response, answer = post_push(signed_push([record]))
    assert answer["Success"] is True and not TrackingEvent.objects.exists()


def test_refreshing_fetches_the_carriers_events(staff, settings):
    order = to_ship()
    shipment = ship(order, staff)
    config = {**settings.CANDOR_CARRIER, "push_url": "inprocess://localhost/nowhere/"}
    settings.CANDOR_CARRIER = config  # pushes get lost: only a refresh brings the events in
    simulator.advance(shipment.waybill_no)
    simulator.advance(shipment.waybill_no)
    assert not TrackingEvent.objects.exists()
    assert services.tracking_refresh(shipment=shipment) == 2
    assert services.tracking_refresh(shipment=shipment) == 0
    assert [e.state for e in events_of(order)] == ["in_transit", "collected"]


# --- Receipt ---------------------------------------------------------------------------------------


def test_the_buyer_confirms_and_the_order_completes(staff):
    order = to_ship()
    shipment = ship(order, staff)
    for _ in range(4):
        simulator.advance(shipment.waybill_no)
    buyer = order.buyer
    orders.order_confirm_received(user=buyer, order_number=order.number)
    order = fresh(order)
    assert order.status == Order.Status.COMPLETED and order.closed_at is not None


def test_a_delivered_order_completes_by_itself_after_the_configured_days(staff, settings):
    settings.CANDOR_ORDER_AUTO_COMPLETE_DAYS = 7
    order = to_ship()
    shipment = ship(order, staff)
    for _ in range(4):
        simulator.advance(shipment.waybill_no)
    delivered_at = fresh(order).delivered_at
    assert orders.orders_auto_complete(now=delivered_at + timedelta(days=6)) == 0
    assert fresh(order).status == Order.Status.DELIVERED
    assert orders.orders_auto_complete(now=delivered_at + timedelta(days=7, seconds=1)) == 1
    assert fresh(order).status == Order.Status.COMPLETED


# --- The acceptance point ------------------------------------------------------------------------


def test_the_ledger_of_a_completed_order_shows_exactly_the_two_hand_overs(staff):
    """Paid on the Alipay simulator, shipped, tracked to the door, confirmed: the buyer's ledger
    shows the payment institution (number, amount, subject) and the carrier (recipient, phone,
    address, items) — and nothing else."""
    buyer = f.make_member()
    purchase = f.buy(buyer, f.make_sku(), 2, email="li.si@example.com", note="请放门卫室")
    f.pay_online(buyer, purchase, "alipay")
    order = Order.objects.get(purchase=purchase)
    assert order.status == Order.Status.TO_SHIP
    shipment = ship(order, staff)
    for _ in range(4):
        simulator.advance(shipment.waybill_no)
    orders.order_confirm_received(user=buyer, order_number=order.number)
    assert fresh(order).status == Order.Status.COMPLETED

    ledger = [(r.recipient, r.target, r.fields, r.purpose) for r in reversed(disclosure.ledger(buyer.pk))]
    assert ledger == [
        (taxonomy.PAYMENT_INSTITUTION.code, f"orders.purchase:{purchase.pk}",
         ["number", "total_fen", "payment_subject"], taxonomy.PAYMENT.code),
        (taxonomy.LOGISTICS.code, f"orders.order:{order.pk}", CARRIER_FIELDS, taxonomy.DELIVERY.code),
    ]  # fmt: skip


# --- What left is in the ledger, and no lock is held while the carrier is called (issue #6) -------


def test_a_lost_carrier_answer_keeps_the_disclosure_and_a_retry_gets_the_same_waybill(staff, monkeypatch):
    from candor.integrations.carrier.base import CarrierUnavailable
    from candor.integrations.carrier.kdniao import KdniaoGateway
    from candor.payments.tests.test_refunds_owed import outside_any_transaction

    order = to_ship()
    original = KdniaoGateway.create_waybill
    calls = []

    def lost(self, **kwargs):
        calls.append(outside_any_transaction())
        original(self, **kwargs)  # the carrier made the waybill; its answer never arrives
        raise CarrierUnavailable("timeout")

    monkeypatch.setattr(KdniaoGateway, "create_waybill", lost)
    with pytest.raises(CarrierUnavailable):
        ship(order, staff)
    (record,) = DisclosureRecord.objects.all()  # the recipient left: the ledger says so
    assert (record.recipient, record.fields) == (taxonomy.LOGISTICS.code, CARRIER_FIELDS)
    assert fresh(order).status == Order.Status.TO_SHIP and not Shipment.objects.exists()
    assert calls == [True]

    monkeypatch.setattr(KdniaoGateway, "create_waybill", original)
    shipment = ship(fresh(order), staff)
    (at_carrier,) = SimShipment.objects.all()  # one waybill for the order number
    assert shipment.waybill_no == at_carrier.waybill_no and fresh(order).status == Order.Status.SHIPPED
    assert DisclosureRecord.objects.count() == 2  # sent twice, recorded twice


def test_an_order_cancelled_while_the_carrier_answered_is_not_shipped(staff, monkeypatch):
    from candor.integrations.carrier.kdniao import KdniaoGateway

    order = to_ship()
    original = KdniaoGateway.create_waybill

    def slow(self, **kwargs):
        waybill = original(self, **kwargs)
        orders.order_cancel(order_id=order.pk, actor_id=None, reason="staff")  # meanwhile
        return waybill

    monkeypatch.setattr(KdniaoGateway, "create_waybill", slow)
    with pytest.raises(OrderStateInvalid):
        ship(order, staff)
    assert fresh(order).status == Order.Status.CANCELLED and not Shipment.objects.exists()
