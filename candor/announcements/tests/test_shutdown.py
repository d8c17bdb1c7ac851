"""The end of the service (C002-21): announced at least 30 days ahead — a shorter notice is
refused and tells nobody — to every member (inbox and e-mail to a verified address), and shown
on every page, the notices page and the API until the date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from candor.announcements import selectors, services
from candor.announcements.models import NoticeRun, ShutdownNotice
from candor.errors import CandorError
from candor.inbox.models import Message
from candor.integrations.sms.models import OutboxMessage

pytestmark = pytest.mark.django_db

ADD = "/admin/announcements/shutdownnotice/add/"


def announce(officer_client, days: float, capture):
    when = timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")
    with capture(execute=True):
        return officer_client.post(
            ADD, {"shutdown_at": when, "message_zh": "商城将停止运营。", "message_en": "The mall will close."}
        )


def test_less_than_30_days_notice_is_refused_and_tells_nobody(
    officer_client, members, client, django_capture_on_commit_callbacks
):
    refused = announce(officer_client, 29, django_capture_on_commit_callbacks)
    assert refused.status_code == 400 and "at least 30 days" in refused.content.decode()
    assert not ShutdownNotice.objects.exists() and not Message.objects.exists() and not mail.outbox
    assert 'data-testid="shutdown-bar"' not in client.get("/").content.decode()
    with pytest.raises(CandorError) as refusal:
        services.shutdown_announce(
            shutdown_at=timezone.now() + timedelta(days=30, seconds=-1), message_zh="x", message_en="x",
            actor_id=None,
        )  # fmt: skip
    assert refusal.value.code == "shutdown_too_soon" and not ShutdownNotice.objects.exists()


def test_an_announced_shutdown_reaches_every_member_and_every_page(
    officer_client, officer, members, client, django_capture_on_commit_callbacks
):
    assert announce(officer_client, 31, django_capture_on_commit_callbacks).status_code == 302
    notice = ShutdownNotice.objects.get()
    assert notice.created_by_id == officer.pk
    assert notice.shutdown_at - notice.announced_at >= timedelta(days=30)

    everyone = {u.pk for u in members.values()} | {officer.pk}
    told = Message.objects.filter(kind="shutdown")
    assert set(told.values_list("user_id", flat=True)) == everyone and told.count() == len(everyone)
    assert "The mall will close." in told.get(user=members["ann"]).body  # Ann reads English
    assert "商城将停止运营。" in told.get(user=members["ben"]).body
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.com", "ben@example.com"]
    assert not OutboxMessage.objects.exists()  # inbox and e-mail only

    date = timezone.localtime(notice.shutdown_at).strftime("%Y-%m-%d")
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="shutdown-bar"' in home and date in home and "The mall will close." in home
    assert 'data-testid="notice-shutdown"' in client.get("/notices/").content.decode()
    api = client.get("/api/v1/notices", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["shutdown"]
    assert api["message"] == "商城将停止运营。"

    # One shutdown at a time.
    again = announce(officer_client, 60, django_capture_on_commit_callbacks)
    assert again.status_code == 409 and ShutdownNotice.objects.count() == 1

    # After the date, the bar is gone.
    ShutdownNotice.objects.update(shutdown_at=timezone.now() - timedelta(minutes=1))
    cache.delete(selectors.SHUTDOWN_CACHE_KEY)
    assert selectors.active_shutdown() is None
    assert 'data-testid="shutdown-bar"' not in client.get("/").content.decode()


def _announce(**extra):
    return services.shutdown_announce(
        shutdown_at=timezone.now() + timedelta(days=40), message_zh="停止运营。", message_en="Closing.",
        actor_id=None, **extra,
    )  # fmt: skip


def test_two_announcements_racing_past_the_check_leave_one_notice(db, monkeypatch):
    """Two staff announce at once: each one's check finds no notice yet (the other has not
    committed). The database keeps one notice in force; the second is refused, nothing sent."""
    first = _announce()
    real = QuerySet.exists
    monkeypatch.setattr(QuerySet, "exists", lambda qs: False if qs.model is ShutdownNotice else real(qs))
    with pytest.raises(CandorError) as refused:
        _announce()
    assert (refused.value.status, refused.value.code) == (409, "announcement_refused")
    assert list(ShutdownNotice.objects.values_list("pk", flat=True)) == [first.pk]
    assert NoticeRun.objects.filter(kind="shutdown").count() == 1


def test_a_notice_whose_date_passed_makes_room_for_a_new_one(db):
    old = _announce()
    ShutdownNotice.objects.filter(pk=old.pk).update(shutdown_at=timezone.now() - timedelta(minutes=1))
    new = _announce()
    assert set(ShutdownNotice.objects.values_list("pk", "in_force")) == {(old.pk, False), (new.pk, True)}
