"""The simulated Kdniao: what it answers to a waybill request and a query, and how a parcel moves.

``answer_eorder`` and ``answer_query`` are the carrier's side of RequestType 1007 and 1002 (the
view in ``views`` has verified the signature before). A waybill starts with no event, as a real
one does until the courier scans the parcel; ``advance`` — the page's button, and what the
tests and the demo call — appends the next event (collected → in transit → out for delivery →
delivered) and pushes the waybill's whole trace to ``settings.CANDOR_CARRIER["push_url"]``
(RequestType 101, signed with the merchant's AppKey), as Kdniao pushes to a subscriber. A push
the receiver does not acknowledge leaves the event unpushed (``pushed_at`` empty); the next
advance pushes the whole trace again.

Result codes of the waybill answer, as Kdniao lists them: 100 created, 101 a required field is
missing, 103 a character Kdniao refuses, 105 other (an unsupported carrier), 106 the OrderCode
has a waybill already (which is returned again).
"""

from __future__ import annotations

import logging
import re
import secrets
import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.integrations.carrier import protocol, selectors, services
from candor.integrations.carrier.models import SimShipment, SimTrace
from candor.integrations.sms.transport import session_for

logger = logging.getLogger(__name__)
TIMEOUT = (3.05, 15)

CARRIER_NAMES = {
    "SF": "顺丰速运", "ZTO": "中通快递", "YTO": "圆通速递", "STO": "申通快递", "YD": "韵达速递",
    "JD": "京东快递", "EMS": "EMS", "HTKY": "百世快递", "DBL": "德邦快递", "JTSD": "极兔速递",
}  # fmt: skip
# The first characters of each carrier's waybill numbers, then digits (13 in all after them).
_PREFIX = {"SF": "SF", "ZTO": "78", "YTO": "YT", "STO": "77", "YD": "43", "JD": "JD", "JTSD": "JT"}
_REFUSED_CHARACTERS = re.compile(r"['\"#&+<>]")

# action, text (the carrier's words), whose city it happens in.
STEPS = (
    ("1", "【{sender_city}】{carrier} 已揽收", "sender"),
    ("2", "快件已从【{sender_city}】转运中心发出，正发往【{recipient_city}】转运中心", "sender"),
    ("202", "【{recipient_city}】快递员正在派件，请保持电话畅通", "recipient"),
    ("3", "【{recipient_city}】快件已签收，签收人：本人。感谢使用{carrier}，期待再次为您服务", "recipient"),
)


def _now_text() -> str:
    return protocol.beijing_text(timezone.now())


def failure(business_id: str, result_code: str, reason: str) -> dict[str, Any]:
    """Kdniao's failure answer: HTTP 200, ``Success`` false, a result code and a reason."""
    return {
        "EBusinessID": business_id,
        "UpdateTime": _now_text(),
        "Success": False,
        "ResultCode": result_code,
        "Reason": reason,
        "UniquerRequestNumber": str(uuid.uuid4()),
    }


def waybill_number(carrier_code: str) -> str:
    prefix = _PREFIX.get(carrier_code, "")
    while True:
        number = prefix + "".join(secrets.choice("0123456789") for _ in range(13))
        if not SimShipment.objects.filter(waybill_no=number).exists():
            return number


def _missing(payload: Mapping[str, Any]) -> str | None:
    """The first required field the 1007 request lacks, in Kdniao's words, or None."""
    for name in ("OrderCode", "ShipperCode", "PayType", "ExpType"):
        if payload.get(name) in (None, ""):
            return name
    for party in ("Sender", "Receiver"):
        person = payload.get(party)
        if not isinstance(person, dict):
            return party
        for name in ("Name", "ProvinceName", "CityName", "Address"):
            if not str(person.get(name) or "").strip():
                return f"{party}.{name}"
        if not (person.get("Mobile") or person.get("Tel")):
            return f"{party}.Mobile"
    goods = payload.get("Commodity")
    if (
        not isinstance(goods, list)
        or not goods
        or not all(isinstance(g, dict) and g.get("GoodsName") for g in goods)
    ):
        return "Commodity.GoodsName"
    return None


def _texts_in(value: Any) -> list[str]:
    """Every string value of a request, however deep (the refused characters apply to values)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts_in(item)]
    return []


def _order(shipment: SimShipment) -> dict[str, str]:
    return {
        "OrderCode": shipment.order_no,
        "ShipperCode": shipment.carrier_code,
        "LogisticCode": shipment.waybill_no,
        "KDNOrderCode": f"KDN{shipment.pk:012d}",
    }


def answer_eorder(business_id: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    missing = _missing(payload)
    if missing:
        return failure(business_id, "101", f"缺少必要参数[{missing}]")
    if any(_REFUSED_CHARACTERS.search(text) for text in _texts_in(payload)):
        return failure(business_id, "103", "请求报文中不允许出现特殊字符 ' \" # & + < >")
    carrier_code = str(payload["ShipperCode"])
    if carrier_code not in CARRIER_NAMES:
        return failure(business_id, "105", "不支持的快递公司编码")
    order_no = str(payload["OrderCode"])
    existing = selectors.shipment_for_order(order_no=order_no)
    if existing is None:
        try:
            with transaction.atomic():
                shipment = services.shipment_create(
                    waybill_no=waybill_number(carrier_code),
                    carrier_code=carrier_code,
                    order_no=order_no,
                    recipient_city=str(payload["Receiver"]["CityName"]),
                )
        except IntegrityError:
            # The same OrderCode at the same moment: the other request created it.
            existing = selectors.shipment_for_order(order_no=order_no)
            if existing is None:
                raise
    if existing is not None:
        return {**failure(business_id, "106", "该订单号已下单成功"), "Order": _order(existing)}
    return {
        "EBusinessID": business_id,
        "UniquerRequestNumber": str(uuid.uuid4()),
        "Order": _order(shipment),
        "Success": True,
        "ResultCode": protocol.CREATED,
        "Reason": "",
    }


def record(shipment: SimShipment) -> dict[str, Any]:
    """A waybill as Kdniao describes it: the 1002 answer, and one ``Data`` item of a push."""
    traces = list(shipment.traces.order_by("at", "id"))
    latest = traces[-1] if traces else None
    return {
        "EBusinessID": settings.CANDOR_CARRIER["kdniao"]["business_id"],
        "OrderCode": shipment.order_no,
        "ShipperCode": shipment.carrier_code,
        "LogisticCode": shipment.waybill_no,
        "Success": True,
        "Reason": "" if traces else "暂无轨迹信息",
        "State": latest.action[0] if latest else "0",  # the coarse state: 1, 2 (202 too), 3
        "StateEx": latest.action if latest else "0",
        "Location": latest.location if latest else "",
        "Traces": [
            {
                "AcceptTime": protocol.beijing_text(trace.at),
                "AcceptStation": trace.station,
                "Location": trace.location,
                "Action": trace.action,
                "Remark": "",
            }
            for trace in traces
        ],
    }


def answer_query(business_id: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    carrier_code = str(payload.get("ShipperCode") or "")
    waybill_no = str(payload.get("LogisticCode") or "")
    if not carrier_code or not waybill_no:
        return failure(business_id, "101", "缺少必要参数[ShipperCode, LogisticCode]")
    if carrier_code == "SF" and not re.fullmatch(r"\d{4}", str(payload.get("CustomerName") or "")):
        return failure(business_id, "101", "顺丰单号查询需提供寄件人或收件人手机号后四位[CustomerName]")
    shipment = selectors.shipment_get(carrier_code=carrier_code, waybill_no=waybill_no)
    if shipment is None:
        return {
            **failure(business_id, "", "暂无轨迹信息"),
            "ShipperCode": carrier_code,
            "LogisticCode": waybill_no,
            "State": "0",
            "Traces": [],
        }
    return record(shipment)


def _texts(shipment: SimShipment) -> dict[str, str]:
    return {
        "carrier": CARRIER_NAMES.get(shipment.carrier_code, shipment.carrier_code),
        "sender_city": settings.CANDOR_CARRIER["sender"]["city"],
        "recipient_city": shipment.recipient_city,
    }


def next_step(shipment: SimShipment) -> tuple[str, str, str] | None:
    """The event ``advance`` would append next, or None once delivered."""
    done = len(shipment.traces.all())  # prefetched on the page
    return STEPS[done] if done < len(STEPS) else None


def advance(waybill_no: str) -> SimTrace:
    """Append the parcel's next event and push the whole trace to Candor, as Kdniao would."""
    with transaction.atomic():
        shipment = SimShipment.objects.select_for_update().filter(waybill_no=waybill_no).first()
        if shipment is None:
            raise CandorError(
                _("No simulated shipment has this waybill number."), code="not_found", status=404
            )
        step = next_step(shipment)
        if step is None:
            raise CandorError(_("This parcel has been delivered already."), code="delivered", status=409)
        action, text, where = step
        texts = _texts(shipment)
        previous = shipment.traces.order_by("-at", "-id").first()
        # Kdniao's times have whole seconds; each event is at least a second after the last.
        at = timezone.now().replace(microsecond=0)
        if previous is not None and at <= previous.at:
            at = previous.at + timedelta(seconds=1)
        trace = services.trace_append(
            shipment=shipment,
            action=action,
            at=at,
            station=text.format(**texts),
            location=texts[f"{where}_city"],
        )
    if push(shipment):
        services.trace_mark_pushed(trace=trace)
    return trace


def push(shipment: SimShipment) -> bool:
    """Post the waybill's trace to the configured push URL; whether Candor acknowledged it."""
    config = settings.CANDOR_CARRIER
    request_data = protocol.dumps(
        {
            "EBusinessID": config["kdniao"]["business_id"],
            "PushTime": _now_text(),
            "Count": "1",
            "Data": [record(shipment)],
        }
    )
    body = protocol.push_body(request_data=request_data, app_key=config["kdniao"]["app_key"])
    url = config["push_url"]
    try:
        with session_for(url) as session:
            response = session.post(
                url, data=body.encode("ascii"), headers={"Content-Type": protocol.FORM}, timeout=TIMEOUT
            )
        answer = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("carrier simulator push: %s", type(exc).__name__)
        return False
    return response.status_code == 200 and isinstance(answer, dict) and protocol.truthy(answer.get("Success"))
