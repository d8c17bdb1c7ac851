from __future__ import annotations

import json
import sys
import types
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from candor.integrations.identity import client as authority
from candor.integrations.identity import simulator
from tests.json_api import Api


@pytest.fixture(autouse=True)
def _simulated_authority(settings, monkeypatch, tmp_path):
    """The adapter talks to the simulator through Django's test client: the same signing,
    the same HTTP request, no network."""
    settings.CANDOR_IDENTITY_ENDPOINT = "http://testserver/_sim/identity/"
    settings.CANDOR_IDENTITY_SECRET_ID = "AKIDtest"
    settings.CANDOR_IDENTITY_SECRET_KEY = "test-secret"
    settings.CANDOR_IDENTITY_SIM_STATE = tmp_path / "sim_identity.json"
    calls: list[dict] = []

    def transport(url, headers, body, timeout):
        extra = {k: v for k, v in headers.items() if k != "Content-Type"}
        response = Client().post(
            urlsplit(url).path, data=body, content_type=headers["Content-Type"], headers=extra
        )
        calls.append(
            {"action": headers["X-TC-Action"], "body": json.loads(body), "response": response.json()}
        )
        return response.status_code, response.content

    monkeypatch.setattr(authority, "TRANSPORT", transport)
    simulator.reset()
    yield calls
    simulator.reset()


@pytest.fixture
def authority_calls(_simulated_authority):
    return _simulated_authority


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(username: str | None = None):
        return get_user_model().objects.create_user(
            username=username or f"user{next(counter)}", password="a-long-test-password"
        )

    return make


@pytest.fixture
def user(make_user):
    return make_user("alice")


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def api(client):
    return Api(client, lang="zh-hans")


@pytest.fixture
def fake_codes(monkeypatch):
    """A stand-in for candor.verification.services with the agreed signatures, for unit tests
    of the guardian flow (the real module gets its own integration test)."""
    from candor.errors import CandorError

    sent: dict[tuple[str, str], str] = {}
    module = types.ModuleType("candor.verification.services")

    def code_send(*, channel="sms", target, purpose, ip):
        from candor.verification.phones import normalize_cn_mobile

        sent[(normalize_cn_mobile(target), purpose)] = "123456"
        return types.SimpleNamespace(target=target, purpose=purpose)

    def code_check(*, channel="sms", target, purpose, code):
        from candor.verification.phones import normalize_cn_mobile

        if sent.get((normalize_cn_mobile(target), purpose)) != code:
            raise CandorError("wrong code", code="code_invalid")
        del sent[(normalize_cn_mobile(target), purpose)]

    module.code_send, module.code_check = code_send, code_check
    import candor.verification

    monkeypatch.setitem(sys.modules, "candor.verification.services", module)
    monkeypatch.setattr(candor.verification, "services", module, raising=False)
    return sent


def birthday_for_age(age: int) -> date:
    """A birthday that makes someone exactly ``age`` today (their birthday was yesterday)."""
    today = date.today()
    try:
        return today.replace(year=today.year - age) - timedelta(days=1)
    except ValueError:  # 29 February
        return date(today.year - age, 2, 28)
