"""Fixtures of the centre tests: the catalog tests' small shop (phones, cases, food, services),
alice logged in, and helpers that give her a browsing history and favorites."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from candor.catalog.models import BrowsingHistory
from candor.catalog.tests.conftest import _fresh, shop  # noqa: F401 (fixtures)
from candor.privacy import consent, taxonomy
from candor.social.models import Favorite


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def viewed():
    """``viewed(user, *products)``: the products appear in the user's browsing history."""

    def view(user, *products):
        for product in products:
            BrowsingHistory.objects.update_or_create(
                user=user, product=product, defaults={"viewed_at": timezone.now()}
            )

    return view


@pytest.fixture
def favorited():
    def keep(user, *products):
        for product in products:
            Favorite.objects.get_or_create(user=user, product=product)

    return keep


@pytest.fixture
def personalized_alice(alice):
    consent.grant(alice.pk, taxonomy.PERSONALIZATION, channel="web")
    return alice


def no_inline_code(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and " onclick=" not in html
