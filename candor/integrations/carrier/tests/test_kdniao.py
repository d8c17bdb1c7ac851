"""The Kdniao adapter against the simulator: waybills, queries, refusals, in Kdniao's format."""

from __future__ import annotations

import itertools
import json
from urllib.parse import parse_qs, urlencode

import pytest
from django.test import Client

from candor.integrations.carrier import simulator
from candor.integrations.carrier.base import CarrierUnavailable, Waybill, gateway
from candor.integrations.carrier.kdniao import KdniaoGateway
from candor.integrations.carrier.models import SimShipment, SimTrace
from candor.integrations.carrier.tests.conftest import ITEMS, RECIPIENT

API = "/_sim/carrier/kdniao/api/"


def _create(sender, order_no="C20240501000001", **kwargs) -> Waybill:
    return gateway().create_waybill(
        order_no=order_no, recipient=RECIPIENT, items=ITEMS, sender=sender, **kwargs
    )


def _post(body: str):
    return Client().post(API, data=body, content_type="application/x-www-form-urlencoded;charset=utf-8")


def _eorder_body(sender, **changes) -> str:
    payload = {
        "OrderCode": "C1", "ShipperCode": "ZTO", "PayType": 1, "ExpType": "1",
        "Sender": {"Name": sender["name"], "Tel": sender["mobile"], "ProvinceName": sender["province"],
                   "CityName": sender["city"], "ExpAreaName": "", "Address": sender["address"]},
        "Receiver": {"Name": "张三", "Mobile": "13800138000", "ProvinceName": "北京市",
                     "CityName": "北京市", "ExpAreaName": "朝阳区", "Address": "三里屯路19号院"},
        "Commodity": [{"GoodsName": "无线耳机", "Goodsquantity": 1}], "Quantity": 1,
        **changes,
    }  # fmt: skip
    return KdniaoGateway().request_body("1007", payload)


def test_gateway_is_the_configured_one():
    assert isinstance(gateway(), KdniaoGateway) and gateway().name == "kdniao"


# --- electronic waybill (1007) ------------------------------------------------------------------


def test_create_waybill_answers_the_simulated_carriers_waybill(sender):
    waybill = _create(sender)
    shipment = SimShipment.objects.get()
    assert waybill == Waybill(carrier_code="ZTO", waybill_no=shipment.waybill_no)
    assert shipment.order_no == "C20240501000001" and shipment.carrier_code == "ZTO"
    # The simulated carrier keeps the recipient's city, and nothing else of the recipient.
    assert shipment.recipient_city == "北京市"
    kept = {f.name for f in SimShipment._meta.concrete_fields}
    assert kept == {
        "id",
        "waybill_no",
        "carrier_code",
        "order_no",
        "recipient_city",
        "account_id",
        "created_at",
    }
    assert not SimTrace.objects.exists()  # no event until the courier collects the parcel


def test_create_waybill_with_a_named_carrier(sender):
    waybill = _create(sender, carrier_code="SF")
    assert waybill.carrier_code == "SF" and waybill.waybill_no.startswith("SF")


def test_asking_again_for_an_order_answers_the_same_waybill(sender):
    first = _create(sender)
    again = _create(sender)
    assert again == first and SimShipment.objects.count() == 1


def test_the_request_is_the_signed_disclosure_payload_and_nothing_else(sender):
    body = _eorder_body(sender)
    fields = {k: v[0] for k, v in parse_qs(body).items()}
    assert set(fields) == {"RequestData", "EBusinessID", "RequestType", "DataSign", "DataType"}
    gateway_ = KdniaoGateway()
    sign = gateway_.request_body
    sent = []

    def capture(request_type, payload):
        sent.append(payload)
        return sign(request_type, payload)

    gateway_.request_body = capture
    gateway_.create_waybill(order_no="C9", recipient=RECIPIENT, items=ITEMS, sender=sender)
    receiver = sent[0]["Receiver"]
    # '#' is one of the characters Kdniao refuses: replaced, so the waybill is accepted.
    assert receiver == {
        "Name": "张三", "Mobile": "13800138000", "ProvinceName": "北京市", "CityName": "北京市",
        "ExpAreaName": "朝阳区", "Address": "三里屯路19号院 3号楼",
    }  # fmt: skip
    assert sent[0]["Commodity"] == [
        {"GoodsName": "无线耳机", "Goodsquantity": 1},
        {"GoodsName": "保护套", "Goodsquantity": 2},
    ]
    # The sender's 400 number is not a mobile: Kdniao's Tel.
    assert "Tel" in sent[0]["Sender"] and "Mobile" not in sent[0]["Sender"]


def test_the_simulator_accepts_a_signed_request(sender):
    answer = _post(_eorder_body(sender)).json()
    assert answer["Success"] is True and answer["ResultCode"] == "100"
    assert answer["Order"]["LogisticCode"] == SimShipment.objects.get().waybill_no


def test_a_request_tampered_after_signing_is_refused(sender):
    fields = {k: v[0] for k, v in parse_qs(_eorder_body(sender)).items()}
    fields["RequestData"] = fields["RequestData"].replace("北京市", "上海市")
    answer = _post(urlencode(fields))
    assert answer.status_code == 200
    body = answer.json()
    assert body["Success"] is False and body["ResultCode"] == "102" and body["Reason"]
    assert not SimShipment.objects.exists()


def test_a_request_signed_with_another_key_is_refused_and_the_adapter_says_unavailable(
    sender, carrier_settings
):
    carrier = KdniaoGateway()
    carrier.app_key = "not-the-merchants-key"
    with pytest.raises(CarrierUnavailable) as refused:
        carrier.create_waybill(order_no="C2", recipient=RECIPIENT, items=ITEMS, sender=sender)
    assert refused.value.detail == "102" and refused.value.status == 503
    assert refused.value.code == "carrier_unavailable"
    assert not SimShipment.objects.exists()


def test_an_unknown_merchant_is_refused(sender):
    carrier = KdniaoGateway()
    carrier.business_id = "9999999"
    with pytest.raises(CarrierUnavailable) as refused:
        carrier.create_waybill(order_no="C3", recipient=RECIPIENT, items=ITEMS, sender=sender)
    assert refused.value.detail == "104" and not SimShipment.objects.exists()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"Commodity": []}, "101"),
        ({"ShipperCode": "NOPE"}, "105"),
        ({"Remark": "<script>"}, "103"),
    ],
)
def test_the_simulator_refuses_bad_waybill_requests_in_kdniaos_shape(sender, changes, code):
    answer = _post(_eorder_body(sender, **changes)).json()
    assert answer["Success"] is False and answer["ResultCode"] == code
    assert {"EBusinessID", "UpdateTime", "Reason", "UniquerRequestNumber"} <= answer.keys()
    assert not SimShipment.objects.exists()


def test_an_unreachable_carrier_is_unavailable(sender, carrier_settings):
    carrier_settings["kdniao"]["eorder_endpoint"] = "inprocess://localhost/_sim/carrier/nowhere/"
    with pytest.raises(CarrierUnavailable):
        _create(sender)


# --- instant query (1002) ---------------------------------------------------------------------


def test_track_before_collection_has_no_events(sender):
    waybill = _create(sender)
    assert gateway().track(carrier_code=waybill.carrier_code, waybill_no=waybill.waybill_no) == []


def test_track_returns_the_events_in_order_with_our_states(sender):
    waybill = _create(sender)
    for _ in range(4):
        simulator.advance(waybill.waybill_no)
    events = gateway().track(carrier_code=waybill.carrier_code, waybill_no=waybill.waybill_no)
    assert [e.state for e in events] == ["collected", "in_transit", "out_for_delivery", "delivered"]
    assert all(a.at < b.at for a, b in itertools.pairwise(events))
    assert all(e.at.utcoffset().total_seconds() == 0 for e in events)
    stored = list(SimTrace.objects.order_by("at"))
    assert [e.at for e in events] == [t.at for t in stored]  # Beijing text back to the same instant
    assert "已揽收" in events[0].description and events[0].location == "杭州市"
    assert "已签收" in events[-1].description and events[-1].location == "北京市"


def test_track_an_unknown_waybill_has_no_events():
    assert gateway().track(carrier_code="ZTO", waybill_no="780000000000000") == []


def test_sf_queries_carry_the_senders_phone_tail_and_the_simulator_requires_it(sender):
    waybill = _create(sender, carrier_code="SF")
    simulator.advance(waybill.waybill_no)
    events = gateway().track(carrier_code="SF", waybill_no=waybill.waybill_no)
    assert [e.state for e in events] == ["collected"]
    body = KdniaoGateway().request_body("1002", {"OrderCode": "", "ShipperCode": "SF", "LogisticCode": "x"})
    answer = _post(body).json()
    assert answer["Success"] is False and "CustomerName" in answer["Reason"]


def test_a_refused_query_is_unavailable(sender):
    carrier = KdniaoGateway()
    carrier.app_key = "wrong"
    with pytest.raises(CarrierUnavailable):
        carrier.track(carrier_code="ZTO", waybill_no="780000000000000")


def test_the_query_answer_is_kdniaos_shape(sender):
    waybill = _create(sender)
    simulator.advance(waybill.waybill_no)
    body = KdniaoGateway().request_body(
        "1002", {"OrderCode": "", "ShipperCode": "ZTO", "LogisticCode": waybill.waybill_no}
    )
    answer = json.loads(_post(body).content)
    assert answer["Success"] is True and answer["State"] == "1" and answer["StateEx"] == "1"
    assert answer["LogisticCode"] == waybill.waybill_no
    (trace,) = answer["Traces"]
    assert set(trace) >= {"AcceptTime", "AcceptStation", "Location", "Action"}
