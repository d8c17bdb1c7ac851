from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from candor.privacy import crypto

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


@pytest.fixture(autouse=True)
def fresh_keys():
    with crypto.key_scope():
        yield


def make_user(username: str):
    return get_user_model().objects.create_user(username=username, password="x-very-long-password-1")


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")
