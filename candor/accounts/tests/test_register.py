"""Registration (C001-02, C002-01, C004-03): account name, password, own mobile verified by SMS,
e-mail verified by a link; every bad input a clear 4xx and nothing half-created."""

from __future__ import annotations

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db.models import F

from candor.accounts.models import Profile, User
from candor.identity.models import Guardianship
from candor.privacy import consent
from candor.privacy.models import AuditEvent
from candor.verification.models import VerificationCode
from tests.sms_outbox import latest_code

pytestmark = pytest.mark.django_db

PHONE = "13812348000"
GOOD = {
    "username": "lanlan",
    "password": "Correct-horse-42",
    "phone": PHONE,
    "email": "lan@example.com",
    "accept_policy": True,
}


def _code(api_client, phone=PHONE, purpose="register", lang="zh-hans"):
    # One code a minute per number: earlier sends in this test are moved back past that limit.
    VerificationCode.objects.update(created_at=F("created_at") - datetime.timedelta(minutes=2))
    response = api_client.call("post", "/verification/sms", {"phone": phone, "purpose": purpose}, lang=lang)
    assert response.status_code == 202, response.content
    assert latest_code(phone) not in response.content.decode()  # never in the response
    return latest_code(phone)


def _register(api_client, lang="zh-hans", **changes):
    body = {**GOOD, "code": changes.pop("code", None) or _code(api_client), **changes}
    return api_client.call("post", "/accounts", body, lang=lang)


def test_register_with_sms_code_then_confirm_email_by_link(
    api_client, client, published_policy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(api_client)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["account"]["username"] == "lanlan" and body["email_verification_sent"] is True
    user = User.objects.get(username="lanlan")
    assert user.nickname == "lanlan"  # the account name is the default nickname
    assert user.phone == PHONE and user.phone_verified_at is not None
    assert consent.latest(user.pk, consent.POLICY).policy_version == published_policy.number
    assert AuditEvent.objects.filter(subject_id=user.pk, target=f"accounts.user:{user.pk}").exists()
    # The link in the e-mail confirms the address (allauth), once.
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body)[0]
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}").status_code == 200
    assert client.post(f"/{path}").status_code == 302
    assert EmailAddress.objects.get(user=user).verified


def test_an_app_registers_with_a_token_and_no_cookie(api_client):
    response = _register(api_client, token=True, device_name="Mi 14")
    assert response.status_code == 201, response.content
    token = response.json()["token"]
    assert token and "sessionid" not in response.cookies
    me = api_client.call("get", "/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and me.json()["phone"] == PHONE


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"password": "12345678"}, "password"),
        ({"password": "password"}, "password"),
        ({"username": "x"}, "username"),
        ({"email": "not-an-address"}, "email"),
        ({"accept_policy": False}, "accept_policy"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing_nor_burns_the_code(api_client, lang, changes, field):
    code = _code(api_client)
    response = _register(api_client, lang=lang, code=code, **changes)
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert not User.objects.exists()
    # The code is still good: fixing the field and sending again succeeds.
    assert _register(api_client, code=code).status_code == 201


def test_wrong_expired_and_reused_codes(api_client):
    code = _code(api_client)
    wrong = _register(api_client, code="000000" if code != "000000" else "111111", lang="en")
    assert wrong.status_code == 400 and wrong.json()["code"] == "code_invalid"
    assert not User.objects.exists()
    assert _register(api_client, code=code).status_code == 201
    # Reused: the same code for another account is refused.
    again = _register(api_client, code=code, username="other", email="o@example.com", lang="en")
    assert again.status_code == 400
    VerificationCode.objects.update(expires_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    expired = api_client.call(
        "post",
        "/accounts",
        {**GOOD, "username": "late", "phone": "13912348001", "email": "l@example.com", "code": "123456"},
        lang="en",
    )
    assert expired.status_code == 400
    assert User.objects.count() == 1


def test_expired_code_says_so(api_client):
    code = _code(api_client)
    VerificationCode.objects.update(expires_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    response = _register(api_client, code=code, lang="en")
    assert response.status_code == 400 and response.json()["code"] == "code_expired"
    assert not User.objects.exists()


def test_duplicate_phone_is_refused(api_client):
    assert _register(api_client).status_code == 201
    api_client.call("delete", "/session")
    code = _code(api_client)
    response = _register(api_client, code=code, username="second", email="s@example.com", lang="en")
    assert response.status_code == 400 and "phone" in response.json()["fields"]
    assert User.objects.count() == 1


def test_too_many_codes_are_rate_limited(api_client):
    api_client.call("post", "/verification/sms", {"phone": PHONE, "purpose": "register"})
    response = api_client.call(
        "post", "/verification/sms", {"phone": PHONE, "purpose": "register"}, lang="en"
    )
    assert response.status_code == 429 and response.json()["code"] == "code_rate_limited"
    assert response.json()["retry_after"] > 0


def test_under_14_registers_but_cannot_use_the_account_until_a_guardian_consents(api_client):
    today = datetime.date.today()
    response = _register(api_client, birthday=str(today.replace(year=today.year - 10)))
    assert response.status_code == 201 and response.json()["guardian_consent_required"] is True
    user = User.objects.get(username="lanlan")
    assert Profile.objects.get(user=user).birthday is not None
    assert Guardianship.objects.get(child=user).status == Guardianship.Status.PENDING
    gated = api_client.call("get", "/accounts/me", lang="en")
    assert gated.status_code == 403 and gated.json()["code"] == "guardian_consent_required"


def test_sms_login_and_password_reset_by_sms(api_client):
    assert _register(api_client).status_code == 201
    api_client.call("delete", "/session")
    code = _code(api_client, purpose="login")
    response = api_client.call("post", "/session/sms", {"phone": "+86 138 1234 8000", "code": code})
    assert response.status_code == 200 and response.json()["username"] == "lanlan"
    api_client.call("delete", "/session")
    code = _code(api_client, purpose="reset_password")
    reset = api_client.call(
        "post", "/accounts/password/sms", {"phone": PHONE, "code": code, "password": "New-horse-4242"}
    )
    assert reset.status_code == 200
    login = api_client.call("post", "/session", {"username": "lanlan", "password": "New-horse-4242"})
    assert login.status_code == 200


def test_sms_login_for_an_unknown_number_needs_a_valid_code_first(api_client):
    code = _code(api_client, phone="13912348001", purpose="login")
    wrong = api_client.call("post", "/session/sms", {"phone": "13912348001", "code": "999999"}, lang="en")
    assert wrong.status_code in {400, 429} and wrong.json()["code"] != "sms_login_failed"
    right = api_client.call("post", "/session/sms", {"phone": "13912348001", "code": code}, lang="en")
    assert right.status_code == 400 and right.json()["code"] == "sms_login_failed"


@pytest.mark.parametrize(
    ("lang", "heading", "fields"),
    [
        ("en", "Registration and login", ["account name", "password", "mobile number", "email address"]),
        ("zh-hans", "注册和登录", ["账号名", "密码", "手机号码"]),
    ],
)
def test_the_collection_list_shows_the_registration_fields_with_their_purpose(client, lang, heading, fields):
    html = client.get("/privacy/collection/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    section = html[html.index(heading) :]
    section = section[: section.index("<h2", 10)] if "<h2" in section[10:] else section
    for label in fields:
        assert label in section, (label, lang)
