"""Password login by account name or mobile, the lockout after repeated failures, app tokens."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.cache import caches

from candor.accounts.models import ApiToken, User
from candor.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-42"


@pytest.fixture(autouse=True)
def _lockout(settings):
    settings.AXES_ENABLED = True
    # Lockout counters live in a cache that outlives a test's transaction.
    caches[getattr(settings, "AXES_CACHE", "default")].clear()


@pytest.fixture
def member() -> User:
    user = User.objects.create_user(username="lanlan", password=PASSWORD, email="lan@example.com")
    user.phone = "13812348000"
    user.save()
    return user


def test_password_login_by_account_name_or_mobile(api_client, member):
    for identifier in ("lanlan", "138 1234 8000", "+86 13812348000"):
        response = api_client.call("post", "/session", {"username": identifier, "password": PASSWORD})
        assert response.status_code == 200, response.content
        assert response.json()["username"] == "lanlan"
        api_client.call("delete", "/session")


def test_wrong_password_is_a_clear_error_in_both_languages(api_client, member):
    zh = api_client.call("post", "/session", {"username": "lanlan", "password": "nope"}, lang="zh-hans")
    en = api_client.call("post", "/session", {"username": "lanlan", "password": "nope"}, lang="en")
    assert zh.status_code == en.status_code == 400
    assert zh.json()["code"] == en.json()["code"] == "invalid_credentials"
    assert zh.json()["message"] != en.json()["message"]
    assert "incorrect" in en.json()["message"]


def test_five_failures_lock_the_account_name_from_that_address(api_client, member):
    for _ in range(5):
        api_client.call("post", "/session", {"username": "lanlan", "password": "wrong"}, lang="en")
    locked = api_client.call("post", "/session", {"username": "lanlan", "password": PASSWORD}, lang="en")
    assert locked.status_code == 429
    assert locked.json()["code"] == "login_locked"
    assert int(locked["Retry-After"]) == 15 * 60
    # Even the right password does not open a locked account name; the session stays anonymous.
    assert api_client.call("get", "/session").json()["authenticated"] is False
    # The attempts were counted in the cache, not written to axes' tables.
    assert not AccessAttempt.objects.exists() and not AccessLog.objects.exists()


def test_the_web_login_page_locks_too_and_says_why(client, member):
    for _ in range(5):
        client.post("/login/", {"username": "lanlan", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/login/", {"username": "lanlan", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content


def test_web_login_accepts_the_mobile_number(client, member):
    response = client.post("/login/", {"username": "13812348000", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/api/v1/session").json()["username"] == "lanlan"


def test_app_token_login_use_and_revoke(api_client, member):
    issued = api_client.call(
        "post", "/tokens", {"username": "lanlan", "password": PASSWORD, "device_name": "Mi 14"}
    )
    assert issued.status_code == 201, issued.content
    token = issued.json()["token"]
    row = ApiToken.objects.get(user=member)
    assert token not in row.digest and len(row.digest) == 64  # only the hash is kept
    assert AuditEvent.objects.filter(target=f"accounts.apitoken:{row.pk}", action="change").exists()

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    me = api_client.call("get", "/accounts/me", **auth)
    assert me.status_code == 200 and me.json()["username"] == "lanlan"
    # A token request needs no CSRF token: it carries no cookie a hostile page could ride on.
    changed = api_client.call("put", "/accounts/me", {"nickname": "兰兰"}, **auth)
    assert changed.status_code == 200 and changed.json()["nickname"] == "兰兰"

    assert api_client.call("delete", "/tokens/current", **auth).status_code == 204
    refused = api_client.call("get", "/accounts/me", lang="en", **auth)
    assert refused.status_code == 401 and refused.json()["code"] == "invalid_token"
    assert not ApiToken.objects.exists()


def test_token_needs_credentials(api_client, member):
    response = api_client.call("post", "/tokens", {"username": "lanlan"}, lang="en")
    assert response.status_code == 400 and response.json()["code"] == "credentials_missing"
    assert not ApiToken.objects.exists()
