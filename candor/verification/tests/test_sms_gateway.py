"""The adapters sign exactly as the providers publish, and the simulator verifies the same way."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qsl

import pytest
from django.test import Client

from candor.integrations.sms import aliyun, tencent
from candor.integrations.sms.base import CODE_TEMPLATE, SmsUnavailable, gateway
from candor.integrations.sms.models import OutboxMessage
from candor.verification.tests.conftest import PHONE

pytestmark = pytest.mark.django_db


# --- the providers' own published examples ---------------------------------------------------


def test_aliyun_signature_matches_the_documented_example():
    # help.aliyun.com/document_detail/101343 ("HTTP协议及签名"), with its testId/testSecret.
    params = {
        "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
        "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
    }  # fmt: skip
    assert aliyun.signature("testSecret", "GET", params) == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_tencent_signature_matches_the_documented_example():
    # Tencent Cloud API 3.0 "Signature v3": DescribeInstances of cvm at 1551113065.
    payload = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    signature, names, scope = tencent.sign(
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "Host": "cvm.tencentcloudapi.com"},
        payload=payload,
        timestamp=1551113065,
        service="cvm",
    )
    assert (names, scope) == ("content-type;host", "2019-02-25/cvm/tc3_request")
    assert signature == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"


# --- adapter -> simulator contract -------------------------------------------------------------


@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
def test_each_adapter_delivers_through_the_simulator(settings, provider):
    settings.CANDOR_SMS_GATEWAY = provider
    receipt = gateway().send(phone=PHONE, template=CODE_TEMPLATE, params={"code": "246810"})
    message = OutboxMessage.objects.get()
    assert message.receipt == receipt and message.provider == provider and message.phone == PHONE
    assert message.text == "【Candor】您的验证码为246810，5分钟内有效。请勿泄露给他人；如非本人操作，请忽略。"


def _aliyun_body(**changes: str) -> dict[str, str]:
    params = aliyun.AliyunSms().request_params(phone=PHONE, template=CODE_TEMPLATE, params={"code": "135790"})
    return {**params, **changes}


def _post_aliyun(params: dict[str, str]):
    return Client().post(
        "/_sim/sms/aliyun/",
        data=aliyun.canonicalized_query(params),
        content_type="application/x-www-form-urlencoded",
    )


def test_aliyun_simulator_accepts_a_signed_request():
    answer = _post_aliyun(_aliyun_body())
    assert answer.status_code == 200 and answer.json()["Code"] == "OK"
    assert OutboxMessage.objects.get().receipt == answer.json()["BizId"]


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"PhoneNumbers": "13900000000"}, 400, "SignatureDoesNotMatch"),  # tampered after signing
        ({"AccessKeyId": "someone-else"}, 404, "InvalidAccessKeyId.NotFound"),
    ],
)
def test_aliyun_simulator_refuses_in_aliyuns_format(change, status, code):
    answer = _post_aliyun(_aliyun_body(**change))
    body = answer.json()
    assert answer.status_code == status and body["Code"] == code
    assert {"RequestId", "HostId", "Message"} <= body.keys()
    assert not OutboxMessage.objects.exists()


def test_aliyun_simulator_refuses_a_replayed_nonce():
    params = _aliyun_body()
    assert _post_aliyun(params).json()["Code"] == "OK"
    replay = _post_aliyun(params)
    assert replay.status_code == 400 and replay.json()["Code"] == "SignatureNonceUsed"
    assert OutboxMessage.objects.count() == 1


def test_aliyun_simulator_refuses_a_stale_timestamp():
    unsigned = {k: v for k, v in _aliyun_body(Timestamp="2017-07-12T02:42:19Z").items() if k != "Signature"}
    secret = aliyun.AliyunSms().key_secret
    answer = _post_aliyun({**unsigned, "Signature": aliyun.signature(secret, "POST", unsigned)})
    assert answer.json()["Code"] == "InvalidTimeStamp.Expired"


def test_aliyun_adapter_sends_the_code_only_in_the_signed_body():
    params = dict(parse_qsl(aliyun.canonicalized_query(_aliyun_body())))
    assert json.loads(params["TemplateParam"]) == {"code": "135790"}
    assert params["Signature"] == aliyun.signature(
        aliyun.AliyunSms().key_secret, "POST", {k: v for k, v in params.items() if k != "Signature"}
    )


def _post_tencent(headers: dict[str, str], payload: bytes):
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    return Client().generic(
        "POST", "/_sim/sms/tencent/", data=payload, content_type=headers["Content-Type"], **meta
    )


def _tencent_request(**kwargs):
    adapter = tencent.TencentSms()
    adapter.endpoint = "http://testserver/_sim/sms/tencent/"  # the test client's host
    return adapter.signed_request(phone=PHONE, template=CODE_TEMPLATE, params={"code": "975310"}, **kwargs)


def test_tencent_simulator_accepts_a_signed_request():
    headers, payload = _tencent_request()
    answer = _post_tencent(headers, payload).json()["Response"]
    assert answer["SendStatusSet"][0]["Code"] == "Ok" and "RequestId" in answer
    assert "975310" in OutboxMessage.objects.get().text


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        (lambda h, p: (h, p.replace(PHONE.encode(), b"13900000000")), "AuthFailure.SignatureFailure"),
        (lambda h, p: ({**h, "Authorization": h["Authorization"].replace("candor", "other")}, p),
         "AuthFailure.SecretIdNotFound"),
        (lambda h, p: ({**h, "Authorization": h["Authorization"][:-4] + "0000"}, p),
         "AuthFailure.SignatureFailure"),
    ],
)  # fmt: skip
def test_tencent_simulator_refuses_in_tencents_format(tamper, code):
    headers, payload = tamper(*_tencent_request())
    answer = _post_tencent(headers, payload)
    assert answer.status_code == 200  # Tencent Cloud API 3.0 reports errors in the body
    assert answer.json()["Response"]["Error"]["Code"] == code
    assert not OutboxMessage.objects.exists()


def test_tencent_simulator_refuses_an_old_timestamp():
    headers, payload = _tencent_request(timestamp=int(time.time()) - 600)
    assert (
        _post_tencent(headers, payload).json()["Response"]["Error"]["Code"] == "AuthFailure.SignatureExpire"
    )


def test_a_wrong_secret_surfaces_as_sms_unavailable(settings):
    settings.CANDOR_SMS_GATEWAY = "tencent"
    adapter = gateway()
    adapter.secret_key = "not-the-configured-key"
    with pytest.raises(SmsUnavailable) as refused:
        adapter.send(phone=PHONE, template=CODE_TEMPLATE, params={"code": "000000"})
    assert refused.value.detail == "AuthFailure.SignatureFailure"
    assert not OutboxMessage.objects.exists()
