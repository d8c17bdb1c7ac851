from __future__ import annotations

import pytest

from tests.json_api import Api


@pytest.fixture(autouse=True)
def _keys(fresh_keys):
    """Every test here gets its own key cache (the root conftest's ``fresh_keys``)."""


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


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
