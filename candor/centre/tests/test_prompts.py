"""A refused feature is not asked again at every turn (PIPL art. 16, DESIGN "Asking"): the
prompt is shown while the person never answered; after a "not now" it stays hidden until they
switch the feature on themselves in the centre."""

from __future__ import annotations

import pytest
from django.utils import translation

from candor.centre import selectors, services
from candor.centre.errors import AlreadyAnswered
from candor.privacy import consent, taxonomy
from candor.privacy.models import ConsentRecord

pytestmark = pytest.mark.django_db

LOCATION = taxonomy.LOCATION_FEATURES


def _button_state(html: str) -> str:
    marker = 'data-centre-location data-state="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_a_refusal_is_remembered_and_not_asked_again(alice):
    assert selectors.should_ask(alice, LOCATION)
    row = services.feature_prompt_answer(user=alice, purpose=LOCATION, accept=False)
    assert row.granted is False and row.evidence["prompt"] == "location_features"
    assert not selectors.should_ask(alice, LOCATION)
    assert not consent.has(alice.pk, LOCATION)
    # answering again (a stale page) is refused and appends nothing
    with pytest.raises(AlreadyAnswered):
        services.feature_prompt_answer(user=alice, purpose=LOCATION, accept=False)
    assert ConsentRecord.objects.filter(subject_id=alice.pk, purpose=LOCATION.code).count() == 1
    # only the person's own switch turns it on; then there is nothing to ask either
    services.consent_switch(user=alice, purpose=LOCATION, on=True)
    assert consent.has(alice.pk, LOCATION) and not selectors.should_ask(alice, LOCATION)


def test_other_features_are_asked_independently(alice, bob):
    services.feature_prompt_answer(user=alice, purpose=LOCATION, accept=False)
    assert selectors.should_ask(alice, taxonomy.CAMERA)
    assert selectors.should_ask(bob, LOCATION)


def test_a_guest_is_never_prompted(client):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.should_ask(AnonymousUser(), LOCATION)


def test_the_address_form_button_follows_the_answer(alice_client, alice):
    page = alice_client.get("/accounts/addresses/add/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _button_state(page) == "ask" and 'data-testid="location-prompt"' in page
    assert "/static/js/centre-location.js" in page
    refused = alice_client.post(
        "/api/v1/me/consents/location_features/prompt",
        {"accept": False, "context": "address_form"},
        content_type="application/json",
    )
    assert refused.status_code == 200 and refused.json()["granted"] is False
    assert refused.json()["should_ask"] is False
    for _visit in range(3):  # not asked again at every turn
        page = alice_client.get("/accounts/addresses/add/").content.decode()
        assert _button_state(page) == "off"
    record = consent.latest(alice.pk, LOCATION)
    assert record.channel == "web" and record.evidence == {
        "prompt": "location_features",
        "context": "address_form",
    }
    alice_client.post("/me/privacy/permissions/switch/", {"purpose": "location_features", "on": "1"})
    assert _button_state(alice_client.get("/accounts/addresses/add/").content.decode()) == "granted"


def test_accepting_the_prompt_grants_at_once(api_client, alice_client, alice):
    accepted = api_client.call("post", "/me/consents/location_features/prompt", {"accept": True})
    assert accepted.status_code == 200 and accepted.json()["granted"] is True
    assert consent.has(alice.pk, LOCATION)


def test_a_prompt_cannot_turn_on_what_is_turned_on_elsewhere(api_client, alice_client, alice):
    response = api_client.call("post", "/me/consents/real_name/prompt", {"accept": True}, lang="en")
    assert response.status_code == 409
    assert not ConsentRecord.objects.filter(subject_id=alice.pk).exists()


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_refused_feature_cannot_be_turned_on_through_its_prompt(api_client, alice_client, alice, lang):
    """After "not now", only the person's own switch turns the feature on: its prompt answers
    409 ``already_answered`` and records nothing, whatever a client sends."""
    refused = api_client.call("post", "/me/consents/location_features/prompt", {"accept": False})
    assert refused.status_code == 200 and refused.json()["should_ask"] is False
    again = api_client.call("post", "/me/consents/location_features/prompt", {"accept": True}, lang=lang)
    assert again.status_code == 409 and again.json()["code"] == "already_answered"
    with translation.override(lang):
        assert again.json()["message"] == str(AlreadyAnswered().message)  # in the caller's language
    assert not consent.has(alice.pk, LOCATION)
    assert ConsentRecord.objects.filter(subject_id=alice.pk, purpose=LOCATION.code).count() == 1
    with pytest.raises(AlreadyAnswered):
        services.feature_prompt_answer(user=alice, purpose=LOCATION, accept=True)
    assert not consent.has(alice.pk, LOCATION)
    # the list tells clients the same, from the one ``should_ask``
    listed = {row["purpose"]: row for row in api_client.call("get", "/me/consents").json()}
    assert listed["location_features"]["should_ask"] is False and listed["camera"]["should_ask"] is True
