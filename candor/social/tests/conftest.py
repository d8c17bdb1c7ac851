"""Fixtures of the social tests: the cart tests' small catalog (both apps are tested the same
way), a product, and alice logged in."""

from __future__ import annotations

import pytest

from candor.cart.tests.conftest import PASSWORD, Api, _keys, api, make_sku, shop  # noqa: F401


@pytest.fixture
def product(make_sku):  # noqa: F811 (the fixture imported above)
    return make_sku().product


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client
