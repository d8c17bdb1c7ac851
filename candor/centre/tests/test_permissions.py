"""Permissions and consents (C001-16): every purpose that needs consent is listed with what it
enables, its state and a switch; a switch takes effect at once, on the page and in the API,
and the ledger keeps every answer (append-only)."""

from __future__ import annotations

import pytest

from candor.centre.features import CHANNEL, FEATURES
from candor.centre.tests.conftest import no_inline_code
from candor.privacy import consent, taxonomy
from candor.privacy.models import ConsentRecord

pytestmark = pytest.mark.django_db

CONSENT_PURPOSES = [code for code, p in taxonomy.PURPOSES.items() if p.needs_consent]


def test_every_purpose_that_needs_consent_is_listed():
    assert sorted(FEATURES) == sorted(CONSENT_PURPOSES)
    for code in (
        "location_features",
        "camera",
        "album",
        "microphone",
        "contacts",
        "personalization",
        "marketing_push",
        "marketing_activities",
        "face_login",
        "cross_border",
        "analytics",
    ):
        assert code in FEATURES  # the list, by name


@pytest.mark.parametrize(("lang", "label", "what"), [
    ("en", "Location features", "regional stock, nearby stores"),
    ("zh-hans", None, None),
])  # fmt: skip
def test_the_page_shows_each_permission_with_its_state_and_switch(alice_client, alice, lang, label, what):
    consent.grant(alice.pk, taxonomy.CAMERA, channel="web")
    response = alice_client.get("/me/privacy/permissions/", HTTP_ACCEPT_LANGUAGE=lang)
    html = response.content.decode()
    assert response.status_code == 200
    for code in CONSENT_PURPOSES:
        assert f'data-testid="permission-{code}"' in html
    assert 'data-testid="permission-camera" data-granted="true"' in html
    assert 'data-testid="permission-location_features" data-granted="false"' in html
    assert 'data-testid="switch-camera"' in html and 'aria-checked="true"' in html
    assert 'data-testid="switch-guardian_consent"' not in html  # the guardian decides that one
    if lang == "en":
        assert label in html and what in html and "Permissions and consents" in html
    else:
        assert "权限" in html
    no_inline_code(html)


def test_switching_off_on_the_page_takes_effect_at_once(alice_client, alice):
    consent.grant(alice.pk, taxonomy.MARKETING_PUSH, channel="web")
    response = alice_client.post(
        "/me/privacy/permissions/switch/", {"purpose": "marketing_push", "on": "0", "back": "permissions"}
    )
    assert response.status_code == 302 and response["Location"] == "/me/privacy/permissions/"
    assert not consent.has(alice.pk, taxonomy.MARKETING_PUSH)
    row = consent.latest(alice.pk, taxonomy.MARKETING_PUSH)
    assert row.channel == CHANNEL and row.evidence == {"page": "permissions"} and not row.granted
    page = alice_client.get("/me/privacy/permissions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="permission-marketing_push" data-granted="false"' in page


def test_switching_on_with_htmx_answers_the_refreshed_section(alice_client, alice):
    response = alice_client.post(
        "/me/privacy/permissions/switch/",
        {"purpose": "camera", "on": "1", "back": "permissions"},
        HTTP_HX_REQUEST="true",
        follow=True,
    )
    assert response.status_code == 200 and 'id="centre-permissions"' in response.content.decode()
    assert consent.has(alice.pk, taxonomy.CAMERA)


def test_the_api_lists_reads_and_switches(api_client, alice_client, alice):
    listed = api_client.call("get", "/me/consents", lang="en")
    assert listed.status_code == 200
    by_code = {row["purpose"]: row for row in listed.json()}
    assert sorted(by_code) == sorted(CONSENT_PURPOSES)
    location = by_code["location_features"]
    assert location["label"] == "Location features" and location["sensitive"] is True
    assert location["granted"] is False and location["should_ask"] is True and location["changed_at"] is None

    on = api_client.call("put", "/me/consents/location_features", {"granted": True})
    assert on.status_code == 200 and on.json()["granted"] is True and on.json()["should_ask"] is False
    assert consent.has(alice.pk, taxonomy.LOCATION_FEATURES)
    off = api_client.call("put", "/me/consents/location_features", {"granted": False})
    assert off.json()["granted"] is False
    assert not consent.has(alice.pk, taxonomy.LOCATION_FEATURES)  # at once, no cache
    one = api_client.call("get", "/me/consents/location_features")
    assert one.status_code == 200 and one.json()["granted"] is False


def test_history_is_appended_and_never_rewritten(api_client, alice_client, alice):
    for granted in (True, False, True):
        api_client.call("put", "/me/consents/album", {"granted": granted})
    rows = list(ConsentRecord.objects.filter(subject_id=alice.pk, purpose="album").order_by("id"))
    assert [r.granted for r in rows] == [True, False, True]
    first = (rows[0].pk, rows[0].at, rows[0].granted)
    api_client.call("put", "/me/consents/album", {"granted": True})  # already on: nothing appended
    api_client.call("put", "/me/consents/album", {"granted": False})
    rows_after = list(ConsentRecord.objects.filter(subject_id=alice.pk, purpose="album").order_by("id"))
    assert [r.granted for r in rows_after] == [True, False, True, False]
    assert (rows_after[0].pk, rows_after[0].at, rows_after[0].granted) == first
    history = api_client.call("get", "/me/consents/history", lang="en").json()
    assert [h["granted"] for h in history if h["purpose"] == "album"] == [
        False,
        True,
        False,
        True,
    ]  # newest first
    assert history[0]["channel"] == "privacy centre" and history[0]["label"] == "Photo album"
    page = alice_client.get("/me/privacy/permissions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count('data-testid="history-row" data-purpose="album"') == 4


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_unknown_and_elsewhere_purposes_are_refused_and_nothing_is_recorded(
    api_client, alice_client, alice, lang
):
    unknown = api_client.call("put", "/me/consents/telepathy", {"granted": True}, lang=lang)
    assert unknown.status_code == 404 and unknown.json()["code"] == "purpose_not_found"
    basic = api_client.call("put", "/me/consents/ordering", {"granted": False}, lang=lang)
    assert basic.status_code == 404  # basic functions are covered by the policy, not switched here
    face = api_client.call("put", "/me/consents/face_login", {"granted": True}, lang=lang)
    assert face.status_code == 409 and face.json()["code"] == "switched_elsewhere"
    assert ("使用" in face.json()["message"]) if lang == "zh-hans" else ("page" in face.json()["message"])
    guardian = alice_client.post(
        "/me/privacy/permissions/switch/", {"purpose": "guardian_consent", "on": "0"}
    )
    assert guardian.status_code == 409
    bad = api_client.call("put", "/me/consents/camera", {"granted": "maybe"}, lang=lang)
    assert bad.status_code == 422
    assert not ConsentRecord.objects.filter(subject_id=alice.pk).exists()


def test_face_login_can_be_switched_off_here(api_client, alice_client, alice):
    consent.grant(alice.pk, taxonomy.FACE_LOGIN, channel="web")
    assert api_client.call("put", "/me/consents/face_login", {"granted": False}).status_code == 200
    assert not consent.has(alice.pk, taxonomy.FACE_LOGIN)


def test_guests_are_sent_to_log_in_and_nothing_is_recorded(client, api_client, alice):
    assert client.get("/me/privacy/")["Location"].startswith("/login/")
    assert client.get("/me/privacy/permissions/")["Location"].startswith("/login/")
    posted = client.post("/me/privacy/permissions/switch/", {"purpose": "camera", "on": "1"})
    assert posted.status_code == 302 and posted["Location"].startswith("/login/")
    assert api_client.call("put", "/me/consents/camera", {"granted": True}).status_code == 401
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_hub_links_every_part_of_the_centre(alice_client, lang):
    response = alice_client.get("/me/privacy/", HTTP_ACCEPT_LANGUAGE=lang)
    html = response.content.decode()
    assert response.status_code == 200
    for href in (
        "/privacy/",
        "/privacy/versions/",
        "/privacy/collection/",
        "/privacy/sharing/",
        "/me/privacy/permissions/",
        "/me/privacy/decisions/",
        "/me/data/",
        "/me/data/export/",
        "/me/data/disclosures/",
        "/me/requests/",
        "/cookies/",
        "/accounts/cancel/",
    ):
        assert f'href="{href}"' in html, href
    assert ("隐私中心" in html) if lang == "zh-hans" else ("Privacy centre" in html)
    no_inline_code(html)


def test_the_analytics_switch_goes_through_the_cookie_apps_one_writer(alice_client, alice, monkeypatch):
    """Switching analytics off in the centre is the cookie banner's "essential only": the same
    writer records it and forgets this browser's page views (PIPL art. 47)."""
    from candor.cookies import jar
    from candor.cookies import services as cookie_services
    from candor.cookies.models import PageView

    calls = []
    real = cookie_services.consent_choose
    monkeypatch.setattr(cookie_services, "consent_choose", lambda **kw: calls.append(kw) or real(**kw))
    consent.grant(alice.pk, taxonomy.ANALYTICS, channel="web")
    aid = "a" * 32
    alice_client.cookies[jar.AID_COOKIE] = aid
    PageView.objects.create(aid=aid, path="/")
    PageView.objects.create(aid="b" * 32, path="/")  # another browser's, not this one's
    off = alice_client.post("/me/privacy/permissions/switch/", {"purpose": "analytics", "on": "0"})
    assert off.status_code == 302 and not consent.has(alice.pk, taxonomy.ANALYTICS)
    assert [(c["analytics"], c["aid"]) for c in calls] == [(False, aid)]
    assert list(PageView.objects.values_list("aid", flat=True)) == ["b" * 32]
    assert consent.latest(alice.pk, taxonomy.ANALYTICS).channel == CHANNEL
