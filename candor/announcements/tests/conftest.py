"""Members with and without a mobile or a verified e-mail, a privacy officer past the second
factor, and policy 1.0 in effect and accepted by every member — so that whatever a test sees
next (a redirect, a message, an e-mail, a text) comes from the announcement under test."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from candor.announcements import delivery
from candor.announcements.selectors import SHUTDOWN_CACHE_KEY
from candor.privacy import policy
from candor.staff import roles
from tests.staff_login import verify_second_factor

PASSWORD = "x-very-long-password-1"


@pytest.fixture(autouse=True)
def _keys(fresh_keys):
    """Mobile numbers are encrypted: every test gets its own key cache."""


@pytest.fixture(autouse=True)
def _no_cached_shutdown():
    """The shutdown bar is cached for a minute: no test sees another's, nor leaves its own."""
    cache.delete(SHUTDOWN_CACHE_KEY)
    yield
    cache.delete(SHUTDOWN_CACHE_KEY)


def member(username: str, *, phone: str = "", email: str = "", verified: bool = False, language: str = ""):
    user = get_user_model().objects.create_user(username, password=PASSWORD, language=language)
    if phone:
        user.phone = phone
        user.save()
    if email:
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def members(db, published_policy):
    """Ann: mobile and verified e-mail, reads English. Ben: verified e-mail only. Cai: an
    unverified address and no mobile. Each has accepted policy 1.0."""
    people = {
        "ann": member("ann", phone="13812340001", email="ann@example.com", verified=True, language="en"),
        "ben": member("ben", email="ben@example.com", verified=True),
        "cai": member("cai", email="cai@example.com"),
    }
    for user in people.values():
        policy.accept(user_id=user.pk, version=published_policy, channel="web", evidence={"page": "test"})
    return people


def staff(username: str, role: str | None):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=roles.role(role).name))
    return get_user_model().objects.get(pk=user.pk)


def logged_in(user) -> Client:
    """Staff past the second factor, reading the back office in English."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    verify_second_factor(client, user)
    return client


@pytest.fixture
def officer(db):
    return staff("officer", "privacy_officer")


@pytest.fixture
def officer_client(officer) -> Client:
    return logged_in(officer)


@pytest.fixture
def member_client(members) -> Client:
    client = Client()
    client.force_login(members["ann"])
    return client


class KilledAtTheSecondText:
    """The notices' text gateway as a worker killed mid-run meets it: the first text goes out,
    the second raises. Set ``killed = False`` for the rerun. ``calls`` lists every number it
    was asked to text; ``real`` is the gateway it stands in front of."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real = delivery.gateway()
        self.calls: list[str] = []
        self.killed = True
        monkeypatch.setattr(delivery, "gateway", lambda: self)

    def send(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs["phone"])
        if self.killed and len(self.calls) == 2:
            raise RuntimeError("worker killed")
        return self.real.send(**kwargs)
