"""The cancellation review in the back office (C002-20, C003-20): the waiting list with the
48-hour clock and what blocks each request; approving erases now through the cancellation
service's own step; holding stops the clock (or moves its end) with a reason the person reads on
their cancel page and in the API; nothing is erased while it is held."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from candor.accounts import cancellation
from candor.accounts.models import Cancellation, User
from candor.announcements.tests.conftest import PASSWORD, logged_in, staff
from candor.privacy.models import AuditEvent, ErasureRecord

pytestmark = pytest.mark.django_db

LIST = "/admin/accounts/cancellation/"
REASON = "We are checking a refund that is still open."


@pytest.fixture
def request_(members) -> Cancellation:
    """Cai (no mobile) asks to cancel, confirming with the password."""
    return cancellation.cancellation_request(user=members["cai"], password=PASSWORD)


def review(client, row, **data):
    return client.post(f"{LIST}{row.pk}/review/", data)


def test_the_waiting_list_shows_the_clock_and_the_blockers(officer_client, request_):
    page = officer_client.get(LIST).content.decode()
    assert f"user #{request_.user_id}" in page and "47 h" in page
    check = cancellation.register_blocker(lambda user: ["an order is not delivered yet"])
    try:
        assert "an order is not delivered yet" in officer_client.get(LIST).content.decode()
        shown = officer_client.get(f"{LIST}{request_.pk}/review/").content.decode()
        assert 'data-testid="blockers"' in shown and "an order is not delivered yet" in shown
    finally:
        cancellation._blockers.remove(check)


def test_approving_erases_the_account_now(officer_client, officer, request_, members):
    cai = members["cai"]
    done = review(officer_client, request_, decision="approve")
    assert done.status_code == 302 and done["Location"] == LIST
    cai.refresh_from_db()
    assert not cai.is_active and cai.username.startswith("erased-")
    assert ErasureRecord.objects.filter(subject_id=cai.pk).exists() and not Cancellation.objects.exists()
    event = AuditEvent.objects.filter(target=f"accounts.cancellation:{request_.pk}").latest("seq")
    assert event.actor_id == officer.pk and event.detail == {"operation": "approve"}
    assert AuditEvent.objects.get(action="erase", subject_id=cai.pk).actor_id == officer.pk


def test_approving_is_refused_while_something_blocks(officer_client, request_, members):
    check = cancellation.register_blocker(lambda user: ["a refund is open"])
    try:
        refused = review(officer_client, request_, decision="approve")
    finally:
        cancellation._blockers.remove(check)
    assert refused.status_code == 409 and "a refund is open" in refused.content.decode()
    members["cai"].refresh_from_db()
    assert members["cai"].is_active and not ErasureRecord.objects.exists()
    assert Cancellation.objects.get().status == Cancellation.Status.IN_REVIEW


def test_a_hold_stops_the_clock_with_a_reason_the_person_sees(officer_client, request_, members, client):
    assert review(officer_client, request_, decision="hold", reason=REASON).status_code == 302
    row = Cancellation.objects.get()
    assert row.held_at is not None and row.hold_reason == REASON

    # Nothing is erased while it is held, however long it waits.
    assert cancellation.cancellations_complete(now=timezone.now() + timedelta(days=30)) == 0
    assert User.objects.get(pk=members["cai"].pk).is_active

    client.force_login(members["cai"])
    page = client.get("/accounts/cancel/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="cancel-held"' in page and REASON in page and 'data-testid="cancel-withdraw"' in page
    state = client.get("/api/v1/accounts/me/cancellation").json()
    assert state["in_review"] and state["on_hold"] and state["hold_reason"] == REASON

    # Released, the clock runs again with the time that was left (about 48 hours).
    assert review(officer_client, row, decision="release").status_code == 302
    row.refresh_from_db()
    assert row.held_at is None and row.hold_reason == ""
    assert timedelta(hours=47) < row.review_until - timezone.now() <= timedelta(hours=48)
    assert cancellation.cancellations_complete(now=timezone.now() + timedelta(hours=47)) == 0
    assert cancellation.cancellations_complete(now=timezone.now() + timedelta(hours=49)) == 1


def test_an_extension_moves_the_end_and_says_why(officer_client, request_, members, client):
    until = timezone.localtime(timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    assert review(officer_client, request_, decision="extend", reason=REASON, until=until).status_code == 302
    row = Cancellation.objects.get()
    assert row.held_at is None and row.review_until > timezone.now() + timedelta(days=4)
    client.force_login(members["cai"])
    assert REASON in client.get("/accounts/cancel/").content.decode()
    assert cancellation.cancellations_complete(now=timezone.now() + timedelta(hours=49)) == 0
    assert cancellation.cancellations_complete(now=timezone.now() + timedelta(days=6)) == 1


def test_a_hold_needs_a_reason_and_a_clerk_cannot_decide(officer_client, request_):
    refused = review(officer_client, request_, decision="hold", reason="  ")
    assert refused.status_code == 400
    no_date = review(officer_client, request_, decision="extend", reason=REASON)
    assert no_date.status_code == 400
    clerk = logged_in(staff("clerk", "customer_service"))
    assert review(clerk, request_, decision="approve").status_code == 403
    row = Cancellation.objects.get()
    assert row.held_at is None and row.hold_reason == "" and row.status == Cancellation.Status.IN_REVIEW
    assert not ErasureRecord.objects.exists()
