"""The simulated Alipay gateway (``/_sim/pay/alipay/gateway.do``), as far as Candor uses it.

One address serves every method, as Alipay's does: ``alipay.trade.page.pay`` arrives from the
buyer's browser and ends on the cashier page (errors are an HTML page, as Alipay shows them);
``alipay.trade.refund`` arrives from the merchant's server and is answered in JSON, signed
over the raw text of ``alipay_trade_refund_response``. Either way the request is first
verified exactly as Alipay does: the app, the sign type, then the RSA2 signature over the
sorted parameters with the merchant's public key — a wrong signature is ``isv.invalid-signature``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from candor.integrations.payment import alipay, config, money, signing
from candor.integrations.payment.models import SimTrade
from candor.integrations.payment.simulator import Refused, refund, trade_open
from candor.integrations.payment.views import error_page
from candor.integrations.payment.wire import BEIJING, Malformed, compact_json, parse_form

_ARGUMENTS = ("40002", "Invalid Arguments")
_BUSINESS = ("40004", "Business Failed")
_REFUND_REFUSALS = {
    "unknown": ("ACQ.TRADE_NOT_EXIST", "交易不存在"),
    "not_paid": ("ACQ.TRADE_STATUS_ERROR", "交易状态不合法"),
    "exceeds": ("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限"),
    "invalid": ("ACQ.INVALID_PARAMETER", "参数无效"),
}


def _check(params: Mapping[str, str]) -> tuple[str, str] | None:
    """(sub_code, sub_msg) of the gateway's refusal, or None when the request verifies."""
    for name in ("app_id", "method", "charset", "sign_type", "sign", "timestamp", "version", "biz_content"):
        if not params.get(name):
            return f"isv.missing-{name.replace('_', '-')}", f"缺少{name}参数"
    if params["app_id"] != settings.CANDOR_PAYMENT["alipay"]["app_id"]:
        return "isv.invalid-app-id", "无效的AppID参数"
    if params["sign_type"] != "RSA2":
        return "isv.invalid-signature-type", "无效的签名类型"
    merchant = config.merchant_key("alipay").public_key()
    if not signing.verify(merchant, alipay.request_content(params).encode(), params["sign"]):
        return "isv.invalid-signature", "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配"
    return None


def _params(request: HttpRequest) -> dict[str, str]:
    query = parse_form(request.META.get("QUERY_STRING", "").encode())
    body = parse_form(request.body) if request.method == "POST" and request.body else {}
    return {**query, **body}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def gateway(request: HttpRequest) -> HttpResponse:
    try:
        params = _params(request)
        biz: Any = json.loads(params.get("biz_content") or "{}")
    except (Malformed, ValueError):
        return error_page(request, "alipay", "invalid-parameter", "参数无效", status=400)
    refused = _check(params)
    method = params.get("method", "")
    if method == "alipay.trade.page.pay":
        if refused:
            return error_page(request, "alipay", refused[0].removeprefix("isv."), refused[1], status=400)
        return _page_pay(request, params, biz if isinstance(biz, dict) else {})
    if refused:
        return _answer(method, {"code": _ARGUMENTS[0], "msg": _ARGUMENTS[1], "sub_code": refused[0],
                                "sub_msg": refused[1]}, signed=False)  # fmt: skip
    if method == "alipay.trade.refund":
        return _refund(biz if isinstance(biz, dict) else {})
    unknown = {
        "code": _BUSINESS[0],
        "msg": _BUSINESS[1],
        "sub_code": "isv.invalid-method",
        "sub_msg": "不存在的方法名",
    }
    return _answer(method or "error", unknown)


def _page_pay(request: HttpRequest, params: Mapping[str, str], biz: Mapping[str, Any]) -> HttpResponse:
    try:
        amount = money.fen(str(biz["total_amount"]))
        out_trade_no, subject = str(biz["out_trade_no"]), str(biz["subject"])
    except (KeyError, ValueError):
        return error_page(request, "alipay", "invalid-parameter", "参数无效 (biz_content)", status=400)
    if biz.get("product_code") != "FAST_INSTANT_TRADE_PAY" or not 1 <= amount <= 100_000_000_00:
        return error_page(
            request, "alipay", "invalid-parameter", "参数无效 (product_code, total_amount)", status=400
        )
    if not params.get("notify_url"):
        return error_page(request, "alipay", "invalid-parameter", "参数无效 (notify_url)", status=400)
    try:
        trade = trade_open(
            provider=SimTrade.Provider.ALIPAY, out_trade_no=out_trade_no, amount_fen=amount, subject=subject,
            notify_url=params["notify_url"], return_url=params.get("return_url", ""),
            details={"app_id": params["app_id"]},
        )  # fmt: skip
    except Refused as exc:
        if exc.code == "paid":
            return error_page(request, "alipay", "ACQ.TRADE_HAS_SUCCESS", "交易已被支付", status=400)
        if exc.code == "invalid":
            return error_page(request, "alipay", "invalid-parameter", "参数无效", status=400)
        return error_page(request, "alipay", "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改", status=400)
    return redirect("sim_pay:trade", token=trade.token)


def _refund(biz: Mapping[str, Any]) -> HttpResponse:
    method = "alipay.trade.refund"
    trades = SimTrade.objects.filter(provider=SimTrade.Provider.ALIPAY)
    trade = (
        trades.filter(provider_trade_no=str(biz["trade_no"])).first()
        if biz.get("trade_no")
        else trades.filter(out_trade_no=str(biz.get("out_trade_no", ""))).first()
    )
    try:
        amount = money.fen(str(biz.get("refund_amount", "")))
        if trade is None:
            raise Refused("unknown")
        # Without out_request_no Alipay takes the trade number: one (full) refund per trade.
        made, new = refund(
            trade, refund_no=str(biz.get("out_request_no") or trade.out_trade_no), amount_fen=amount
        )
    except ValueError:
        made, new, refusal = None, False, _REFUND_REFUSALS["invalid"]
    except Refused as exc:
        made, new, refusal = None, False, _REFUND_REFUSALS[exc.code]
    if made is None or trade is None:
        return _answer(method, {"code": _BUSINESS[0], "msg": _BUSINESS[1], "sub_code": refusal[0],
                                "sub_msg": refusal[1]})  # fmt: skip
    return _answer(method, {
        "code": "10000", "msg": "Success", "trade_no": trade.provider_trade_no,
        "out_trade_no": trade.out_trade_no, "buyer_logon_id": "sim***@example.com",
        "fund_change": "Y" if new else "N", "refund_fee": money.yuan(trade.refunded_fen),
        "gmt_refund_pay": made.created_at.astimezone(BEIJING).strftime(alipay.TIME_FORMAT),
        "send_back_fee": money.yuan(made.amount_fen),
    })  # fmt: skip


def _answer(method: str, body: Mapping[str, str], *, signed: bool = True) -> HttpResponse:
    """Alipay's JSON answer, its signature over the exact text of the response object."""
    key = f"{method.replace('.', '_')}_response"
    inner = compact_json(dict(body))
    text = f'{{"{key}":{inner}'
    if signed:
        text += f',"sign":"{signing.sign(config.institution_key("alipay"), inner.encode())}"'
    return HttpResponse(text + "}", content_type="text/html;charset=utf-8")
