"""Every carrier test talks to the simulator, whose pushes reach the stand-in endpoint of
``push_urls`` (not the fulfillment app's), with a key of its own."""

from __future__ import annotations

import copy

import pytest

from candor.integrations.carrier.tests import push_urls

RECIPIENT = {
    "name": "张三",
    "mobile": "13800138000",
    "province": "北京市",
    "city": "北京市",
    "district": "朝阳区",
    "address": "三里屯路19号院#3号楼",
}
ITEMS = [{"name": "无线耳机", "quantity": 1}, {"name": "保护套", "quantity": 2}]


@pytest.fixture(autouse=True)
def carrier_settings(settings, db):
    config = copy.deepcopy(settings.CANDOR_CARRIER)
    config["kdniao"]["app_key"] = "test-app-key-5d2c"
    config["push_url"] = f"inprocess://localhost/{push_urls.PATH}"
    settings.CANDOR_CARRIER = config
    settings.ROOT_URLCONF = "candor.integrations.carrier.tests.push_urls"
    push_urls.received.clear()
    push_urls.answer_ok["value"] = True
    yield config
    push_urls.received.clear()


@pytest.fixture
def pushes():
    return push_urls.received


@pytest.fixture
def sender(carrier_settings):
    return carrier_settings["sender"]
