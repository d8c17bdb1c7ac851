from __future__ import annotations

import json

import pytest


@pytest.fixture(autouse=True)
def _keys(fresh_keys):
    """Every test here gets its own key cache (the root conftest's ``fresh_keys``)."""


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


class Api:
    def __init__(self, client) -> None:
        self.client = client

    def call(self, method: str, path: str, data=None, lang: str = "en"):
        return self.client.generic(
            method.upper(),
            f"/api/v1{path}",
            data=None if data is None else json.dumps(data),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=lang,
        )


@pytest.fixture
def api(alice_client):
    return Api(alice_client)


ADDRESS = {
    "recipient_name": "张三",
    "mobile": "+86 138-1234-8000",
    "province": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "detail": "文三路 90 号 5 幢 301 室",
    "postal_code": "310012",
    "label": "home",
}
