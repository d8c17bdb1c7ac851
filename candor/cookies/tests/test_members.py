"""A member's choice lands in the consent ledger (channel cookie_banner, the page as evidence,
one row per change), and the ledger wins over the cookie on every device: withdrawn elsewhere,
this browser loses its analytics cookie and views; granted elsewhere, a new device gets the
cookies and no banner. A guest's stray analytics cookie without consent is removed."""

from __future__ import annotations

import pytest
from django.test import Client

from candor.cookies import jar, selectors
from candor.cookies.models import PageView
from candor.cookies.selectors import Source
from candor.cookies.tests.conftest import accept, aid_of, beacon, deleted_cookies, set_cookies
from candor.privacy import consent, policy, taxonomy
from candor.privacy.models import ConsentRecord

pytestmark = pytest.mark.django_db


def ledger(user) -> list[tuple[bool, str, dict]]:
    rows = ConsentRecord.objects.filter(subject_id=user.pk, purpose=taxonomy.ANALYTICS.code).order_by("id")
    return [(r.granted, r.channel, r.evidence) for r in rows]


def test_a_members_choice_lands_in_the_ledger(client, alice, bob, published_policy):
    policy.accept(user_id=alice.pk, version=published_policy, channel="web", evidence={})
    client.force_login(alice)
    accept(client, page="/cart/?q=private")
    assert ledger(alice) == [(True, "cookie_banner", {"page": "/cart/"})]
    assert (
        ConsentRecord.objects.filter(subject_id=alice.pk, purpose="analytics").get().policy_version == "1.0"
    )
    assert consent.has(alice.pk, taxonomy.ANALYTICS)
    accept(client, page="/")  # the same choice again: no new row
    assert len(ledger(alice)) == 1
    accept(client, analytics=False, page="/cookies/")
    assert ledger(alice)[-1] == (False, "cookie_banner", {"page": "/cookies/"})
    assert not consent.has(alice.pk, taxonomy.ANALYTICS)
    assert ledger(bob) == []


def test_a_guests_choice_writes_no_ledger_row(client):
    accept(client)
    assert not ConsentRecord.objects.filter(purpose=taxonomy.ANALYTICS.code).exists()


def test_a_withdrawal_elsewhere_wins_over_this_browsers_cookie(alice):
    laptop = Client()
    accept(laptop)  # chosen as a guest on the laptop: the cookie says yes
    beacon(laptop, "/")
    aid = aid_of(laptop)
    laptop.force_login(alice)
    assert beacon(laptop, "/cart/").status_code == 204  # no ledger record yet: the cookie counts

    consent.withdraw(
        alice.pk, taxonomy.ANALYTICS, channel="privacy_centre", evidence={"page": "/me/privacy/"}
    )
    assert beacon(laptop, "/").status_code == 403
    response = laptop.get("/")
    assert jar.AID_COOKIE in deleted_cookies(response)
    assert set_cookies(response)[jar.CONSENT_COOKIE] == "analytics:0|v:1"
    assert "cookies/analytics.js" not in response.content.decode()
    assert not PageView.objects.filter(aid=aid).exists()
    assert 'data-testid="cookie-banner"' not in response.content.decode()


def test_a_grant_elsewhere_reaches_a_new_device(alice):
    consent.grant(alice.pk, taxonomy.ANALYTICS, channel="cookie_banner", evidence={"page": "/"})
    phone = Client()
    phone.force_login(alice)
    response = phone.get("/")
    cookies = set_cookies(response)
    assert cookies[jar.CONSENT_COOKIE] == "analytics:1|v:1" and len(cookies[jar.AID_COOKIE]) == 32
    assert 'data-testid="cookie-banner"' not in response.content.decode()
    assert 'data-analytics="1"' in response.content.decode()
    # In line now: the next page sets neither again.
    assert not {jar.CONSENT_COOKIE, jar.AID_COOKIE} & set(phone.get("/").cookies)


def test_the_ledger_wins_over_the_cookie(rf, alice):
    consent.withdraw(alice.pk, taxonomy.ANALYTICS, channel="cookie_banner")
    request = rf.get("/", HTTP_COOKIE=f"{jar.CONSENT_COOKIE}=analytics:1|v:1")
    request.user = alice
    assert selectors.consent_choice(request) == selectors.Choice(False, Source.LEDGER)
    assert not selectors.analytics_allowed(request)


def test_a_stray_analytics_cookie_without_consent_is_removed(client):
    client.cookies[jar.AID_COOKIE] = "f" * 32
    PageView.objects.create(aid="f" * 32, path="/")
    response = client.get("/")
    assert jar.AID_COOKIE in deleted_cookies(response)
    assert not PageView.objects.exists()
    assert jar.CONSENT_COOKIE not in set_cookies(response)  # a guest's choice is theirs to make


def test_json_answers_are_left_alone(client):
    client.cookies[jar.AID_COOKIE] = "f" * 32
    assert not client.get("/api/v1/ping").cookies
