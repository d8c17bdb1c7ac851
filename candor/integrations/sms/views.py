"""The simulator: Aliyun's and Tencent's SendSms endpoints, as far as Candor uses them.

Each view accepts the provider's real request format, verifies the signature with the
configured secret exactly as the provider documents it (a signature computed here from the
parameters received, compared in constant time), refuses a stale timestamp or a reused nonce,
and answers success or failure in the provider's own response format, so the adapters'
error handling is exercised too. An accepted message is rendered from the template text the
"provider" holds and stored in the outbox (``models.OutboxMessage``), which the dev outbox
page shows. Mounted at /_sim/sms/ only when ``settings.CANDOR_SIMULATORS`` is on.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from candor.integrations.sms import aliyun, tencent
from candor.integrations.sms.base import CODE_TEMPLATE, NOTICE_TEMPLATE
from candor.integrations.sms.models import OutboxMessage
from candor.integrations.sms.services import outbox_store

CLOCK_SKEW = 15 * 60  # Aliyun's window for Timestamp and SignatureNonce
TENCENT_SKEW = 5 * 60  # Tencent's for X-TC-Timestamp
MOBILE = re.compile(r"1\d{10}")


def _nonce_used(nonce: str) -> bool:
    """Whether Aliyun saw this SignatureNonce within the replay window."""
    return not cache.add(f"sim-sms:aliyun:nonce:{nonce}", True, timeout=CLOCK_SKEW)


# --- Aliyun ------------------------------------------------------------------------------------


def _aliyun_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        {
            "RequestId": str(uuid.uuid4()).upper(),
            "HostId": "dysmsapi.aliyuncs.com",
            "Code": code,
            "Message": message,
        },
        status=status,
    )


def _aliyun_check(method: str, params: Mapping[str, str]) -> JsonResponse | None:
    config = settings.CANDOR_SMS["aliyun"]
    for name in ("AccessKeyId", "Signature", "SignatureNonce", "Timestamp", "SignatureMethod", "Action"):
        if not params.get(name):
            return _aliyun_error(400, f"MissingParameter.{name}", f"{name} is mandatory for this action.")
    if params["AccessKeyId"] != config["key_id"]:
        return _aliyun_error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    if params["SignatureMethod"] != "HMAC-SHA1" or params.get("SignatureVersion") != "1.0":
        return _aliyun_error(
            400, "InvalidParameter.SignatureMethod", "Specified signature method is not supported."
        )
    unsigned = {k: v for k, v in params.items() if k != "Signature"}
    expected = aliyun.signature(config["key_secret"], method, unsigned)
    if not hmac.compare_digest(expected.encode(), params["Signature"].encode()):
        return _aliyun_error(
            400,
            "SignatureDoesNotMatch",
            f"Specified signature is not matched with our calculation. server string to sign is:"
            f"{aliyun.string_to_sign(method, unsigned)}",
        )
    try:
        sent = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return _aliyun_error(
            400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."
        )
    if abs(time.time() - sent.timestamp()) > CLOCK_SKEW:
        return _aliyun_error(
            400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."
        )
    if _nonce_used(params["SignatureNonce"]):
        return _aliyun_error(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
    return None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def aliyun_send(request: HttpRequest) -> JsonResponse:
    # RPC style: the parameters come in the query string (GET) or as a form body (POST).
    raw = request.body.decode() if request.method == "POST" else request.META.get("QUERY_STRING", "")
    params = dict(parse_qsl(raw, keep_blank_values=True))
    refused = _aliyun_check(request.method or "GET", params)
    if refused is not None:
        return refused
    request_id = str(uuid.uuid4()).upper()
    if params["Action"] != "SendSms" or params.get("Version") != aliyun.VERSION:
        return _aliyun_error(
            400, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."
        )
    template = _template_for("aliyun", params.get("TemplateCode", ""))
    if template is None:
        return JsonResponse(
            {
                "RequestId": request_id,
                "Code": "isv.SMS_TEMPLATE_ILLEGAL",
                "Message": "模板不合法(不存在或被拉黑)",
            }
        )
    phone = params.get("PhoneNumbers", "")
    if not MOBILE.fullmatch(phone):
        return JsonResponse(
            {"RequestId": request_id, "Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}
        )
    try:
        values = json.loads(params.get("TemplateParam") or "{}")
        text = _render(template, params.get("SignName", ""), lambda name: str(values[name]))
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"RequestId": request_id, "Code": "isv.INVALID_JSON_PARAM", "Message": "JSON参数不合法"}
        )
    receipt = f"{secrets.randbelow(10**15):015d}^0"
    outbox_store(provider=OutboxMessage.Provider.ALIYUN, phone=phone, text=text, receipt=receipt)
    return JsonResponse({"RequestId": request_id, "BizId": receipt, "Code": "OK", "Message": "OK"})


# --- Tencent -----------------------------------------------------------------------------------

_AUTHORIZATION = re.compile(
    r"TC3-HMAC-SHA256 Credential=(?P<id>[^/\s]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[a-z]+)"
    r"/tc3_request, "
    r"SignedHeaders=(?P<headers>[a-z0-9;-]+), Signature=(?P<signature>[0-9a-f]{64})"
)


def _tencent(body: dict[str, Any], request_id: str) -> JsonResponse:
    # Tencent Cloud API 3.0 answers 200 with an Error object for every failure.
    return JsonResponse(
        {"Response": {**body, "RequestId": request_id}}, json_dumps_params={"ensure_ascii": False}
    )


def _tencent_error(code: str, message: str, request_id: str) -> JsonResponse:
    return _tencent({"Error": {"Code": code, "Message": message}}, request_id)


def _tencent_check(request: HttpRequest, request_id: str) -> JsonResponse | None:
    config = settings.CANDOR_SMS["tencent"]
    match = _AUTHORIZATION.fullmatch(request.headers.get("Authorization", ""))
    if match is None:
        return _tencent_error(
            "AuthFailure.InvalidAuthorization", "Authorization header is invalid.", request_id
        )
    if match["id"] != config["secret_id"]:
        return _tencent_error("AuthFailure.SecretIdNotFound", "The SecretId is not found.", request_id)
    try:
        timestamp = int(request.headers.get("X-TC-Timestamp", ""))
    except ValueError:
        return _tencent_error(
            "MissingParameter", "The request is missing a required parameter `Timestamp`.", request_id
        )
    if abs(time.time() - timestamp) > TENCENT_SKEW:
        return _tencent_error(
            "AuthFailure.SignatureExpire", "Request has expired, please check your local time.", request_id
        )
    names = match["headers"].split(";")
    if "content-type" not in names or "host" not in names:
        return _tencent_error(
            "AuthFailure.InvalidAuthorization",
            "SignedHeaders must include content-type and host.",
            request_id,
        )
    signed = {name: request.headers.get(name, "") for name in names}
    expected, _names, credential_scope = tencent.sign(
        config["secret_key"], method=request.method or "POST", headers=signed, payload=request.body,
        timestamp=timestamp, service=match["service"],
    )  # fmt: skip
    if credential_scope != f"{match['date']}/{match['service']}/tc3_request" or not hmac.compare_digest(
        expected, match["signature"]
    ):
        return _tencent_error(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated. Please check your signature is correct.",
            request_id,
        )
    return None


@csrf_exempt
@require_http_methods(["POST"])
def tencent_send(request: HttpRequest) -> JsonResponse:
    request_id = str(uuid.uuid4())
    refused = _tencent_check(request, request_id)
    if refused is not None:
        return refused
    if (
        request.headers.get("X-TC-Action") != "SendSms"
        or request.headers.get("X-TC-Version") != tencent.VERSION
    ):
        return _tencent_error(
            "InvalidAction", "The action requested is invalid for this version.", request_id
        )
    config = settings.CANDOR_SMS["tencent"]
    try:
        body = json.loads(request.body)
        numbers = list(body["PhoneNumberSet"])
        values = [str(v) for v in body.get("TemplateParamSet") or []]
        app_id, template_id = str(body["SmsSdkAppId"]), str(body["TemplateId"])
    except (ValueError, KeyError, TypeError):
        return _tencent_error("InvalidParameter", "The request body is not valid.", request_id)
    if app_id != config["app_id"]:
        return _tencent_error(
            "FailedOperation.SmsSdkAppIdVerifyFail", "SmsSdkAppId verification failed.", request_id
        )
    template = _template_for("tencent", template_id)
    if template is None:
        return _tencent_error(
            "FailedOperation.TemplateIncorrectOrUnapproved",
            "Template is incorrect or unapproved.",
            request_id,
        )
    statuses = []
    for number in numbers:
        phone = str(number).removeprefix("+86")
        if not MOBILE.fullmatch(phone):
            statuses.append({"SerialNo": "", "PhoneNumber": str(number), "Fee": 0, "SessionContext": "",
                             "Code": "InvalidParameterValue.IncorrectPhoneNumber",
                             "Message": "incorrect phone number", "IsoCode": "CN"})  # fmt: skip
            continue
        try:
            text = _render(template, str(body.get("SignName", "")), lambda n: values[int(n) - 1])
        except (IndexError, ValueError):
            return _tencent_error(
                "InvalidParameterValue.TemplateParameterFormatError",
                "Template parameters are invalid.",
                request_id,
            )
        serial = f"2019:{secrets.randbelow(10**19):019d}"
        outbox_store(provider=OutboxMessage.Provider.TENCENT, phone=phone, text=text, receipt=serial)
        statuses.append({"SerialNo": serial, "PhoneNumber": str(number), "Fee": 1, "SessionContext": "",
                         "Code": "Ok", "Message": "send success", "IsoCode": "CN"})  # fmt: skip
    return _tencent({"SendStatusSet": statuses}, request_id)


# --- templates ---------------------------------------------------------------------------------

# The template text each "provider" has approved, by Candor's template name; ${name} (Aliyun)
# and {n} (Tencent) are the two providers' placeholders.
_CODE_TEXT = "您的验证码为{}，5分钟内有效。请勿泄露给他人；如非本人操作，请忽略。"
_NOTICE_TEXT = "您好，关于“{}”的重要通知已发送到您的账户，请登录后在“我的—消息”中查看。"
TEMPLATE_TEXT = {
    ("aliyun", CODE_TEMPLATE): _CODE_TEXT.format("${code}"),
    ("tencent", CODE_TEMPLATE): _CODE_TEXT.format("{1}"),
    ("aliyun", NOTICE_TEMPLATE): _NOTICE_TEXT.format("${topic}"),
    ("tencent", NOTICE_TEMPLATE): _NOTICE_TEXT.format("{1}"),
}
_PLACEHOLDER = re.compile(r"\$\{(\w+)\}|\{(\d+)\}")


def _template_for(provider: str, template_id: str) -> str | None:
    """The approved text of the template the configured id stands for, or None."""
    for name, configured in settings.CANDOR_SMS[provider]["templates"].items():
        if configured == template_id:
            return TEMPLATE_TEXT.get((provider, name))
    return None


def _render(template: str, sign_name: str, value: Any) -> str:
    return f"【{sign_name}】" + _PLACEHOLDER.sub(lambda m: value(m.group(1) or m.group(2)), template)
