"""The centre in real Chromium (issue #7's acceptance, the centre's part): the address form's
"use my location" asks first, then fills province and city from the browser's position; a
"not now" is not asked again; revoking location on the permissions page turns the feature off
at once; switching personalization off shows the non-personalized list on the next page."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from candor.accounts.models import User
from candor.centre import services
from candor.centre.tests import conftest as centre_fixtures
from candor.privacy import consent, taxonomy

# The centre's catalog fixtures, shared with its own tests.
shop = centre_fixtures.shop
viewed = centre_fixtures.viewed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-horse-42"
HANGZHOU = {"latitude": 30.2741, "longitude": 120.1551}


def _login(page, username: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("[data-testid=login-form] button[type=submit]").click()
    page.wait_for_url("**/me/")
    return user


def _region_answer(page) -> tuple[int, str]:
    """Call the region API with the browser's session and the form's CSRF token (outside the
    page, so an expected refusal is not a console error)."""
    token = page.input_value("input[name=csrfmiddlewaretoken]")
    response = page.request.post(
        "/api/v1/me/location/region",
        data=json.dumps(HANGZHOU),
        headers={"Content-Type": "application/json", "X-CSRFToken": token},
    )
    return response.status, response.json()["code"]


def test_location_asks_first_fills_the_region_and_stops_when_revoked(page, live_server):
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation(HANGZHOU)
    alice = _login(page, "alice")
    page.goto("/accounts/addresses/add/")
    expect(page.locator("[data-testid=location-prompt]")).to_be_hidden()
    page.locator("[data-testid=location-use]").click()
    expect(page.locator("[data-testid=location-prompt]")).to_be_visible()
    page.locator("[data-testid=location-allow]").click()
    expect(page.locator("#id_province")).to_have_value("浙江省")
    expect(page.locator("#id_city")).to_have_value("杭州市")
    assert consent.has(alice.pk, taxonomy.LOCATION_FEATURES)

    page.goto("/me/privacy/permissions/")
    page.locator("[data-testid=switch-location_features]").click()
    expect(page.locator("[data-testid=permission-location_features]")).to_have_attribute(
        "data-granted", "false"
    )
    assert not consent.has(alice.pk, taxonomy.LOCATION_FEATURES)
    page.goto("/accounts/addresses/add/")
    expect(page.locator("[data-testid=location-off]")).to_be_visible()
    expect(page.locator("[data-testid=location-use]")).to_be_hidden()
    assert _region_answer(page) == (403, "consent_required")  # not a CSRF refusal: the consent's


def test_not_now_is_not_asked_again(page, live_server):
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation(HANGZHOU)
    bob = _login(page, "bob")
    page.goto("/accounts/addresses/add/")
    page.locator("[data-testid=location-use]").click()
    page.locator("[data-testid=location-refuse]").click()
    expect(page.locator("[data-testid=location-off]")).to_be_visible()
    page.reload()
    expect(page.locator("[data-testid=location-off]")).to_be_visible()
    expect(page.locator("[data-testid=location-use]")).to_be_hidden()
    expect(page.locator("#id_province")).to_have_value("")
    assert consent.latest(bob.pk, taxonomy.LOCATION_FEATURES).granted is False


def test_switching_personalization_off_shows_non_personalized_lists_at_once(page, shop, viewed):
    carol = _login(page, "carol")
    services.consent_switch(user=carol, purpose=taxonomy.PERSONALIZATION, on=True)
    viewed(carol, shop.products["tea"])
    page.goto("/")
    expect(page.locator("[data-testid=for-you]")).to_have_attribute("data-personalized", "true")
    expect(page.locator("[data-testid=for-you]")).to_contain_text(shop.products["tea"].name_zh)
    page.goto("/me/privacy/decisions/")
    page.locator("[data-testid=personalization-switch]").click()
    expect(page.locator("[data-testid=personalization]")).to_have_attribute("data-personalized", "false")
    page.goto("/")
    expect(page.locator("[data-testid=for-you]")).to_have_attribute("data-personalized", "false")
    expect(page.locator("[data-testid=home-best-sellers]")).to_have_count(0)
