from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from candor.staff import roles
from tests.json_api import Api
from tests.staff_login import verify_second_factor

PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _keys(fresh_keys):
    """Every test here gets its own key cache (the root conftest's ``fresh_keys``)."""


class Clock:
    """``timezone.now()`` moved forward by hand: a request's due date passes without waiting."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + clock.offset)
    return clock


@pytest.fixture
def alice_client(client, alice) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def api(alice_client) -> Api:
    return Api(alice_client)


@pytest.fixture
def with_phone(alice):
    alice.phone = PHONE
    alice.save()
    return get_user_model().objects.get(pk=alice.pk)


def staff_member(username: str, role: roles.Role):
    user = get_user_model().objects.create_user(username, password="x-very-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=role.name))
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached permissions


@pytest.fixture
def officer(db):
    return staff_member("officer", roles.PRIVACY_OFFICER)


@pytest.fixture
def officer_client(officer) -> Client:
    client = Client()
    verify_second_factor(client, officer)
    return client


@pytest.fixture
def agent(db):
    return staff_member("agent", roles.CUSTOMER_SERVICE)


@pytest.fixture
def agent_client(agent) -> Client:
    client = Client()
    verify_second_factor(client, agent)
    return client


def days_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400
