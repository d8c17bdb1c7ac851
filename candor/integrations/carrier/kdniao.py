"""Kdniao (快递鸟): electronic waybills (1007), instant queries (1002) and tracking pushes (101).

One aggregator in front of the Chinese carriers (SF, ZTO, YTO, STO, Yunda, JD, EMS …), which
is why Candor talks to it rather than to each carrier. The wire format and the signature are in
``protocol``. Production endpoints: ``https://api.kdniao.com/api/EOrderService`` for waybills,
``https://api.kdniao.com/Ebusiness/EbusinessOrderHandle.aspx`` for queries; the tracking push
goes to the callback URL set in Kdniao's console (Candor's ``/fulfillment/carrier/push/``).

What leaves Candor: for a waybill, the recipient's name, mobile, province, city, district and
address and the items' names and quantities (the logistics disclosure payload), and the
sender's; for a query, the carrier and waybill number (and, for SF only, which requires it,
the last four digits of the *sender's* mobile — never the recipient's). Kdniao refuses
``' " # & + < >`` in a waybill request, so they are replaced by spaces in the texts sent.
Nothing of a request or answer is logged except the result code.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

import requests
from django.conf import settings
from django.utils import timezone

from candor.integrations.carrier import protocol
from candor.integrations.carrier.base import (
    CarrierGateway,
    CarrierUnavailable,
    PushRejected,
    TrackEvent,
    TrackUpdate,
    Waybill,
)
from candor.integrations.sms.transport import session_for

logger = logging.getLogger(__name__)
TIMEOUT = (3.05, 15)
_FORBIDDEN = re.compile(r"['\"#&+<>‘’“”]")
_MOBILE = re.compile(r"1\d{10}")
# Carriers whose query needs the last four digits of the sender's or recipient's phone.
_PHONE_TAIL_REQUIRED = {"SF"}


def _text(value: object) -> str:
    return _FORBIDDEN.sub(" ", str(value)).strip()


def _party(person: Mapping[str, str]) -> dict[str, str]:
    """A Kdniao Sender/Receiver from a recipient or sender mapping (KeyError if one is missing)."""
    phone = str(person["mobile"]).strip()
    return {
        "Name": _text(person["name"]),
        # A mainland mobile goes in Mobile; anything else (a 400 number, a landline) in Tel.
        ("Mobile" if _MOBILE.fullmatch(phone) else "Tel"): phone,
        "ProvinceName": _text(person["province"]),
        "CityName": _text(person["city"]),
        "ExpAreaName": _text(person.get("district", "")),
        "Address": _text(person["address"]),
    }


class KdniaoGateway(CarrierGateway):
    name = "kdniao"

    def __init__(self) -> None:
        config = settings.CANDOR_CARRIER["kdniao"]
        self.endpoint: str = config["endpoint"]
        self.eorder_endpoint: str = config["eorder_endpoint"]
        self.business_id: str = config["business_id"]
        self.app_key: str = config["app_key"]
        self.shipper_code: str = config["shipper_code"]
        self.sender_mobile: str = settings.CANDOR_CARRIER["sender"]["mobile"]

    # --- calls --------------------------------------------------------------------------------

    def request_body(self, request_type: str, payload: Mapping[str, Any]) -> str:
        """The form body of one signed call (the tests sign and tamper with it too)."""
        return protocol.request_body(
            request_data=protocol.dumps(payload),
            business_id=self.business_id,
            request_type=request_type,
            app_key=self.app_key,
        )

    def _call(self, endpoint: str, request_type: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        body = self.request_body(request_type, payload)
        try:
            with session_for(endpoint) as session:
                response = session.post(
                    endpoint,
                    data=body.encode("ascii"),
                    headers={"Content-Type": protocol.FORM, "Accept": "application/json"},
                    timeout=TIMEOUT,
                )
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            logger.warning("kdniao %s: %s", request_type, type(exc).__name__)
            raise CarrierUnavailable(type(exc).__name__) from exc
        if response.status_code != 200 or not isinstance(answer, dict):
            logger.warning("kdniao %s: HTTP %s", request_type, response.status_code)
            raise CarrierUnavailable(f"http_{response.status_code}")
        return answer

    def create_waybill(
        self,
        *,
        order_no: str,
        recipient: Mapping[str, str],
        items: Sequence[Mapping[str, object]],
        sender: Mapping[str, str],
        carrier_code: str = "",
    ) -> Waybill:
        shipper = carrier_code or self.shipper_code
        payload = {
            "OrderCode": order_no,
            "ShipperCode": shipper,
            "PayType": 1,  # 现付: the sender pays
            "ExpType": "1",  # 标准快件
            "Sender": _party(sender),
            "Receiver": _party(recipient),
            "Commodity": [
                {"GoodsName": _text(item["name"]), "Goodsquantity": int(str(item["quantity"]))}
                for item in items
            ],
            "Quantity": 1,  # parcels
        }
        answer = self._call(self.eorder_endpoint, protocol.EORDER, payload)
        code = str(answer.get("ResultCode") or "")
        order = answer.get("Order")
        if not isinstance(order, dict):
            order = {}
        # 106: the OrderCode has a waybill already (a retry after a lost answer): the same one.
        accepted = protocol.truthy(answer.get("Success")) or code == protocol.DUPLICATE
        if accepted and order.get("LogisticCode"):
            return Waybill(
                carrier_code=str(order.get("ShipperCode") or shipper), waybill_no=str(order["LogisticCode"])
            )
        logger.warning("kdniao waybill refused: %s", code or "no result code")
        raise CarrierUnavailable(code or "refused")

    def track(self, *, carrier_code: str, waybill_no: str) -> list[TrackEvent]:
        payload = {"OrderCode": "", "ShipperCode": carrier_code, "LogisticCode": waybill_no}
        if carrier_code in _PHONE_TAIL_REQUIRED:
            payload["CustomerName"] = re.sub(r"\D", "", self.sender_mobile)[-4:]
        answer = self._call(self.endpoint, protocol.QUERY, payload)
        if not protocol.truthy(answer.get("Success")):
            # "暂无轨迹信息": a waybill the carrier has not scanned yet is a query answer (State 0,
            # an empty Traces) without success; a refusal (a bad sign, say) has no Traces at all.
            if answer.get("Traces") == [] and str(answer.get("State")) == "0":
                return []
            logger.warning("kdniao query refused: %s", answer.get("ResultCode") or "no result code")
            raise CarrierUnavailable(str(answer.get("ResultCode") or "refused"))
        try:
            return protocol.events_from(answer)
        except (ValueError, TypeError, KeyError) as exc:
            raise CarrierUnavailable("malformed") from exc

    # --- the push ---------------------------------------------------------------------------

    def verify_push(self, *, body: bytes, content_type: str) -> list[TrackUpdate]:
        if content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
            raise PushRejected("content_type")
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except (UnicodeDecodeError, ValueError) as exc:
            raise PushRejected("malformed") from exc
        if any(len(values) != 1 for values in form.values()):
            raise PushRejected("malformed")  # one value per name: no doubt which one was signed
        fields = {name: values[0] for name, values in form.items()}
        request_data, sign = fields.get("RequestData", ""), fields.get("DataSign", "")
        if not request_data or not sign:
            raise PushRejected("malformed")
        # Kdniao does not URL-encode a push's DataSign; being Base64 of hex digits it has only
        # letters, digits and a trailing "=", which form decoding reads the same either way.
        expected = protocol.data_sign(request_data, self.app_key)
        if not hmac.compare_digest(expected.encode("ascii"), sign.encode("utf-8")):
            raise PushRejected("signature")
        if fields.get("RequestType") != protocol.PUSH:
            raise PushRejected("request_type")
        try:
            data = json.loads(request_data)
            if str(data["EBusinessID"]) != self.business_id:
                raise PushRejected("business_id")
            items = data["Data"]
            if not isinstance(items, list):
                raise TypeError("Data is not a list")
            return [
                TrackUpdate(waybill_no=str(item["LogisticCode"]), events=protocol.events_from(item))
                for item in items
                # An item Kdniao could not query for has nothing to say.
                if protocol.truthy(item.get("Success", True))
            ]
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise PushRejected("malformed") from exc

    def push_ack(self, *, ok: bool) -> tuple[int, str, bytes]:
        answer = {
            "EBusinessID": self.business_id,
            "UpdateTime": protocol.beijing_text(timezone.now()),
            "Success": ok,
            "Reason": "" if ok else "push not accepted",
        }
        return 200, "application/json; charset=utf-8", protocol.dumps(answer).encode("utf-8")
