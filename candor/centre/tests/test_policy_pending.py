"""While a significant policy version waits for the person's acceptance (C002-22):

- nothing is switched on under it — the centre's switch, a feature's prompt and the cookie
  banner's "accept analytics" answer 409 ``policy_not_accepted`` in the person's language and
  record nothing — while switching off stays possible (a consent is given under a policy the
  person has accepted, never under one they have not read);
- the privacy centre's API stays open as its pages do (consents, my data and its export, who
  received it, requests, the cookie choice), while the rest of the API (an order) stays locked.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from candor.centre.errors import PolicyNotAccepted
from candor.cookies import jar
from candor.privacy import consent, policy, taxonomy
from candor.privacy.models import ConsentRecord

pytestmark = pytest.mark.django_db

LOCATION = taxonomy.LOCATION_FEATURES


@pytest.fixture(autouse=True)
def _keys(fresh_keys):
    """Every test gets its own key cache."""


@pytest.fixture
def pending(alice, published_policy):
    """Alice accepted 1.0 and granted location under it; 2.0 (significant) now waits for her."""
    policy.accept(user_id=alice.pk, version=published_policy, channel="web", evidence={"page": "test"})
    consent.grant(alice.pk, LOCATION, channel="web", policy_version="1.0")
    policy.publish(
        number="2.0", effective_at=timezone.now() - timedelta(seconds=1), significant=True,
        summary_zh="变更", summary_en="Changed",
    )  # fmt: skip
    assert policy.needs_acceptance(alice.pk) is not None
    return alice


def _rows(user) -> int:
    return ConsentRecord.objects.filter(subject_id=user.pk).exclude(purpose=consent.POLICY).count()


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_switching_on_waits_for_the_policy_in_the_persons_language(alice_client, pending, lang):
    with translation.override(lang):
        text = str(PolicyNotAccepted().message)  # the person's language (en: "…accept the updated…")
    assert "accept the updated privacy policy first" in text or lang != "en"
    before = _rows(pending)
    page = alice_client.post(
        "/me/privacy/permissions/switch/",
        {"purpose": "personalization", "on": "1"},
        HTTP_ACCEPT_LANGUAGE=lang,
    )
    assert page.status_code == 409 and text in page.content.decode()
    api = alice_client.put(
        "/api/v1/me/consents/personalization", data='{"granted": true}', content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=lang,
    )  # fmt: skip
    assert api.status_code == 409 and api.json()["code"] == "policy_not_accepted"
    assert text in api.json()["message"] and api.json()["accept_url"] == "/privacy/accept/"
    assert not consent.has(pending.pk, taxonomy.PERSONALIZATION) and _rows(pending) == before


def test_a_prompt_cannot_grant_under_an_unaccepted_policy(alice_client, pending):
    before = _rows(pending)
    answer = alice_client.post(
        "/api/v1/me/consents/camera/prompt", data='{"accept": true}', content_type="application/json"
    )
    assert answer.status_code == 409 and answer.json()["code"] == "policy_not_accepted"
    assert not consent.has(pending.pk, taxonomy.CAMERA) and _rows(pending) == before


def test_switching_off_stays_possible(alice_client, pending):
    page = alice_client.post("/me/privacy/permissions/switch/", {"purpose": LOCATION.code, "on": "0"})
    assert page.status_code == 302 and "accept" not in page["Location"]
    assert not consent.has(pending.pk, LOCATION)
    consent.grant(pending.pk, LOCATION, channel="web", policy_version="1.0")
    api = alice_client.put(
        f"/api/v1/me/consents/{LOCATION.code}", data='{"granted": false}', content_type="application/json"
    )
    assert api.status_code == 200 and api.json()["granted"] is False


def test_the_cookie_banner_records_no_analytics_consent_for_a_member_who_has_not_accepted(
    alice_client, pending
):
    before = _rows(pending)
    page = alice_client.post("/cookies/consent/", {"analytics": "1", "next": "/"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 409
    assert jar.CONSENT_COOKIE not in page.cookies or not page.cookies[jar.CONSENT_COOKIE].value
    api = alice_client.put(
        "/api/v1/cookies/consent", data='{"analytics": true}', content_type="application/json"
    )
    assert api.status_code == 409 and api.json()["code"] == "policy_not_accepted"
    assert not consent.has(pending.pk, taxonomy.ANALYTICS) and _rows(pending) == before
    refused = alice_client.put(
        "/api/v1/cookies/consent", data='{"analytics": false}', content_type="application/json"
    )
    assert refused.status_code == 200 and refused.json()["analytics"] is False


def test_the_privacy_centre_api_stays_open_and_the_rest_stays_locked(
    alice_client, pending, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.CANDOR_EXPORT_DIR = tmp_path / "exports"
    for path in ("/me/consents", "/me/consents/history", f"/me/consents/{LOCATION.code}", "/me/data",
                 "/me/disclosures", "/me/requests", "/cookies/consent", "/cookies"):  # fmt: skip
        assert alice_client.get(f"/api/v1{path}").status_code == 200, path
    with django_capture_on_commit_callbacks(execute=True):
        created = alice_client.post("/api/v1/me/data/export")
    assert created.status_code == 202
    state = alice_client.get("/api/v1/me/data/export").json()
    assert state["status"] == "ready" and alice_client.get(state["download_url"]).status_code == 200
    filed = alice_client.post(
        "/api/v1/me/requests", data='{"kind": "question", "body": "新政策改了什么?"}',
        content_type="application/json",
    )  # fmt: skip
    assert filed.status_code == 201
    withdrawn = alice_client.post(f"/api/v1/me/requests/{filed.json()['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    order = alice_client.post("/api/v1/orders", data="{}", content_type="application/json")
    assert order.status_code == 403 and order.json()["code"] == "policy_consent_required"
    assert alice_client.get("/api/v1/me/for-you").status_code == 403
