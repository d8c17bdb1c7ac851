"""Kdniao's signature, times and states, against its published example and by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest

from candor.integrations.carrier import protocol


def test_data_sign_reproduces_kdniaos_published_example():
    # apitest.kdniao.com/checkSign.aspx: RequestData + APIKey -> MD5 (hex) -> Base64 -> URL-encode.
    request_data = "{'OrderCode':'','ShipperCode':'SF','LogisticCode':'118954907573'}"
    app_key = "56da2cf8-c8a2-44b2-b6fa-476cd7d1ba17"
    assert protocol.data_sign(request_data, app_key) == "OWFhM2I5N2ViM2U2MGRkMjc4YzU2NmVlZWI3ZDk0MmE="
    body = protocol.request_body(
        request_data=request_data, business_id="1237100", request_type="1002", app_key=app_key
    )
    assert "DataSign=OWFhM2I5N2ViM2U2MGRkMjc4YzU2NmVlZWI3ZDk0MmE%3D" in body  # the page's %3d
    assert "RequestData=%7B%27OrderCode%27%3A%27%27%2C%27ShipperCode%27%3A%27SF%27" in body
    fields = {k: v[0] for k, v in parse_qs(body).items()}
    assert fields == {
        "RequestData": request_data, "EBusinessID": "1237100", "RequestType": "1002",
        "DataSign": "OWFhM2I5N2ViM2U2MGRkMjc4YzU2NmVlZWI3ZDk0MmE=", "DataType": "2",
    }  # fmt: skip


def test_data_sign_signs_the_utf8_text_as_sent():
    # Worked by hand: MD5 of the UTF-8 bytes of '{"城市":"北京"}' + 'k' is
    # 86486371ecf079f7a970b4112019afef; the sign is the Base64 of those 32 characters (not of
    # the 16 raw bytes, and not upper-case hex, as other carriers' APIs do).
    assert protocol.data_sign('{"城市":"北京"}', "k") == "ODY0ODYzNzFlY2YwNzlmN2E5NzBiNDExMjAxOWFmZWY="
    assert protocol.data_sign('{"城市":"上海"}', "k") != protocol.data_sign('{"城市":"北京"}', "k")


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2024-05-01 08:30:00", datetime(2024, 5, 1, 0, 30, tzinfo=UTC)),
        ("2024/05/01 08:30:00", datetime(2024, 5, 1, 0, 30, tzinfo=UTC)),
        # Early morning in Beijing is still the day before in UTC (and the year before, here).
        ("2024-01-01 05:59:59", datetime(2023, 12, 31, 21, 59, 59, tzinfo=UTC)),
    ],
)
def test_beijing_time_becomes_aware_utc(text, utc):
    at = protocol.beijing_time(text)
    assert at == utc and at.utcoffset().total_seconds() == 0
    assert protocol.beijing_text(at) == text.replace("/", "-")


@pytest.mark.parametrize("text", ["", "2024-13-01 00:00:00", "1714523400", "yesterday"])
def test_an_unreadable_time_is_refused(text):
    with pytest.raises(ValueError):
        protocol.beijing_time(text)


@pytest.mark.parametrize(
    ("code", "state"),
    [
        ("1", "collected"), ("2", "in_transit"), ("201", "in_transit"), ("202", "out_for_delivery"),
        ("211", "out_for_delivery"), ("3", "delivered"), ("301", "delivered"), ("311", "delivered"),
        ("4", "problem"), ("404", "problem"), ("412", "problem"), ("0", None), ("", None), (None, None),
    ],
)  # fmt: skip
def test_kdniao_codes_map_to_our_states(code, state):
    assert protocol.state_of(code) == state


def test_basic_query_without_actions_places_the_waybill_state_on_the_newest_trace():
    # The basic 1002 answer has one State for the waybill and no state per trace.
    answer = {
        "Success": True, "State": "3",
        "Traces": [
            {"AcceptTime": "2024-05-01 08:00:00", "AcceptStation": "【杭州市】已揽收"},
            {"AcceptTime": "2024-05-01 20:00:00", "AcceptStation": "到达【北京转运中心】"},
            {"AcceptTime": "2024-05-02 09:00:00", "AcceptStation": "已签收，签收人：本人"},
        ],
    }  # fmt: skip
    events = protocol.events_from(answer)
    assert [e.state for e in events] == ["collected", "in_transit", "delivered"]
    assert events[0].description == "【杭州市】已揽收"
    assert events[0].at == datetime(2024, 5, 1, 0, 0, tzinfo=UTC) and events[0].location == ""


def test_traces_come_back_oldest_first_whatever_order_they_arrive_in():
    answer = {
        "State": "2",
        "Traces": [
            {"AcceptTime": "2024-05-01 20:00:00", "AcceptStation": "b", "Action": "2"},
            {"AcceptTime": "2024-05-01 08:00:00", "AcceptStation": "a", "Action": "1"},
        ],
    }
    assert [e.description for e in protocol.events_from(answer)] == ["a", "b"]
