"""The simulated UnionPay online gateway (``/_sim/pay/unionpay/gateway/api/…``), 5.1.0.

``frontTransReq.do`` takes the form the buyer's browser posts (a consumption, ``txnType=01``),
verifies it as UnionPay does — version, merchant, ``certId``, then the signature over the
SHA-256 hex of the sorted fields with the merchant's public key — and shows the shared pay page;
a refusal is UnionPay's HTML error page (``11`` 验证签名失败 and the like). ``backTransReq.do``
takes the merchant's refunds (``txnType=04``) and answers ``name=value&…`` signed by the
simulated UnionPay with its certificate attached (``simulator.unionpay_signed``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from candor.integrations.payment import config, signing, unionpay
from candor.integrations.payment.models import SimTrade
from candor.integrations.payment.simulator import Refused, refund, trade_open, unionpay_signed
from candor.integrations.payment.views import error_page
from candor.integrations.payment.wire import Malformed, parse_form

ORDER_ID = re.compile(r"[0-9A-Za-z]{8,40}")
TXN_TIME = re.compile(r"[0-9]{14}")
_COMMON = ("version", "encoding", "signMethod", "txnType", "txnSubType", "bizType", "accessType",
           "merId", "orderId", "txnTime", "txnAmt", "certId", "signature", "backUrl")  # fmt: skip


def _check(params: Mapping[str, str]) -> tuple[str, str] | None:
    """(respCode, respMsg) of UnionPay's refusal, or None when the request verifies."""
    merchant = settings.CANDOR_PAYMENT["unionpay"]
    missing = [name for name in _COMMON if not params.get(name)]
    if missing:
        return "13", f"报文交易要素缺失[{missing[0]}]"
    if params["version"] != unionpay.VERSION or params["signMethod"] != "01":
        return "10", "报文格式错误[version, signMethod]"
    if params["merId"] != merchant["mer_id"]:
        return "31", "商户状态不正确"
    if params["certId"] != merchant["cert_id"]:
        return "11", "验证签名失败[certId]"
    if not signing.verify(
        config.merchant_key("unionpay").public_key(), unionpay.digest(params), params["signature"]
    ):
        return "11", "验证签名失败"
    if not ORDER_ID.fullmatch(params["orderId"]) or not TXN_TIME.fullmatch(params["txnTime"]):
        return "10", "报文格式错误[orderId, txnTime]"
    if not re.fullmatch(r"[0-9]{1,12}", params["txnAmt"]) or int(params["txnAmt"]) < 1:
        return "10", "报文格式错误[txnAmt]"
    return None


def _form(request: HttpRequest) -> dict[str, str] | None:
    try:
        return parse_form(request.body)
    except Malformed:
        return None


@csrf_exempt
@require_POST
def front(request: HttpRequest) -> HttpResponse:
    params = _form(request)
    if params is None:
        return error_page(request, "unionpay", "10", "报文格式错误", status=400)
    refused = _check(params)
    if refused is None and (params["txnType"], params["txnSubType"], params["bizType"]) != (
        "01",
        "01",
        "000201",
    ):
        refused = "32", "无此交易权限[txnType, txnSubType, bizType]"
    if refused:
        return error_page(request, "unionpay", *refused, status=400)
    subject = params.get("riskRateInfo", "").removeprefix("{commodityName=").removesuffix("}")
    try:
        trade = trade_open(
            provider=SimTrade.Provider.UNIONPAY, out_trade_no=params["orderId"],
            amount_fen=int(params["txnAmt"]), subject=subject[:256], notify_url=params["backUrl"],
            return_url=params.get("frontUrl", ""),
            details={"merId": params["merId"], "txnTime": params["txnTime"]},
        )  # fmt: skip
    except Refused as exc:
        if exc.code == "invalid":
            return error_page(request, "unionpay", "10", "报文格式错误[frontUrl, backUrl]", status=400)
        return error_page(request, "unionpay", "12", "重复交易", status=400)
    return redirect("sim_pay:trade", token=trade.token)


@csrf_exempt
@require_POST
def back(request: HttpRequest) -> HttpResponse:
    params = _form(request) or {}
    refused = _check(params)
    if refused is None and (params["txnType"], params["txnSubType"]) != ("04", "00"):
        refused = "32", "无此交易权限[txnType]"
    trade = None
    if refused is None:
        trade = SimTrade.objects.filter(
            provider=SimTrade.Provider.UNIONPAY, provider_trade_no=params.get("origQryId", "")
        ).first()
        if trade is None:
            refused = "35", "原交易不存在或状态不正确"
    made = None
    if refused is None and trade is not None:
        try:
            made, _new = refund(trade, refund_no=params["orderId"], amount_fen=int(params["txnAmt"]))
        except Refused as exc:
            refused = {
                "not_paid": ("35", "原交易不存在或状态不正确"),
                "exceeds": ("30", "交易未通过[退货金额超过原交易可退金额]"),
            }.get(exc.code, ("30", "交易未通过"))
    code, message = refused or ("00", "成功[0000000]")
    answer = {
        name: params[name]
        for name in ("version", "encoding", "signMethod", "txnType", "txnSubType", "bizType", "accessType",
                     "merId", "orderId", "txnTime", "txnAmt", "origQryId")
        if params.get(name)
    }  # fmt: skip
    answer.update({"respCode": code, "respMsg": message})
    if made is not None:
        answer["queryId"] = made.provider_refund_no
    answer.update({"version": unionpay.VERSION, "signMethod": "01"})
    return HttpResponse(
        unionpay.format_answer(unionpay_signed(answer)), content_type="text/plain;charset=UTF-8"
    )
