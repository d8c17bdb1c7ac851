"""注销账号 (C002-20, C003-20): confirmed by SMS code, 48 hours of review with a way back, then
the core erases the account and the same mobile can register afresh as a new person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from candor.accounts import cancellation
from candor.accounts.models import ApiToken, Cancellation, User
from candor.privacy.models import ErasureRecord
from candor.verification.models import VerificationCode
from tests.sms_outbox import latest_code

pytestmark = pytest.mark.django_db

PHONE = "13812348000"
PASSWORD = "Correct-horse-42"


@pytest.fixture
def member(client) -> User:
    user = User.objects.create_user(username="lanlan", password=PASSWORD, email="lan@example.com")
    user.phone = PHONE
    user.save()
    client.force_login(user)
    return user


def _code(api_client) -> str:
    VerificationCode.objects.update(created_at=F("created_at") - timedelta(minutes=2))
    assert (
        api_client.call(
            "post", "/verification/sms", {"phone": PHONE, "purpose": "cancel_account"}
        ).status_code
        == 202
    )
    return latest_code(PHONE)


def test_request_review_withdraw(api_client, member):
    wrong = api_client.call("post", "/accounts/me/cancellation", {"code": "000000"}, lang="en")
    assert wrong.status_code in {400, 429} and not Cancellation.objects.exists()

    started = api_client.call("post", "/accounts/me/cancellation", {"code": _code(api_client)})
    assert started.status_code == 202, started.content
    body = started.json()
    assert body["in_review"] is True and body["blockers"] == []
    row = Cancellation.objects.get(user=member)
    assert timedelta(hours=47, minutes=59) < row.review_until - row.requested_at <= timedelta(hours=48)

    # During the review the person can still log in and change their mind.
    assert api_client.call("get", "/accounts/me").status_code == 200
    kept = api_client.call("delete", "/accounts/me/cancellation")
    assert kept.status_code == 200 and kept.json()["in_review"] is False
    assert cancellation.cancellations_complete(now=timezone.now() + timedelta(days=3)) == 0
    member.refresh_from_db()
    assert member.is_active


def test_after_review_the_account_is_erased_and_the_phone_registers_afresh(api_client, client, member):
    api_client.call("post", "/tokens", {"username": "lanlan", "password": PASSWORD})
    assert (
        api_client.call("post", "/accounts/me/cancellation", {"code": _code(api_client)}).status_code == 202
    )
    assert cancellation.cancellations_complete(now=timezone.now() + timedelta(hours=47)) == 0
    assert cancellation.cancellations_complete(now=timezone.now() + timedelta(hours=49)) == 1

    member.refresh_from_db()
    assert not member.is_active and member.phone_bidx == "" and member.username.startswith("erased-")
    assert ErasureRecord.objects.filter(subject_id=member.pk).exists()
    assert not ApiToken.objects.exists() and not Cancellation.objects.exists()
    # Logged out everywhere, and no login works any more.
    assert api_client.call("get", "/accounts/me").status_code == 401
    assert (
        api_client.call("post", "/session", {"username": "lanlan", "password": PASSWORD}).status_code == 400
    )
    # The same mobile registers as a new person.
    VerificationCode.objects.update(created_at=F("created_at") - timedelta(minutes=2))
    api_client.call("post", "/verification/sms", {"phone": PHONE, "purpose": "register"})
    again = api_client.call(
        "post",
        "/accounts",
        {"username": "lanlan", "password": PASSWORD, "phone": PHONE, "code": latest_code(PHONE),
         "email": "lan@example.com", "accept_policy": True},
    )  # fmt: skip
    assert again.status_code == 201, again.content
    assert User.objects.get(username="lanlan").pk != member.pk


def test_a_blocker_refuses_with_its_reason(api_client, member):
    check = cancellation.register_blocker(lambda user: ["an order is not delivered yet"])
    try:
        refused = api_client.call("post", "/accounts/me/cancellation", {"code": "123456"}, lang="en")
    finally:
        cancellation._blockers.remove(check)
    assert refused.status_code == 409 and refused.json()["code"] == "cancellation_blocked"
    assert refused.json()["blockers"] == ["an order is not delivered yet"]
    assert not Cancellation.objects.exists()


def test_an_account_without_a_mobile_confirms_with_its_password(api_client, client):
    user = User.objects.create_user(username="wx_abc", password=PASSWORD)
    client.force_login(user)
    assert api_client.call("post", "/accounts/me/cancellation", {"password": "nope"}).status_code == 400
    assert api_client.call("post", "/accounts/me/cancellation", {"password": PASSWORD}).status_code == 202


def test_the_page_offers_the_way_back(client, member):
    page = client.get("/accounts/cancel/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "48 hours" in page and 'data-testid="cancel-confirm"' in page
    Cancellation.objects.create(user=member, review_until=timezone.now() + timedelta(hours=48))
    page = client.get("/accounts/cancel/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="cancel-withdraw"' in page
    assert client.post("/accounts/cancel/", {"action": "withdraw"}).status_code == 302
    assert Cancellation.objects.get().status == Cancellation.Status.WITHDRAWN
