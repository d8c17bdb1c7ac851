"""The optional profile (C003-18): edits are audited by field name, bad input is refused whole,
other members see only the nickname and the avatar (C003-03)."""

from __future__ import annotations

import base64
import datetime

import pytest

from candor.accounts.models import Profile, User
from candor.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def member(client) -> User:
    user = User.objects.create_user(username="lanlan", password="Correct-horse-42", email="lan@example.com")
    client.force_login(user)
    return user


def test_profile_edit_page_saves_and_audits_field_names(client, member):
    response = client.post(
        "/accounts/profile/",
        {
            "nickname": "兰兰",
            "gender": "female",
            "birthday": "1990-05-01",
            "residence": "杭州",
            "interests": "hiking",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert (profile.gender, profile.birthday, profile.residence) == (
        "female",
        datetime.date(1990, 5, 1),
        "杭州",
    )
    member.refresh_from_db()
    assert member.nickname == "兰兰"
    event = AuditEvent.objects.get(target=f"accounts.profile:{member.pk}")
    assert set(event.fields) == {"nickname", "gender", "birthday", "residence", "interests"}
    assert "杭州" not in str(event.detail)  # names of fields, never their values


def test_bad_input_changes_nothing_and_answers_in_the_users_language(client, member):
    response = client.post(
        "/accounts/profile/",
        {"nickname": "ok", "gender": "robot", "residence": "x" * 129},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert (
        b"Select a valid choice" in response.content
        or b"Choose one of the listed options" in response.content
    )
    member.refresh_from_db()
    assert (
        member.nickname == ""
        and not AuditEvent.objects.filter(target__startswith="accounts.profile").exists()
    )


def test_avatar_is_checked_by_its_bytes(client, member):
    fake = client.post(
        "/accounts/profile/",
        {"avatar": _upload("a.png", b"<svg onload=alert(1)>")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert fake.status_code == 400 and b"PNG, JPEG, GIF or WebP" in fake.content
    big = client.post("/accounts/profile/", {"avatar": _upload("b.png", PNG + b"0" * 300_000)})
    assert big.status_code == 400
    ok = client.post("/accounts/profile/", {"avatar": _upload("c.png", PNG)})
    assert ok.status_code == 302
    assert bytes(Profile.objects.get(user=member).avatar) == PNG


def test_public_profile_shows_only_nickname_and_avatar(api_client, member):
    Profile.objects.create(
        user=member, gender="female", residence="杭州", avatar=PNG, avatar_type="image/png"
    )
    body = api_client.call("get", f"/accounts/{member.pk}/public").json()
    assert set(body) == {"nickname", "avatar"}
    assert body["nickname"] == "lanlan"  # the account name is the default nickname
    assert body["avatar"].startswith("data:image/png;base64,")


def test_profile_api_needs_a_login(api_client):
    assert api_client.call("get", "/accounts/me").status_code == 401


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/png")
