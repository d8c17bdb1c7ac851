"""The location feature (C000-13: fill in a new address): position → nearest province and city
from a local table, only with the location permission — 403 ``consent_required`` otherwise,
and at once after it is switched off — and the coordinates are stored nowhere."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from candor.centre import regions
from candor.privacy import consent, taxonomy

pytestmark = pytest.mark.django_db

# Odd digits that no other row of the database would hold by chance.
LAT, LON = 30.2741937, 120.1551736  # Hangzhou, West Lake
REGION = "/me/location/region"


def test_without_the_permission_it_is_refused_naming_the_purpose(api_client, alice_client, alice):
    response = api_client.call("post", REGION, {"latitude": LAT, "longitude": LON}, lang="en")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "consent_required" and body["purpose"] == "location_features"
    assert "Location features" in body["message"]


@pytest.mark.parametrize(
    ("lang", "province", "city"), [("zh-hans", "浙江省", "杭州市"), ("en", "Zhejiang", "Hangzhou")]
)
def test_with_the_permission_it_answers_province_and_city(
    api_client, alice_client, alice, lang, province, city
):
    consent.grant(alice.pk, taxonomy.LOCATION_FEATURES, channel="web")
    response = api_client.call("post", REGION, {"latitude": LAT, "longitude": LON}, lang=lang)
    assert response.status_code == 200
    assert response.json() == {"province": province, "city": city}


def test_revoking_on_the_permissions_page_refuses_the_very_next_call(api_client, alice_client, alice):
    consent.grant(alice.pk, taxonomy.LOCATION_FEATURES, channel="web")
    assert api_client.call("post", REGION, {"latitude": LAT, "longitude": LON}).status_code == 200
    alice_client.post("/me/privacy/permissions/switch/", {"purpose": "location_features", "on": "0"})
    refused = api_client.call("post", REGION, {"latitude": LAT, "longitude": LON})
    assert refused.status_code == 403 and refused.json()["code"] == "consent_required"


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "payload",
    [
        {"latitude": 91, "longitude": 120},
        {"latitude": 30, "longitude": -181},
        {"latitude": "north", "longitude": 120},
        {"latitude": 30},
    ],
)
def test_bad_positions_are_a_4xx_in_the_callers_language(api_client, alice_client, alice, payload, lang):
    consent.grant(alice.pk, taxonomy.LOCATION_FEATURES, channel="web")
    response = api_client.call("post", REGION, payload, lang=lang)
    assert response.status_code == 422 and response.json()["fields"]
    assert response.json()["message"].isascii() == (lang == "en")


def test_a_position_far_from_every_region_is_refused(api_client, alice_client, alice):
    consent.grant(alice.pk, taxonomy.LOCATION_FEATURES, channel="web")
    response = api_client.call("post", REGION, {"latitude": 40.71, "longitude": -74.0}, lang="en")  # New York
    assert response.status_code == 422 and response.json()["code"] == "outside_service_area"


def test_a_guest_gets_401(api_client):
    assert api_client.call("post", REGION, {"latitude": LAT, "longitude": LON}).status_code == 401


def _database_text() -> str:
    """Every value of every table, as text: the place a stored coordinate would be."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # our own table names
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def test_no_coordinates_are_stored_or_logged_anywhere(api_client, alice_client, alice, caplog):
    consent.grant(alice.pk, taxonomy.LOCATION_FEATURES, channel="web")
    with caplog.at_level(logging.DEBUG):
        assert api_client.call("post", REGION, {"latitude": LAT, "longitude": LON}).status_code == 200
        api_client.call("post", REGION, {"latitude": 40.71, "longitude": -74.0061953})  # refused ones too
    stored = _database_text()
    assert "浙江省" not in stored  # nor the answer
    for value in ("30.274", "120.155", "74.006"):
        assert value not in stored
        assert value not in caplog.text


@pytest.mark.parametrize("place", regions.PLACES, ids=lambda p: p.city_en)
def test_every_entry_of_the_table_answers_itself(place):
    assert regions.nearest(place.lat, place.lon) == place


def test_nearby_points_go_to_their_own_province():
    assert regions.nearest(31.30, 120.62).city_zh == "苏州市"  # Suzhou, not Shanghai
    assert regions.nearest(22.54, 114.06).province_zh == "广东省"  # Shenzhen
    assert regions.nearest(-33.86, 151.21) is None  # Sydney
