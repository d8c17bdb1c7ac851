"""Minors (C003-28, C004-23): under 14 the account waits for a verified guardian's consent;
14–17 see the guardian notice once; children without consent are erased."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from candor.identity import minors, selectors, services, tasks
from candor.identity.models import Guardianship
from candor.identity.tests.conftest import birthday_for_age
from candor.privacy import consent, taxonomy
from candor.privacy.models import AuditEvent, ConsentRecord, ErasureRecord

GUARDIAN = "13912345678"


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        (date(2010, 6, 15), date(2024, 6, 14), 13),
        (date(2010, 6, 15), date(2024, 6, 15), 14),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_on(born, today, age):
    assert minors.age_on(born, today) == age


@pytest.fixture
def child(user):
    services.minor_check(user=user, birthday=birthday_for_age(10))
    return user


def test_minor_check_opens_the_right_step(make_user):
    child, teen, adult = make_user(), make_user(), make_user()
    services.minor_check(user=child, birthday=birthday_for_age(13))
    services.minor_check(user=teen, birthday=birthday_for_age(14))
    services.minor_check(user=adult, birthday=birthday_for_age(18))
    services.minor_check(user=adult, birthday=None)
    assert Guardianship.objects.get(child=child).kind == Guardianship.Kind.CONSENT
    assert Guardianship.objects.get(child=teen).kind == Guardianship.Kind.NOTICE
    assert not Guardianship.objects.filter(child=adult).exists()
    assert selectors.guardian_gate_required(child) and not selectors.guardian_gate_required(teen)


def test_child_is_gated_on_pages_and_api(child, logged_in, api):
    page = logged_in.get("/accounts/identity/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/identity/guardian/")
    response = api.call("get", "/addresses", lang="en")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "guardian_consent_required" and body["message"] and body["fields"] == {}
    # What the child needs stays open: the guardian page and API, privacy pages, status.
    assert logged_in.get("/accounts/identity/guardian/").status_code == 200
    assert logged_in.get("/privacy/").status_code == 200
    assert api.call("get", "/identity/status").json()["guardian"]["step"] == "consent"


def test_guardian_consent_opens_the_account(child, logged_in, api, fake_codes):
    assert api.call("post", "/identity/guardian/code", {"phone": "+86 139 1234 5678"}).status_code == 200
    wrong = api.call(
        "post",
        "/identity/guardian/decision",
        {"phone": GUARDIAN, "code": "000000", "relation": "parent", "consent": True},
    )
    assert wrong.status_code == 400
    assert Guardianship.objects.get(child=child).status == "pending"
    assert not ConsentRecord.objects.filter(purpose=taxonomy.GUARDIAN_CONSENT.code).exists()
    assert api.call("get", "/addresses").status_code == 403
    response = api.call(
        "post",
        "/identity/guardian/decision",
        {"phone": GUARDIAN, "code": "123456", "relation": "parent", "consent": True},
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"step": None, "kind": "consent", "status": "consented"}
    row = Guardianship.objects.get(child=child)
    assert row.guardian_phone == GUARDIAN and row.relation == "parent" and row.decided_at
    assert consent.has(child.pk, taxonomy.GUARDIAN_CONSENT)
    record = consent.latest(child.pk, taxonomy.GUARDIAN_CONSENT)
    assert record.channel == "guardian" and record.evidence["relation"] == "parent"
    assert "13912345678" not in str(record.evidence)
    assert AuditEvent.objects.filter(subject_id=child.pk, target=f"identity.guardianship:{row.pk}").exists()
    # Usable now.
    assert api.call("get", "/addresses").status_code == 200
    assert logged_in.get("/accounts/identity/").status_code == 200


def test_guardian_page_flow(child, logged_in, fake_codes):
    sent = logged_in.post("/accounts/identity/guardian/", {"action": "send", "phone": GUARDIAN})
    assert sent.status_code == 200 and b'data-testid="guardian-decide-form"' in sent.content
    done = logged_in.post(
        "/accounts/identity/guardian/",
        {"action": "consent", "phone": GUARDIAN, "code": "123456", "relation": "legal_guardian", "next": "/"},
    )
    assert done.status_code == 302 and done["Location"] == "/"
    assert Guardianship.objects.get(child=child).status == "consented"


def test_invalid_relation_changes_nothing(child, api, logged_in, fake_codes):
    api.call("post", "/identity/guardian/code", {"phone": GUARDIAN})
    response = api.call(
        "post",
        "/identity/guardian/decision",
        {"phone": GUARDIAN, "code": "123456", "relation": "uncle", "consent": True},
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_relation"
    assert Guardianship.objects.get(child=child).status == "pending"


def test_teen_sees_the_notice_once(user, logged_in, api):
    services.minor_check(user=user, birthday=birthday_for_age(15))
    page = logged_in.get("/accounts/identity/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/identity/guardian/notice/")
    assert api.call("get", "/addresses").status_code == 200  # the notice never blocks the API
    ack = logged_in.post("/accounts/identity/guardian/notice/", {"next": "/accounts/identity/"})
    assert ack.status_code == 302 and ack["Location"] == "/accounts/identity/"
    row = Guardianship.objects.get(child=user)
    assert row.status == "acknowledged" and row.decided_at
    assert (
        AuditEvent.objects.filter(subject_id=user.pk, target=f"identity.guardianship:{row.pk}").count() == 2
    )
    assert logged_in.get("/accounts/identity/").status_code == 200


def test_sweep_erases_children_without_consent(make_user, settings):
    settings.CANDOR_GUARDIAN_GRACE_DAYS = 7
    late, fresh, refused, consented, teen = (make_user() for _ in range(5))
    for child in (late, fresh, refused, consented):
        services.minor_check(user=child, birthday=birthday_for_age(9))
    services.minor_check(user=teen, birthday=birthday_for_age(16))
    old = timezone.now() - timedelta(days=8)
    Guardianship.objects.filter(child__in=[late, refused, consented, teen]).update(created_at=old)
    Guardianship.objects.filter(child=refused).update(status="refused")
    Guardianship.objects.filter(child=consented).update(status="consented")

    assert tasks.unconsented_minors_erase() == 2

    erased = set(ErasureRecord.objects.values_list("subject_id", flat=True))
    assert erased == {late.pk, refused.pk}
    for person in (late, refused):
        person.refresh_from_db()
        assert not person.is_active and person.username.startswith("erased-")
        assert not Guardianship.objects.filter(child=person).exists()
    assert Guardianship.objects.filter(child__in=[fresh, consented, teen]).count() == 3
    assert AuditEvent.objects.filter(action="erase", detail__reason="no_guardian_consent").count() == 2
    assert tasks.unconsented_minors_erase() == 0


def test_adult_birthday_lifts_a_pending_step_but_not_a_decision(make_user):
    pending, decided = make_user(), make_user()
    for person in (pending, decided):
        services.minor_check(user=person, birthday=birthday_for_age(12))
    Guardianship.objects.filter(child=decided).update(status="consented")
    for person in (pending, decided):
        services.minor_check(user=person, birthday=birthday_for_age(30))
    assert not Guardianship.objects.filter(child=pending).exists()
    assert Guardianship.objects.get(child=decided).status == "consented"


def test_guardian_with_real_sms_codes(child, api, logged_in):
    """One integration test with the real verification service and the SMS simulator."""
    from candor.verification.tests.conftest import latest_code

    assert api.call("post", "/identity/guardian/code", {"phone": GUARDIAN}).status_code == 200
    code = latest_code(GUARDIAN)
    response = api.call(
        "post",
        "/identity/guardian/decision",
        {"phone": GUARDIAN, "code": code, "relation": "parent", "consent": True},
    )
    assert response.status_code == 200, response.content
    assert Guardianship.objects.get(child=child).status == "consented"
    again = api.call(
        "post",
        "/identity/guardian/decision",
        {"phone": GUARDIAN, "code": code, "relation": "parent", "consent": True},
    )
    assert again.status_code == 409  # nothing pending any more
