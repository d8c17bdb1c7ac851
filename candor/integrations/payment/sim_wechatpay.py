"""The simulated WeChat Pay API v3 (``/_sim/pay/wechatpay/…``), as far as Candor uses it.

``POST /v3/pay/transactions/native`` and ``POST /v3/refund/domestic/refunds`` verify the
``WECHATPAY2-SHA256-RSA2048`` authorization as WeChat Pay does (merchant number, certificate
serial, a timestamp within five minutes, then SHA256withRSA over the request line, timestamp,
nonce and body with the merchant's public key; anything wrong is ``401 SIGN_ERROR``) and answer
in its JSON shapes, every answer signed with the simulated WeChat Pay key. A Native order is
answered with ``code_url`` ``weixin://wxpay/bizpayurl?pr=<token>``; the buyer's WeChat scanning
it is played by opening the shared pay page for that token (``scan_url``), where "Pay" sends the
notification. Native payment has no return address, so after paying that page stays put, as
the phone would; the buyer's own page learns of the payment from Candor.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from candor.integrations.payment import config, signing, wechatpay
from candor.integrations.payment.base import browser_url
from candor.integrations.payment.models import SimTrade
from candor.integrations.payment.simulator import Refused, refund, trade_open
from candor.integrations.payment.wire import BEIJING, compact_json

OUT_TRADE_NO = re.compile(r"[0-9A-Za-z_\-|*]{6,32}")
CODE_URL = "weixin://wxpay/bizpayurl"
TOKEN = re.compile(r"[0-9a-f]{32}")  # SimTrade.token


def _answer(status: int, body: dict[str, Any] | None) -> HttpResponse:
    content = compact_json(body).encode() if body is not None else b""
    response = HttpResponse(content, status=status, content_type="application/json; charset=utf-8")
    signed = wechatpay.signed_headers(
        config.institution_key("wechatpay"), settings.CANDOR_PAYMENT["wechatpay"]["public_key_id"], content
    )
    for name, value in {**signed, "Request-ID": f"08{int(time.time())}"}.items():
        response[name] = value
    return response


def _error(status: int, code: str, message: str) -> HttpResponse:
    return _answer(status, {"code": code, "message": message})


def _authenticate(request: HttpRequest) -> HttpResponse | None:
    merchant = settings.CANDOR_PAYMENT["wechatpay"]
    auth = wechatpay.parse_authorization(request.headers.get("Authorization", ""))
    if auth is None or not {"mchid", "nonce_str", "signature", "timestamp", "serial_no"} <= auth.keys():
        return _error(
            401, "SIGN_ERROR", "Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》"
        )
    if auth["mchid"] != merchant["mchid"]:
        return _error(401, "SIGN_ERROR", "商户号不存在")
    if auth["serial_no"] != merchant["serial_no"]:
        return _error(401, "SIGN_ERROR", "商户证书序列号有误。请使用签名私钥匹配的证书序列号")
    if (
        not re.fullmatch(r"[0-9]{1,12}", auth["timestamp"])
        or abs(time.time() - int(auth["timestamp"])) > wechatpay.SKEW
    ):
        return _error(401, "SIGN_ERROR", "签名过期")
    message = wechatpay.request_message(
        request.method or "POST", request.get_full_path(), auth["timestamp"], auth["nonce_str"], request.body
    )
    if not signing.verify(config.merchant_key("wechatpay").public_key(), message, auth["signature"]):
        return _error(401, "SIGN_ERROR", "签名错误，请检查后再试")
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _json(request: HttpRequest) -> dict[str, Any] | None:
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def code_url(trade: SimTrade) -> str:
    """The QR code's content for ``trade``, in WeChat Pay's shape."""
    return f"{CODE_URL}?pr={trade.token}"


def scan_url(code: str) -> str:
    """What scanning ``code`` opens: the simulator's pay page for its trade, as the buyer's
    browser reaches it (by a relative URL when the simulator is this site); "" for a code that
    is not the configured simulator's."""
    endpoint = settings.CANDOR_PAYMENT["wechatpay"]["endpoint"].rstrip("/")
    parts = urlsplit(code)
    token = parse_qs(parts.query).get("pr", [""])[0]
    if (
        f"{parts.scheme}://{parts.netloc}{parts.path}" != CODE_URL
        or not TOKEN.fullmatch(token)
        or not endpoint.endswith(wechatpay.SIMULATOR_PATH)
    ):
        return ""
    return browser_url(f"{endpoint.removesuffix('/wechatpay')}/trade/{token}/")


@csrf_exempt
@require_POST
def native(request: HttpRequest) -> HttpResponse:
    refused = _authenticate(request)
    if refused:
        return refused
    merchant = settings.CANDOR_PAYMENT["wechatpay"]
    body = _json(request)
    if body is None:
        return _error(400, "PARAM_ERROR", "输入源“/body”映射到值字段“请求体”字符串规则校验失败")
    if body.get("appid") != merchant["appid"] or body.get("mchid") != merchant["mchid"]:
        return _error(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配")
    amount = body.get("amount") if isinstance(body.get("amount"), dict) else {}
    total = amount.get("total")
    description, out_trade_no = _text(body.get("description")), _text(body.get("out_trade_no"))
    missing = next((name for name, ok in (
        ("description", 1 <= len(description) <= 127),
        ("out_trade_no", OUT_TRADE_NO.fullmatch(out_trade_no)),
        ("notify_url", _text(body.get("notify_url"))),
        ("amount.total", isinstance(total, int) and not isinstance(total, bool) and total >= 1),
        ("amount.currency", amount.get("currency", "CNY") == "CNY"),
    ) if not ok), None)  # fmt: skip
    if missing:
        return _error(400, "PARAM_ERROR", f"参数错误：{missing}")
    try:
        trade = trade_open(
            provider=SimTrade.Provider.WECHATPAY, out_trade_no=out_trade_no, amount_fen=total,
            subject=description, notify_url=body["notify_url"],
            details={"appid": body["appid"], "mchid": body["mchid"]},
        )  # fmt: skip
    except Refused as exc:
        if exc.code == "paid":
            return _error(400, "ORDERPAID", "该订单已支付")
        if exc.code == "invalid":
            return _error(400, "PARAM_ERROR", "参数错误：notify_url")
        return _error(400, "OUT_TRADE_NO_USED", "商户订单号重复")
    return _answer(200, {"code_url": code_url(trade)})


@csrf_exempt
@require_POST
def refunds(request: HttpRequest) -> HttpResponse:
    refused = _authenticate(request)
    if refused:
        return refused
    body = _json(request) or {}
    amount = body.get("amount") if isinstance(body.get("amount"), dict) else {}
    wanted, total = amount.get("refund"), amount.get("total")
    if not body.get("out_refund_no") or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in (wanted, total)
    ):
        return _error(400, "PARAM_ERROR", "参数错误：out_refund_no, amount.refund, amount.total")
    trades = SimTrade.objects.filter(provider=SimTrade.Provider.WECHATPAY)
    trade = (
        trades.filter(provider_trade_no=str(body["transaction_id"])).first()
        if body.get("transaction_id")
        else trades.filter(out_trade_no=str(body.get("out_trade_no", ""))).first()
    )
    if trade is None:
        return _error(404, "RESOURCE_NOT_EXISTS", "订单不存在")
    if total != trade.amount_fen:
        return _error(400, "PARAM_ERROR", "订单金额或退款金额与之前请求不一致，请核实后再试")
    try:
        made, _new = refund(trade, refund_no=str(body["out_refund_no"]), amount_fen=wanted)
    except Refused as exc:
        message = {"not_paid": "订单未支付", "exceeds": "申请退款金额超过订单可退金额"}.get(
            exc.code, "参数错误"
        )
        return _error(400, "INVALID_REQUEST", message)
    moment = made.created_at.astimezone(BEIJING).isoformat(timespec="seconds")
    return _answer(200, {
        "refund_id": made.provider_refund_no, "out_refund_no": made.refund_no,
        "transaction_id": trade.provider_trade_no, "out_trade_no": trade.out_trade_no,
        "channel": "ORIGINAL", "user_received_account": "支付用户零钱", "success_time": moment,
        "create_time": moment, "status": "SUCCESS", "funds_account": "AVAILABLE",
        "amount": {"total": trade.amount_fen, "refund": made.amount_fen, "payer_total": trade.amount_fen,
                   "payer_refund": made.amount_fen, "settlement_refund": made.amount_fen,
                   "settlement_total": trade.amount_fen, "discount_refund": 0, "currency": "CNY"},
    })  # fmt: skip
