"""The simulator's parcels move on and push their tracking, signed, to Candor's endpoint."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlencode

import pytest
from django.test import Client
from django.utils import timezone

from candor.errors import CandorError
from candor.integrations.carrier import protocol, simulator
from candor.integrations.carrier.base import PushRejected, TrackUpdate, gateway
from candor.integrations.carrier.models import SimShipment, SimTrace
from candor.integrations.carrier.tests import push_urls
from candor.integrations.carrier.tests.conftest import ITEMS, RECIPIENT
from candor.privacy import retention

FORM = "application/x-www-form-urlencoded;charset=utf-8"


@pytest.fixture
def waybill(sender):
    return gateway().create_waybill(order_no="C77", recipient=RECIPIENT, items=ITEMS, sender=sender)


def _fields(body: bytes) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body.decode()).items()}


def test_advance_pushes_a_signed_101_body_that_verify_push_accepts(waybill, pushes):
    trace = simulator.advance(waybill.waybill_no)
    assert trace.pushed_at is not None  # the endpoint acknowledged it with the adapter's ack
    (push,) = pushes
    fields = _fields(push["body"])
    assert fields["RequestType"] == "101" and push["content_type"].startswith("application/x-www-form")
    assert fields["DataSign"] == protocol.data_sign(fields["RequestData"], "test-app-key-5d2c")
    (update,) = push["updates"]
    assert isinstance(update, TrackUpdate) and update.waybill_no == waybill.waybill_no
    (event,) = update.events
    assert event.state == "collected" and event.at == trace.at and "已揽收" in event.description


def test_each_push_carries_the_whole_trace(waybill, pushes):
    for _ in range(3):
        simulator.advance(waybill.waybill_no)
    assert [len(p["updates"][0].events) for p in pushes] == [1, 2, 3]
    assert [e.state for e in pushes[-1]["updates"][0].events] == [
        "collected",
        "in_transit",
        "out_for_delivery",
    ]


def test_a_push_candor_does_not_acknowledge_stays_unpushed(waybill, pushes):
    push_urls.answer_ok["value"] = False
    trace = simulator.advance(waybill.waybill_no)
    assert len(pushes) == 1 and trace.pushed_at is None
    assert SimTrace.objects.get().pushed_at is None


def test_an_unreachable_push_url_keeps_the_event_unpushed(waybill, carrier_settings, pushes):
    carrier_settings["push_url"] = "inprocess://localhost/nowhere/"
    trace = simulator.advance(waybill.waybill_no)
    assert trace.pushed_at is None and SimTrace.objects.count() == 1 and not pushes


def _signed_push(waybill, pushes) -> tuple[bytes, dict[str, str]]:
    simulator.advance(waybill.waybill_no)
    body = pushes[0]["body"]
    return body, _fields(body)


def test_a_tampered_push_raises_push_rejected(waybill, pushes):
    _body, fields = _signed_push(waybill, pushes)
    fields["RequestData"] = fields["RequestData"].replace("已揽收", "已签收")
    with pytest.raises(PushRejected) as rejected:
        gateway().verify_push(body=urlencode(fields).encode(), content_type=FORM)
    assert rejected.value.reason == "signature"


def test_a_push_signed_with_another_key_is_rejected(waybill, pushes):
    _body, fields = _signed_push(waybill, pushes)
    fields["DataSign"] = protocol.data_sign(fields["RequestData"], "someone-elses-key")
    with pytest.raises(PushRejected, match="signature"):
        gateway().verify_push(body=urlencode(fields).encode(), content_type=FORM)


def test_an_unencoded_datasign_is_read_as_kdniao_sends_it(waybill, pushes):
    _body, fields = _signed_push(waybill, pushes)
    # The Base64 sign as it is, "=" and all, not percent-encoded.
    request_data = urlencode({"RequestData": fields["RequestData"]})
    raw = f"{request_data}&DataSign={fields['DataSign']}&RequestType=101"
    assert raw.endswith("=&RequestType=101")
    (update,) = gateway().verify_push(body=raw.encode(), content_type=FORM)
    assert update.waybill_no == waybill.waybill_no


def _resigned(fields: dict[str, str], data: dict, **extra: str) -> bytes:
    request_data = protocol.dumps(data)
    signed = {
        **fields,
        "RequestData": request_data,
        "DataSign": protocol.data_sign(request_data, "test-app-key-5d2c"),
    }
    return urlencode({**signed, **extra}).encode()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda body, f, d: (body, "application/json"), "content_type"),
        (lambda body, f, d: (urlencode({"RequestData": f["RequestData"]}).encode(), FORM), "malformed"),
        (lambda body, f, d: (body + b"&DataSign=again", FORM), "malformed"),
        (lambda body, f, d: (b"\xff\xfe", FORM), "malformed"),
        (lambda body, f, d: (_resigned(f, d, RequestType="107"), FORM), "request_type"),
        (lambda body, f, d: (_resigned(f, {**d, "EBusinessID": "7654321"}), FORM), "business_id"),
        (lambda body, f, d: (_resigned(f, {**d, "Data": "nope"}), FORM), "malformed"),
        (lambda body, f, d: (_resigned(f, {**d, "Data": [{"LogisticCode": "1", "Traces": [
            {"AcceptTime": "soon", "AcceptStation": "x"}]}]}), FORM), "malformed"),
    ],
)  # fmt: skip
def test_pushes_that_are_not_kdniaos_are_rejected_with_a_reason(waybill, pushes, make, reason):
    body, fields = _signed_push(waybill, pushes)
    data = json.loads(fields["RequestData"])
    payload, content_type = make(body, fields, data)
    with pytest.raises(PushRejected) as rejected:
        gateway().verify_push(body=payload, content_type=content_type)
    assert rejected.value.reason == reason


def test_push_ack_is_kdniaos_answer():
    status, content_type, body = gateway().push_ack(ok=True)
    answer = json.loads(body)
    assert status == 200 and content_type.startswith("application/json")
    assert answer["EBusinessID"] == "1000000" and answer["Success"] is True and answer["Reason"] == ""
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", answer["UpdateTime"])
    assert json.loads(gateway().push_ack(ok=False)[2])["Success"] is False


def test_a_delivered_parcel_does_not_move_on(waybill, pushes):
    for _ in range(4):
        simulator.advance(waybill.waybill_no)
    with pytest.raises(CandorError) as refused:
        simulator.advance(waybill.waybill_no)
    assert refused.value.status == 409 and SimTrace.objects.count() == 4 and len(pushes) == 4


def test_an_unknown_waybill_cannot_advance(pushes):
    with pytest.raises(CandorError) as refused:
        simulator.advance("nope")
    assert refused.value.status == 404 and not pushes


# --- the page ---------------------------------------------------------------------------------


def test_the_page_lists_waybills_with_an_advance_button_each(waybill):
    page = Client().get("/_sim/carrier/kdniao/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="sim-advance-{waybill.waybill_no}"' in html and waybill.waybill_no in html


def test_the_button_advances_and_pushes(waybill, pushes):
    client = Client()
    answer = client.post(f"/_sim/carrier/kdniao/{waybill.waybill_no}/advance/")
    assert answer.status_code == 302 and answer["Location"] == "/_sim/carrier/kdniao/"
    assert SimTrace.objects.get().pushed_at is not None and len(pushes) == 1
    for _ in range(3):
        client.post(f"/_sim/carrier/kdniao/{waybill.waybill_no}/advance/")
    html = client.get("/_sim/carrier/kdniao/").content.decode()
    assert f'id="sim-advance-{waybill.waybill_no}"' not in html  # delivered: nothing left to do
    refused = client.post(f"/_sim/carrier/kdniao/{waybill.waybill_no}/advance/", follow=True)
    assert refused.status_code == 200 and SimTrace.objects.count() == 4


# --- what the simulated carrier keeps ---------------------------------------------------------


def test_the_retention_sweep_removes_simulated_records_after_30_days(waybill, sender):
    simulator.advance(waybill.waybill_no)
    fresh = gateway().create_waybill(order_no="C78", recipient=RECIPIENT, items=ITEMS, sender=sender)
    simulator.advance(fresh.waybill_no)
    old = timezone.now() - timedelta(days=30, minutes=1)
    SimShipment.objects.filter(waybill_no=waybill.waybill_no).update(created_at=old)
    SimTrace.objects.filter(shipment__waybill_no=waybill.waybill_no).update(at=old)
    results = {r.label: r.rows for r in retention.sweep()}
    # The old waybill goes, and its events with it (whichever rule reaches them first).
    assert results["carrier_simulator.SimShipment"] == 2  # the waybill and its one event
    assert list(SimShipment.objects.values_list("waybill_no", flat=True)) == [fresh.waybill_no]
    assert SimTrace.objects.get().shipment.waybill_no == fresh.waybill_no
