"""Fixtures for every test, under tests/ and beside each app (candor/<app>/tests/)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from candor.privacy import crypto, policy


@pytest.fixture(autouse=True, scope="session")
def huey_immediate() -> None:
    """Background jobs run inline in tests, so their effects are visible to the assertions."""
    HUEY.immediate = True


@pytest.fixture
def api_client(client):
    """The Django test client, speaking JSON to /api/v1/."""

    class Api:
        def call(self, method: str, path: str, data=None, lang: str = "zh-hans", **extra):
            return client.generic(
                method.upper(),
                f"/api/v1{path}",
                data=data if isinstance(data, str | bytes) or data is None else json.dumps(data),
                content_type="application/json",
                HTTP_ACCEPT_LANGUAGE=lang,
                **extra,
            )

    return Api()


@pytest.fixture
def published_policy(db):
    """Policy version 1.0 in effect, as after `candor demo`."""

    return policy.publish(
        number="1.0",
        effective_at=timezone.now() - timedelta(minutes=1),
        significant=True,
        summary_zh="首个版本",
        summary_en="First version",
    )


@pytest.fixture
def fresh_keys():
    """A per-test key cache, as KeyCacheMiddleware gives each request."""
    with crypto.key_scope():
        yield


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user(username="alice", password="x-very-long-password-1")


@pytest.fixture
def bob(db):
    return get_user_model().objects.create_user(username="bob", password="x-very-long-password-1")
