"""Deadlines with the clock moved forward: a request past its due date is overdue (for the
requester's API, the staff filter and the chart) and one answered late counts as late; the
morning reminder tells privacy officers, with counts only."""

from __future__ import annotations

import pytest

from candor.inbox.models import Message
from candor.service import notices, selectors, services
from candor.service.models import RightsRequest

pytestmark = pytest.mark.django_db


def test_a_question_is_overdue_after_10_days_a_rights_request_after_15(alice, clock):
    question = services.request_file(user=alice, kind="question", body="问题")
    access = services.request_file(user=alice, kind="access", body="数据")
    clock.advance(days=9, hours=23)
    assert not RightsRequest.objects.filter(selectors.overdue()).exists()
    assert not RightsRequest.objects.get(pk=question.pk).is_overdue
    clock.advance(hours=2)
    assert list(RightsRequest.objects.filter(selectors.overdue()).values_list("pk", flat=True)) == [
        question.pk
    ]
    assert RightsRequest.objects.get(pk=question.pk).is_overdue
    clock.advance(days=5)
    assert set(RightsRequest.objects.filter(selectors.overdue()).values_list("pk", flat=True)) == {
        question.pk, access.pk,
    }  # fmt: skip
    clock.advance(days=1)
    assert RightsRequest.objects.get(pk=access.pk).days_left < 0


def test_a_closed_request_is_never_overdue(alice, officer, clock):
    request = services.request_file(user=alice, kind="question", body="问题")
    services.request_answer(request_id=request.pk, actor=officer, answer="答复")
    clock.advance(days=30)
    request.refresh_from_db()
    assert not request.is_overdue and not RightsRequest.objects.filter(selectors.overdue()).exists()


def test_the_requester_sees_overdue_in_the_api(api, clock):
    request_id = api.call("post", "/me/requests", {"kind": "question", "body": "问题"}).json()["id"]
    assert api.call("get", f"/me/requests/{request_id}").json()["overdue"] is False
    clock.advance(days=11)
    assert api.call("get", f"/me/requests/{request_id}").json()["overdue"] is True


def test_the_weekly_chart_splits_requests_against_their_deadlines(alice, officer, clock):
    in_time = services.request_file(user=alice, kind="question", body="a")
    late = services.request_file(user=alice, kind="question", body="b")
    services.request_file(user=alice, kind="question", body="c")  # will be open and overdue
    services.request_file(user=alice, kind="access", body="d")  # open, not yet due
    services.request_answer(request_id=in_time.pk, actor=officer, answer="ok")
    clock.advance(days=12)
    services.request_answer(request_id=late.pk, actor=officer, answer="sorry")
    weeks = selectors.weekly(weeks=4)
    assert len(weeks) == 4
    totals = [(w.received, w.in_time, w.late, w.open_overdue, w.open_in_time) for w in weeks if w.received]
    assert totals == [(4, 1, 1, 1, 1)]


def test_privacy_officers_get_the_morning_reminder_with_counts_only(alice, officer, agent, clock):
    assert notices.staff_remind() == 0  # nothing open: nothing sent
    services.request_file(user=alice, kind="question", body="我的私事")
    clock.advance(days=11)
    assert notices.staff_remind() == 1
    message = Message.objects.get()
    assert message.user_id == officer.pk and "1" in message.title
    assert "我的私事" not in message.title + message.body
