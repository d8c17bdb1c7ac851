"""Fixtures of the "my data" tests: logged-in clients for alice and bob, some data of each, and
a private export directory per test (so sealed files never land in the developer's var/)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from candor.orders.tests import factories as f
from candor.search.models import SearchHistory
from tests.json_api import Api

ALICE_MOBILE = "13912345678"
BOB_MOBILE = "13700001111"


@pytest.fixture(autouse=True)
def _keys(fresh_keys):
    """Every test here gets its own key cache (the root conftest's ``fresh_keys``)."""


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.CANDOR_EXPORT_DIR = tmp_path / "exports"
    return settings.CANDOR_EXPORT_DIR


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice):
    return logged_in(alice)


@pytest.fixture
def bob_client(bob):
    return logged_in(bob)


@pytest.fixture
def alice_data(alice):
    """An address and two searches of alice's."""
    address = f.make_address(alice, recipient_name="王小明", mobile=ALICE_MOBILE)
    for words in ("蓝牙耳机", "rice cooker"):
        SearchHistory.objects.create(user=alice, query=words, searched_at=timezone.now())
    return address


@pytest.fixture
def bob_data(bob):
    address = f.make_address(bob, recipient_name="赵大海", mobile=BOB_MOBILE, detail="人民路 7 号")
    SearchHistory.objects.create(user=bob, query="bob-secret-search", searched_at=timezone.now())
    return address


@pytest.fixture
def alice_api(alice_client):
    return Api(alice_client)


@pytest.fixture
def bob_api(bob_client):
    return Api(bob_client)


def no_inline_code(html: str) -> None:
    """The CSP forbids inline scripts and style attributes: the pages must not need them."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and " onclick=" not in html
