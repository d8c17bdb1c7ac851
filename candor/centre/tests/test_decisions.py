"""Automated decisions (C003-21, DESIGN "Personalization"): profile tags are derived from the
member's own browsing history and favorites only while they consent; each can be deleted and
stays deleted; switching personalization off deletes the profile; a decision can be contested
through the request queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from candor.centre import selectors, services
from candor.centre.models import ProfileTag, ProfileTagSuppression
from candor.centre.tests.conftest import no_inline_code
from candor.privacy import consent, taxonomy
from candor.privacy.models import AuditEvent
from candor.service.models import RightsRequest

pytestmark = pytest.mark.django_db


def _tags(user) -> dict[int, tuple[int, str]]:
    return {t.category_id: (t.weight, t.source) for t in ProfileTag.objects.filter(user=user)}


def test_tags_come_from_browsing_and_favorites_with_weights(shop, personalized_alice, viewed, favorited):
    alice, p = personalized_alice, shop.products
    viewed(alice, p["mate"], p["iphone"], p["tea"])
    favorited(alice, p["case"], p["iphone"])
    services.profile_tags_refresh(user=alice)
    assert _tags(alice) == {
        shop.phones.pk: (2 + 3, "browsing_favorites"),  # two phones seen, one kept
        shop.cases.pk: (3, "favorites"),
        shop.food.pk: (1, "browsing"),
    }
    shown = [t.name for t in selectors.profile_tags(alice, lang="en")]
    assert shown == ["Phones", "Phone cases", "Food"]


def test_nothing_is_derived_without_consent(shop, alice, viewed):
    viewed(alice, shop.products["mate"])
    assert services.profile_tags_refresh(user=alice) == []
    assert not ProfileTag.objects.exists()
    refused = services.feature_prompt_answer(user=alice, purpose=taxonomy.PERSONALIZATION, accept=False)
    assert refused.granted is False
    services.profile_tags_refresh(user=alice)
    assert not ProfileTag.objects.exists()


def test_withdrawing_personalization_deletes_the_profile_at_once(shop, personalized_alice, viewed):
    viewed(personalized_alice, shop.products["mate"])
    services.profile_tags_refresh(user=personalized_alice)
    assert ProfileTag.objects.filter(user=personalized_alice).exists()
    services.consent_switch(user=personalized_alice, purpose="personalization", on=False)
    assert not ProfileTag.objects.filter(user=personalized_alice).exists()
    assert AuditEvent.objects.filter(target="centre.profiletag:*", subject_id=personalized_alice.pk).exists()


def test_a_deleted_tag_stays_deleted_and_is_no_longer_used(shop, personalized_alice, viewed, favorited):
    alice, p = personalized_alice, shop.products
    viewed(alice, p["mate"], p["tea"])
    favorited(alice, p["mate"])
    services.profile_tags_refresh(user=alice)
    assert selectors.for_you(alice, lang="en").personalized
    services.profile_tag_delete(user=alice, category_id=shop.phones.pk)
    assert shop.phones.pk not in _tags(alice)
    assert ProfileTagSuppression.objects.filter(user=alice, category=shop.phones).exists()
    viewed(alice, p["iphone"])  # more interest in phones: still not derived again
    services.profile_tags_refresh(user=alice, force=True)
    services.consent_switch(user=alice, purpose="personalization", on=False)
    services.consent_switch(user=alice, purpose="personalization", on=True)  # re-derives
    assert set(_tags(alice)) == {shop.food.pk}
    listed = selectors.for_you(alice, lang="en")
    assert listed.personalized and [c.id for c in listed.cards] == [p["tea"].pk]
    # allowing it again lets it back in
    services.profile_tag_allow(user=alice, category_id=shop.phones.pk)
    assert shop.phones.pk in _tags(alice)


def test_someone_elses_or_a_missing_tag_is_404_and_nothing_changes(shop, personalized_alice, bob, viewed):
    viewed(personalized_alice, shop.products["mate"])
    services.profile_tags_refresh(user=personalized_alice)
    for raw in (shop.phones.pk, "abc", "", 10**12):
        with pytest.raises(services.TagNotFound):
            services.profile_tag_delete(user=bob, category_id=raw)
    assert shop.phones.pk in _tags(personalized_alice)
    assert not ProfileTagSuppression.objects.exists()


def test_an_unchanged_profile_is_not_rewritten_until_a_day_old(shop, personalized_alice, viewed):
    viewed(personalized_alice, shop.products["mate"])
    first = services.profile_tags_refresh(user=personalized_alice)
    again = services.profile_tags_refresh(user=personalized_alice)
    assert [t.pk for t in again] == [t.pk for t in first]
    later = services.profile_tags_refresh(user=personalized_alice, now=timezone.now() + timedelta(days=2))
    assert [t.pk for t in later] != [t.pk for t in first]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_page_shows_tags_sources_prices_and_the_switch(
    shop, personalized_alice, alice_client, viewed, lang
):
    viewed(personalized_alice, shop.products["mate"])
    response = alice_client.get("/me/privacy/decisions/", HTTP_ACCEPT_LANGUAGE=lang)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="personalization" data-personalized="true"' in html
    assert (
        f'data-testid="tag" data-category="{shop.phones.pk}"' in html and 'data-testid="tag-delete"' in html
    )
    assert ("手机" in html) if lang == "zh-hans" else ("Phones" in html and "PIPL art. 24" in html)
    no_inline_code(html)


def test_deleting_a_tag_on_the_page(shop, personalized_alice, alice_client, viewed):
    viewed(personalized_alice, shop.products["mate"])
    services.profile_tags_refresh(user=personalized_alice)
    response = alice_client.post("/me/privacy/decisions/tags/delete/", {"category": shop.phones.pk})
    assert response.status_code == 302 and response["Location"] == "/me/privacy/decisions/"
    html = alice_client.get("/me/privacy/decisions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        'data-testid="tag" ' not in html
        and f'data-testid="deleted-tag" data-category="{shop.phones.pk}"' in html
    )


def test_the_one_tap_switch_on_the_page(shop, personalized_alice, alice_client, viewed):
    viewed(personalized_alice, shop.products["mate"])
    services.profile_tags_refresh(user=personalized_alice)
    response = alice_client.post(
        "/me/privacy/permissions/switch/", {"purpose": "personalization", "on": "0", "back": "decisions"}
    )
    assert response["Location"] == "/me/privacy/decisions/"
    assert not selectors.personalized(personalized_alice)
    assert not ProfileTag.objects.exists()
    html = alice_client.get("/me/privacy/decisions/").content.decode()
    assert 'data-personalized="false"' in html
    assert consent.latest(personalized_alice.pk, taxonomy.PERSONALIZATION).evidence == {"page": "decisions"}


def test_the_api_mirrors_the_page(shop, personalized_alice, alice_client, api_client, viewed):
    viewed(personalized_alice, shop.products["mate"])
    body = api_client.call("get", "/me/decisions", lang="en").json()
    assert body["personalized"] is True and body["prices_depend_on_profile"] is False
    assert [t["name"] for t in body["tags"]] == ["Phones"] and body["tags"][0]["source"] == "browsing history"
    assert api_client.call("delete", f"/me/profile-tags/{shop.phones.pk}").status_code == 204
    body = api_client.call("get", "/me/decisions").json()
    assert body["tags"] == [] and [t["category_id"] for t in body["deleted_tags"]] == [shop.phones.pk]
    assert api_client.call("delete", f"/me/profile-tags/{shop.phones.pk}").status_code == 404
    assert api_client.call("delete", f"/me/profile-tags/deleted/{shop.phones.pk}").status_code == 204
    assert [t["category_id"] for t in api_client.call("get", "/me/decisions").json()["tags"]] == [
        shop.phones.pk
    ]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_contesting_a_decision_files_a_request(alice, alice_client, api_client, lang):
    response = alice_client.post(
        "/me/privacy/decisions/contest/", {"decision": "for_you", "reason": "I never look at phones."},
        HTTP_ACCEPT_LANGUAGE=lang,
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/me/requests/"
    filed = RightsRequest.objects.get()
    assert (
        filed.kind == "contest_decision"
        and "I never look at phones." in filed.body
        and "[for_you]" in filed.body
    )
    by_api = api_client.call(
        "post", "/me/decisions/contest", {"decision": "profile_tags", "reason": "Wrong tag"}
    )
    assert by_api.status_code == 201 and by_api.json()["kind"] == "contest_decision"
    assert RightsRequest.objects.count() == 2


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_an_empty_contest_is_refused_and_nothing_is_filed(alice, alice_client, api_client, lang):
    page = alice_client.post("/me/privacy/decisions/contest/", {"decision": "nonsense", "reason": " "},
                             HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip
    assert page.status_code == 400
    html = page.content.decode()
    assert 'data-testid="error-reason"' in html and 'data-testid="error-decision"' in html
    api = api_client.call("post", "/me/decisions/contest", {"decision": "for_you", "reason": ""}, lang=lang)
    assert api.status_code == 400 and "reason" in api.json()["fields"]
    assert not RightsRequest.objects.exists()
