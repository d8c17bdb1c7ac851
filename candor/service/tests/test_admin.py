"""The staff queue in the real back office (second factor passed), as the privacy officer and
customer service roles: requester data masked, overdue marked and filtered, steps that verify,
export (a zip download and an audit row), refuse (only with a reason and an explanation) and
answer; the deadline chart; what a role may not do is refused and changes nothing."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from candor.privacy.models import AuditEvent
from candor.service import services
from candor.service.models import RightsRequest

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/service/rightsrequest/"


def _step(request: RightsRequest, step: str) -> str:
    return reverse("admin:service_rightsrequest_step", args=[request.pk, step])


@pytest.fixture
def filed(alice) -> RightsRequest:
    return services.request_file(user=alice, kind="access", body="请把我的全部数据发给我", on_behalf="self")


def test_the_officer_sees_the_queue_with_requester_data_masked(officer_client, filed):
    listing = officer_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200
    assert f"#{filed.pk}" in listing.content.decode()
    page = officer_client.get(reverse("admin:service_rightsrequest_change", args=[filed.pk])).content.decode()
    assert "请把我的全部数据发给我" not in page and "/reveal/body/" in page
    for step in ("send_code", "documents", "export", "answer", "refuse"):
        assert f'data-step="{step}"' in page
    assert 'data-step="erase"' not in page  # an access request erases nothing


def test_an_overdue_request_shows_as_overdue_and_in_the_overdue_filter(officer_client, alice, clock):
    late = services.request_file(user=alice, kind="question", body="问题一")
    clock.advance(days=11)  # the question was due after 10 days
    fresh = services.request_file(user=alice, kind="question", body="问题二")
    overdue = officer_client.get(CHANGELIST + "?due=overdue", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"#{late.pk}<" in overdue and f"#{fresh.pk}<" not in overdue
    assert 'class="request-overdue"' in overdue
    page = officer_client.get(reverse("admin:service_rightsrequest_change", args=[late.pk])).content.decode()
    assert 'data-testid="overdue"' in page


def test_a_refusal_without_a_reason_or_explanation_is_refused(officer_client, filed):
    for data in ({"reason": "", "explanation": "因为"}, {"reason": "repeated", "explanation": ""}):
        answer = officer_client.post(_step(filed, "refuse"), data)
        assert answer.status_code == 400
    filed.refresh_from_db()
    assert (filed.status, filed.refusal_reason, filed.closed_at) == ("received", "", None)
    done = officer_client.post(_step(filed, "refuse"), {"reason": "repeated", "explanation": "上周已提供"})
    assert done.status_code == 302
    filed.refresh_from_db()
    assert (filed.status, filed.refusal_reason) == ("refused", "repeated")


def test_the_officer_verifies_by_documents_then_downloads_the_export_which_is_audited(
    officer_client, officer, filed
):
    refused = officer_client.post(_step(filed, "export"))
    assert refused.status_code == 409 and refused["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action="export").exists()
    assert officer_client.post(_step(filed, "documents"), {"seen": "on"}).status_code == 302
    download = officer_client.post(_step(filed, "export"))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    assert "no-cache" in download["Cache-Control"] or "no-store" in download["Cache-Control"]
    assert "index.json" in zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    audit = AuditEvent.objects.get(action="export")
    assert (audit.actor_id, audit.subject_id) == (officer.pk, filed.user_id)


def test_the_officer_answers_and_the_requester_reads_it(officer_client, alice_client, filed):
    assert officer_client.post(_step(filed, "answer"), {"answer": ""}).status_code == 400
    assert officer_client.post(_step(filed, "answer"), {"answer": "数据已发送"}).status_code == 302
    page = alice_client.get(reverse("service:detail", args=[filed.pk])).content.decode()
    assert "数据已发送" in page


def test_customer_service_may_verify_and_answer_but_not_export_or_erase(agent_client, alice):
    deletion = services.request_file(user=alice, kind="deletion", body="删除我")
    page = agent_client.get(
        reverse("admin:service_rightsrequest_change", args=[deletion.pk])
    ).content.decode()
    assert 'data-step="documents"' in page and 'data-step="answer"' in page
    assert 'data-step="export"' not in page and 'data-step="erase"' not in page
    assert agent_client.post(_step(deletion, "documents"), {"seen": "on"}).status_code == 302
    assert agent_client.post(_step(deletion, "export")).status_code == 403
    assert agent_client.post(_step(deletion, "erase"), {"confirm": "on"}).status_code == 403
    assert not AuditEvent.objects.filter(action__in=["export", "erase"]).exists()


def test_the_officer_erases_a_verified_deletion_request_only_when_confirmed(officer_client, alice):
    deletion = services.request_file(user=alice, kind="deletion", body="删除我")
    officer_client.post(_step(deletion, "documents"), {"seen": "on"})
    unconfirmed = officer_client.post(_step(deletion, "erase"), {})
    assert unconfirmed.status_code == 400
    alice.refresh_from_db()
    assert alice.is_active
    assert officer_client.post(_step(deletion, "erase"), {"confirm": "on"}).status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active


def test_a_scoped_deletion_offers_no_erasure_and_a_forced_post_erases_nothing(officer_client, alice):
    scoped = services.request_file(user=alice, kind="deletion", body="删除令牌", scope="accounts.apitoken")
    officer_client.post(_step(scoped, "documents"), {"seen": "on"})
    change = reverse("admin:service_rightsrequest_change", args=[scoped.pk])
    page = officer_client.get(change).content.decode()
    assert 'data-step="erase"' not in page and 'data-step="answer"' in page and "accounts.apitoken" in page
    assert officer_client.post(_step(scoped, "erase"), {"confirm": "on"}).status_code == 409
    alice.refresh_from_db()
    assert alice.is_active and not AuditEvent.objects.filter(action="erase").exists()


def test_the_deadline_chart_is_an_inline_svg_with_the_weeks_numbers(officer_client, alice, officer):
    answered = services.request_file(user=alice, kind="question", body="问题")
    services.request_answer(request_id=answered.pk, actor=officer, answer="答复")
    services.request_file(user=alice, kind="access", body="数据")
    page = officer_client.get(reverse("admin:service_rightsrequest_chart"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in text and 'class="bar-in_time"' in text and 'class="bar-open_in_time"' in text
    assert "<script" not in text.split('id="content-main"')[1] and 'style="' not in text.split("<svg")[1]


def test_staff_without_the_view_permission_see_nothing(client, filed):
    from django.contrib.auth import get_user_model

    from tests.staff_login import verify_second_factor

    clerk = get_user_model().objects.create_user("clerk", password="x-very-long-password-1", is_staff=True)
    verify_second_factor(client, clerk)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:service_rightsrequest_chart")).status_code == 403
    assert client.post(_step(filed, "answer"), {"answer": "x"}).status_code == 403
    filed.refresh_from_db()
    assert filed.status == "received"


def test_on_the_due_day_the_queue_says_due_today(officer_client, alice):
    request = services.request_file(user=alice, kind="question", body="问题")
    today = timezone.localtime()
    # due a moment ago, earlier today (the start of the day if it has just begun)
    due = max(today - timedelta(seconds=1), today.replace(hour=0, minute=0, second=0, microsecond=0))
    RightsRequest.objects.filter(pk=request.pk).update(due_at=due)
    listing = officer_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "overdue (0)" not in listing
    assert 'class="request-overdue">due today<' in listing  # the hour has passed: still marked
