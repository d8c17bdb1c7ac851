"""TC3-HMAC-SHA256 as published, and the simulator refusing what the real service refuses."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from candor.integrations.identity import client as authority
from candor.integrations.identity import tc3


def test_signature_matches_the_published_example():
    # Tencent Cloud "签名方法 v3", the DescribeInstances example.
    body = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    headers = {"content-type": "application/json; charset=utf-8", "host": "cvm.tencentcloudapi.com"}
    canonical = tc3.canonical_request("POST", headers, ["content-type", "host"], body)
    assert tc3.sha256_hex(body) == "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    to_sign = tc3.string_to_sign(1551113065, "cvm", canonical)
    assert to_sign.splitlines() == [
        "TC3-HMAC-SHA256", "1551113065", "2019-02-25/cvm/tc3_request",
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
    ]  # fmt: skip
    signature = tc3.signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", 1551113065, "cvm", to_sign)
    assert signature == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"


def _signed(secret_key="test-secret", timestamp=None, body=None, action="IdCardVerification"):
    body = body or json.dumps({"IdCard": "11010519491231002X", "Name": "张三"}).encode()
    headers = tc3.sign(
        secret_id="AKIDtest", secret_key=secret_key, service="faceid", host="testserver", action=action,
        version="2018-03-01", region="", body=body, timestamp=timestamp or int(time.time()),
    )  # fmt: skip
    return headers, body


def _post(headers, body):
    extra = {k: v for k, v in headers.items() if k != "Content-Type"}
    return (
        Client()
        .post("/_sim/identity/", data=body, content_type=headers["Content-Type"], headers=extra)
        .json()
    )


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"secret_key": "wrong"}, "AuthFailure.SignatureFailure"),
        ({"timestamp": 1551113065}, "AuthFailure.SignatureExpire"),
    ],
)
def test_simulator_refuses_bad_signatures(db, change, code):
    headers, body = _signed(**change)
    assert _post(headers, body)["Response"]["Error"]["Code"] == code


def test_simulator_refuses_a_tampered_body(db):
    headers, _ = _signed()
    tampered = json.dumps({"IdCard": "11010519491231002X", "Name": "李四"}).encode()
    assert _post(headers, tampered)["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"


def test_simulator_refuses_an_unknown_secret_id(db, settings):
    settings.CANDOR_IDENTITY_SECRET_ID = "AKIDother"
    headers, body = _signed()
    assert _post(headers, body)["Response"]["Error"]["Code"] == "AuthFailure.SecretIdNotFound"


def test_adapter_against_simulator_answers_in_the_provider_format(db, authority_calls):
    api = authority.client()
    assert api.id_card_verification(id_card="11010519491231002X", name="张三").result == "0"
    assert api.id_card_verification(id_card="11010519491231002X", name="李四").result == "-1"
    assert api.id_card_verification(id_card="110105199003071239", name="张三").result == "-5"
    assert api.id_card_verification(id_card="110105194912310021", name="张三").result == "-2"
    response = authority_calls[0]["response"]["Response"]
    assert set(response) == {"Result", "Description", "RequestId"}


def test_adapter_raises_on_protocol_errors(db, settings):
    settings.CANDOR_IDENTITY_SECRET_KEY = "not-the-simulators"
    api = authority.client()
    settings.CANDOR_IDENTITY_SECRET_KEY = "test-secret"  # the simulator checks with its own key
    with pytest.raises(authority.AuthorityUnavailable) as caught:
        api.id_card_verification(id_card="11010519491231002X", name="张三")
    assert caught.value.code == "AuthFailure.SignatureFailure"


def test_first_seen_rule_is_deterministic(db):
    api = authority.client()
    assert api.id_card_verification(id_card="440306201506010028", name="赵六").result == "0"
    assert api.id_card_verification(id_card="440306201506010028", name="钱七").result == "-1"
    assert api.id_card_verification(id_card="440306201506010028", name="赵六").result == "0"
