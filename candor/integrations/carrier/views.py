"""The simulated Kdniao's endpoints, under /_sim/carrier/kdniao/ (only with CANDOR_SIMULATORS).

``api`` is Kdniao's gateway: it reads the form body as Kdniao does, checks the merchant id and
verifies DataSign exactly as published (computed here from the RequestData received, compared
in constant time), and answers in Kdniao's own shape — a failure is HTTP 200 with ``Success``
false, a result code and a reason — so the adapter's refusal path is exercised too. The page
lists the simulated waybills with a button per parcel that moves it on and pushes the event.
"""

from __future__ import annotations

import hmac
import json
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from candor.errors import CandorError
from candor.integrations.carrier import protocol, selectors, simulator

STATE_LABELS = {
    "collected": _("Collected"),
    "in_transit": _("In transit"),
    "out_for_delivery": _("Out for delivery"),
    "delivered": _("Delivered"),
    "problem": _("Problem"),
}


def _answer(body: dict[str, Any]) -> JsonResponse:
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _form(raw: bytes) -> dict[str, str] | None:
    """The form fields, one value each; None when the body is not such a form."""
    try:
        form = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
    except (UnicodeDecodeError, ValueError):
        return None
    if any(len(values) != 1 for values in form.values()):
        return None
    return {name: values[0] for name, values in form.items()}


@csrf_exempt
@require_POST
def api(request: HttpRequest) -> JsonResponse:
    config = settings.CANDOR_CARRIER["kdniao"]
    fields = _form(request.body) or {}
    business_id = fields.get("EBusinessID", "")
    for name in ("RequestData", "EBusinessID", "RequestType", "DataSign"):
        if not fields.get(name):
            return _answer(simulator.failure(business_id, "101", f"缺少必要参数[{name}]"))
    if business_id != config["business_id"]:
        return _answer(simulator.failure(business_id, "104", "用户ID不存在或未开通此接口"))
    request_data = fields["RequestData"]
    expected = protocol.data_sign(request_data, config["app_key"])
    if not hmac.compare_digest(expected.encode("ascii"), fields["DataSign"].encode("utf-8")):
        return _answer(simulator.failure(business_id, "102", "数据签名错误（DataSign）"))
    if fields.get("DataType", "2") != "2":
        return _answer(simulator.failure(business_id, "103", "DataType只支持2（JSON）"))
    try:
        payload = json.loads(request_data)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        return _answer(simulator.failure(business_id, "103", "RequestData不是有效的JSON"))
    if fields["RequestType"] == protocol.EORDER:
        return _answer(simulator.answer_eorder(business_id, payload))
    if fields["RequestType"] == protocol.QUERY:
        return _answer(simulator.answer_query(business_id, payload))
    return _answer(simulator.failure(business_id, "105", "不支持的RequestType"))


@never_cache
@require_GET
def shipments(request: HttpRequest) -> HttpResponse:
    rows = []
    for shipment in selectors.shipments_latest():
        traces = list(shipment.traces.all())
        latest = traces[-1] if traces else None
        step = simulator.next_step(shipment)
        rows.append(
            {
                "shipment": shipment,
                "traces": traces,
                "state": STATE_LABELS.get(protocol.state_of(latest.action) or "", "") if latest else "",
                "next": STATE_LABELS[protocol.state_of(step[0]) or "problem"] if step else None,
            }
        )
    return render(request, "carrier/sim_shipments.html", {"rows": rows})


@require_POST
def advance(request: HttpRequest, waybill_no: str) -> HttpResponseRedirect:
    try:
        trace = simulator.advance(waybill_no)
    except CandorError as exc:
        messages.error(request, str(exc.message))
    else:
        if trace.pushed_at is None:
            messages.warning(request, _("The event was recorded, but Candor did not acknowledge the push."))
        else:
            messages.success(request, _("The event was recorded and pushed to Candor."))
    return HttpResponseRedirect(reverse("sim_carrier:shipments"))
