"""Staff see accounts masked; only a superuser hands out powers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from candor.accounts.models import User
from tests import staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def member() -> User:
    user = User.objects.create_user(username="lanlan", password="x-Correct-42", email="lan@example.com")
    user.phone = "13812348000"
    user.save()
    return user


def _staff(client, *perms: str) -> User:
    staff = User.objects.create_user(username="clerk", password="x-Correct-42", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=perms))
    staff_login.verify_second_factor(client, staff)
    return staff


def test_staff_without_reveal_see_the_mobile_masked(client, member):
    _staff(client, "view_user")
    page = client.get(f"/admin/accounts/user/{member.pk}/change/").content.decode()
    assert "13812348000" not in page and "lan@example.com" not in page
    assert "138****8000" in page


def test_a_staff_member_who_may_change_users_cannot_grant_powers(client, member):
    clerk = _staff(client, "view_user", "change_user")
    response = client.post(
        f"/admin/accounts/user/{clerk.pk}/change/",
        {"is_superuser": "on", "is_staff": "on", "is_active": "on", "nickname": "x", "language": ""},
    )
    clerk.refresh_from_db()
    assert not clerk.is_superuser
    assert response.status_code in {200, 302}
