"""Kdniao's (快递鸟) wire format, shared by the adapter and the simulator so both read it alike.

Every call is a form POST (``application/x-www-form-urlencoded;charset=utf-8``) of
``RequestData`` (the JSON request, URL-encoded), ``EBusinessID`` (the merchant id),
``RequestType`` (1007 electronic waybill, 1002 instant query), ``DataSign`` and ``DataType=2``
(JSON). DataSign, as Kdniao publishes it (接口签名说明, apitest.kdniao.com/checkSign.aspx): the
MD5 of the *unencoded* RequestData followed by the AppKey, written as 32 lower-case hex digits;
that hex text Base64-encoded; the result URL-encoded as a form value. Kdniao's worked example
(RequestData ``{'OrderCode':'','ShipperCode':'SF','LogisticCode':'118954907573'}``, AppKey
``56da2cf8-…-476cd7d1ba17``) gives ``OWFhM2I5N2ViM2U2MGRkMjc4YzU2NmVlZWI3ZDk0MmE=``; the tests
reproduce it. Its pushes to the merchant (RequestType 101) are signed the same way with the
merchant's own AppKey.

Times are Beijing time without a zone (``2024-05-01 08:30:00``; older answers use ``/``).

States: a trace's ``Action`` and a waybill's ``StateEx`` use the same codes (1 collected;
2 in transit, 201 arrived in the destination city; 202 out for delivery, 211 left in a parcel
locker or station; 3 signed for, 301/302/304 variants, 311 taken from the locker; 4 and 4xx
problems); ``State`` has the coarse ones (0 no trace yet, 1, 2, 3, 4).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from candor.integrations.carrier.base import (
    COLLECTED,
    DELIVERED,
    IN_TRANSIT,
    OUT_FOR_DELIVERY,
    PROBLEM,
    TrackEvent,
)

BEIJING = ZoneInfo("Asia/Shanghai")
FORM = "application/x-www-form-urlencoded;charset=utf-8"
EORDER = "1007"
QUERY = "1002"
PUSH = "101"
# Kdniao's result codes of the electronic waybill: 100 created, 106 this OrderCode has a waybill.
CREATED, DUPLICATE = "100", "106"

_STATES = {
    "1": COLLECTED,
    "2": IN_TRANSIT,
    "201": IN_TRANSIT,
    "202": OUT_FOR_DELIVERY,
    "211": OUT_FOR_DELIVERY,  # waiting in a locker or station: the last mile, not yet received
    "3": DELIVERED,
    "301": DELIVERED,
    "302": DELIVERED,
    "304": DELIVERED,
    "311": DELIVERED,
}
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M")


def data_sign(request_data: str, app_key: str) -> str:
    """DataSign before URL-encoding: Base64 of the lower-case hex MD5 of RequestData + AppKey."""
    # MD5 is Kdniao's published algorithm, not a choice of ours.
    digest = hashlib.md5((request_data + app_key).encode("utf-8"), usedforsecurity=False).hexdigest()
    return base64.b64encode(digest.encode("ascii")).decode("ascii")


def dumps(value: Any) -> str:
    """The RequestData text: compact JSON, Chinese as it is (the bytes signed are the bytes sent)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def request_body(*, request_data: str, business_id: str, request_type: str, app_key: str) -> str:
    return urlencode(
        {
            "RequestData": request_data,
            "EBusinessID": business_id,
            "RequestType": request_type,
            "DataSign": data_sign(request_data, app_key),
            "DataType": "2",
        }
    )


def push_body(*, request_data: str, app_key: str) -> str:
    return urlencode(
        {"RequestData": request_data, "DataSign": data_sign(request_data, app_key), "RequestType": PUSH}
    )


def truthy(value: Any) -> bool:
    # Kdniao answers JSON booleans, but some of its services send "true"/"false" strings.
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def beijing_time(text: str) -> datetime:
    """A Kdniao time (Beijing, no zone) as an aware UTC datetime; ValueError if unreadable."""
    for layout in _TIME_FORMATS:
        try:
            naive = datetime.strptime(text.strip(), layout)
        except ValueError:
            continue
        return naive.replace(tzinfo=BEIJING).astimezone(UTC)
    raise ValueError(f"not a Kdniao time: {text!r}")


def beijing_text(at: datetime) -> str:
    return at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def state_of(code: object) -> str | None:
    """Our state for a Kdniao State/StateEx/Action code; None for 0 (no trace) or unknown."""
    code = str(code or "").strip()
    if code in _STATES:
        return _STATES[code]
    if code.startswith("4"):
        return PROBLEM
    return None


def _positional(index: int, count: int, overall: str | None) -> str:
    # The basic instant query gives a state for the waybill, not per trace: the newest trace
    # has it, the first is the collection, the ones between are transit.
    if index == count - 1 and overall:
        return overall
    return COLLECTED if index == 0 else IN_TRANSIT


def events_from(record: Mapping[str, Any]) -> list[TrackEvent]:
    """The events of a 1002 answer or of one push ``Data`` item, oldest first.

    Raises ValueError, TypeError or KeyError when the record is not Kdniao's shape."""
    traces = record.get("Traces") or []
    if not isinstance(traces, list):
        raise TypeError("Traces is not a list")
    overall = state_of(record.get("StateEx")) or state_of(record.get("State"))
    events = [
        TrackEvent(
            at=beijing_time(str(trace["AcceptTime"])),
            state=state_of(trace.get("Action")) or _positional(index, len(traces), overall),
            description=str(trace.get("AcceptStation") or ""),
            location=str(trace.get("Location") or ""),
        )
        for index, trace in enumerate(traces)
    ]
    # Kdniao sends traces oldest first; a stable sort keeps that order within one second.
    return sorted(events, key=lambda event: event.at)
