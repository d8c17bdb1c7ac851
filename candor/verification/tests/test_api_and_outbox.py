"""The API never returns the code; errors are clear in zh and en; the dev outbox is dev only."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core import mail
from django.test import Client

from candor.integrations.sms.models import OutboxMessage
from candor.verification.mail import OutboxEmailBackend
from candor.verification.models import OutboxEmail, VerificationCode
from candor.verification.tests.conftest import PHONE, latest_code
from tests.staff_login import verify_second_factor

pytestmark = pytest.mark.django_db
URL = "/verification/sms"


def test_sending_answers_202_without_the_code(api_client):
    answer = api_client.call("post", URL, {"phone": "+86 138 1234 8000", "purpose": "register"})
    assert answer.status_code == 202
    assert answer.json() == {"sent": True, "expires_in": 300, "resend_after": 60}
    assert latest_code() not in answer.content.decode()
    assert VerificationCode.objects.count() == 1


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_too_many_codes_is_429_with_retry_after(api_client, lang):
    assert api_client.call("post", URL, {"phone": PHONE, "purpose": "login"}, lang=lang).status_code == 202
    answer = api_client.call("post", URL, {"phone": PHONE, "purpose": "login"}, lang=lang)
    body = answer.json()
    assert answer.status_code == 429 and body["code"] == "code_rate_limited"
    assert 0 < body["retry_after"] <= 60 and str(body["retry_after"]) in body["message"]
    if lang == "en":
        assert body["message"].startswith("Too many verification codes requested.")
    assert VerificationCode.objects.count() == 1 and OutboxMessage.objects.count() == 1


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_per_ip_limit_through_the_api(api_client, lang):
    for n in range(20):
        phone = f"1361234{n:04d}"
        assert (
            api_client.call("post", URL, {"phone": phone, "purpose": "register"}, lang=lang).status_code
            == 202
        )
    answer = api_client.call("post", URL, {"phone": "13612349999", "purpose": "register"}, lang=lang)
    assert answer.status_code == 429 and answer.json()["code"] == "code_rate_limited"
    assert answer.json()["retry_after"] > 60
    assert VerificationCode.objects.count() == 20


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_malformed_phone_is_400_and_sends_nothing(api_client, lang):
    answer = api_client.call("post", URL, {"phone": "12345", "purpose": "register"}, lang=lang)
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_phone"
    assert "phone" in answer.json()["fields"]
    if lang == "en":
        assert answer.json()["message"] == "Enter a valid mainland China mobile number."
    assert not VerificationCode.objects.exists() and not OutboxMessage.objects.exists()


def test_unknown_purpose_is_400(api_client):
    answer = api_client.call("post", URL, {"phone": PHONE, "purpose": "marketing"}, lang="en")
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_purpose"
    assert not VerificationCode.objects.exists()


def test_a_browser_without_the_csrf_token_is_refused():
    browser = Client(enforce_csrf_checks=True)
    answer = browser.post(
        f"/api/v1{URL}", {"phone": PHONE, "purpose": "register"}, content_type="application/json",
        HTTP_SEC_FETCH_SITE="cross-site",
    )  # fmt: skip
    assert answer.status_code == 403 and answer.json()["code"] == "csrf_failed"
    assert not VerificationCode.objects.exists()


def test_an_app_client_needs_no_csrf_token():
    app = Client(enforce_csrf_checks=True)
    answer = app.post(
        f"/api/v1{URL}", {"phone": PHONE, "purpose": "register"}, content_type="application/json"
    )
    assert answer.status_code == 202


# --- the dev outbox ----------------------------------------------------------------------------


def test_outbox_lists_messages_and_mail_with_clickable_links(client, api_client):
    api_client.call("post", URL, {"phone": PHONE, "purpose": "register"})
    OutboxEmailBackend().send_messages(
        [
            mail.EmailMessage(
                "Verify", "Open https://mall.example/verify/abc/ <b>now</b>", to=["lin@example.com"]
            )
        ]
    )
    page = client.get("/accounts/verification/outbox/")
    html = page.content.decode()
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"]
    assert html.count('data-testid="sms-row"') == 1 and html.count('data-testid="mail-row"') == 1
    assert latest_code() in html and PHONE in html
    assert '<a href="https://mall.example/verify/abc/" data-testid="mail-link">' in html
    assert "&lt;b&gt;now&lt;/b&gt;" in html  # the body is escaped, only links become markup


def test_outbox_is_404_when_the_simulators_are_off(client, settings):
    OutboxEmail.objects.create(to="lin@example.com", subject="s", body="b")
    settings.CANDOR_SIMULATORS = False
    page = client.get("/accounts/verification/outbox/")
    assert page.status_code == 404 and b"lin@example.com" not in page.content


def test_outbox_backend_keeps_each_message():
    sent = OutboxEmailBackend().send_messages(
        [mail.EmailMessage("a", "body a", to=["a@example.com"]), mail.EmailMessage("b", "body b", to=[])]
    )
    assert sent == 1 and list(OutboxEmail.objects.values_list("to", "subject")) == [("a@example.com", "a")]


def test_settings_choose_the_outbox_backend_only_with_simulators():
    probe = "import django;django.setup();from django.conf import settings;print(settings.EMAIL_BACKEND)"
    for flag, expected in (("1", "candor.verification.mail.OutboxEmailBackend"),
                           ("0", "django.core.mail.backends.smtp.EmailBackend")):  # fmt: skip
        out = subprocess.run(
            [sys.executable, "-c", probe],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "candor.settings", "CANDOR_SIMULATORS": flag},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert out.stdout.strip() == expected


def test_admin_shows_codes_without_any_hash(client, admin_user, api_client):
    api_client.call("post", URL, {"phone": PHONE, "purpose": "register"})
    row = VerificationCode.objects.get()
    verify_second_factor(client, admin_user)
    listing = client.get("/admin/verification/verificationcode/")
    detail = client.get(f"/admin/verification/verificationcode/{row.pk}/change/")
    assert listing.status_code == 200 and detail.status_code == 200
    for page in (listing, detail):
        html = page.content.decode()
        assert row.code_hash not in html and row.phone_hash not in html and row.salt not in html


@pytest.mark.django_db
def test_a_staff_only_purpose_cannot_be_asked_for_by_anyone(api_client):
    """The identity check of a privacy request is sent by staff; asked for publicly it is refused
    and nothing is sent (it would only cancel the code staff sent)."""

    response = api_client.call(
        "post", "/verification/sms", {"phone": "13812348000", "purpose": "rights_request"}
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_purpose"
    assert not OutboxMessage.objects.exists()
