"""Publishing a policy version from the back office (C002-22, C002-23, C004-24): a draft is
previewed — the documents generated from the data map, and the diff against the version in
effect — then published through the core. A significant version reaches every member (inbox,
e-mail to a verified address, a text message through the SMS simulator, each text recorded as a
disclosure) and must be accepted before the next use of the site or the app; a minor one
reaches nobody and asks nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from candor.announcements import delivery
from candor.announcements.models import NoticeRun, PolicyDraft, SmsNotice
from candor.announcements.tests.conftest import KilledAtTheSecondText, logged_in, member, staff
from candor.inbox.models import Message
from candor.integrations.sms.aliyun import AliyunSms
from candor.integrations.sms.base import SmsUnavailable
from candor.integrations.sms.models import OutboxMessage
from candor.privacy.models import DisclosureRecord, PolicyVersion

pytestmark = pytest.mark.django_db

DRAFTS = "/admin/announcements/policydraft/"


def draft(officer_client, *, number="2.0", significant=True, ago=timedelta(minutes=0)) -> PolicyDraft:
    effective = timezone.localtime(timezone.now() - ago)
    added = officer_client.post(
        f"{DRAFTS}add/",
        {
            "number": number, "effective_at_0": effective.strftime("%Y-%m-%d"),
            "effective_at_1": effective.strftime("%H:%M:%S"), "significant": "on" if significant else "",
            "summary_zh": "新增了位置功能的说明", "summary_en": "Explains the location feature",
        },
    )  # fmt: skip
    assert added.status_code == 302, added.content.decode()[:2000]
    return PolicyDraft.objects.get(number=number)


def publish(officer_client, row: PolicyDraft, capture) -> None:
    with capture(execute=True):
        done = officer_client.post(f"{DRAFTS}{row.pk}/publish/")
    assert done.status_code == 302, done.content.decode()[:2000]


def test_the_preview_shows_the_generated_documents_and_the_diff(officer_client, members):
    row = draft(officer_client)
    page = officer_client.get(f"{DRAFTS}{row.pk}/preview/?lang=en").content.decode()
    assert 'data-testid="preview-policy"' in page and 'data-testid="preview-collection_list"' in page
    assert 'data-testid="preview-sharing_list"' in page
    assert "Changes from version 1.0 to 2.0" in page
    assert 'data-testid="preview-same"' in page  # nothing in the data map changed since 1.0
    assert not PolicyVersion.objects.filter(number="2.0").exists()  # a preview publishes nothing


def test_a_significant_version_notifies_every_member_and_forces_acceptance(
    officer_client, officer, members, client, django_capture_on_commit_callbacks
):
    ann, ben, cai = members["ann"], members["ben"], members["cai"]
    client.force_login(ann)
    assert client.get("/me/").status_code == 200  # 1.0 accepted: nothing asked

    row = draft(officer_client, significant=True)
    publish(officer_client, row, django_capture_on_commit_callbacks)

    row.refresh_from_db()
    version = row.published_version
    assert version is not None and version.number == "2.0" and version.significant
    run = NoticeRun.objects.get(pk=row.notice_run_id)
    everyone = {ann.pk, ben.pk, cai.pk, officer.pk}
    assert (run.status, run.total, run.done) == (NoticeRun.Status.DONE, 4, 4)

    # In-app: one policy message each, in the member's own language, linking to the version.
    messages = Message.objects.filter(kind="policy")
    assert set(messages.values_list("user_id", flat=True)) == everyone and messages.count() == 4
    assert messages.get(user=ann).title == "Privacy policy 2.0: what changed"
    assert "Explains the location feature" in messages.get(user=ann).body
    assert "新增了位置功能的说明" in messages.get(user=ben).body  # Ben reads Chinese (the default)
    assert messages.get(user=ben).link == "/privacy/versions/2.0/"
    # E-mail to verified addresses only: not Cai's unverified one, and the officer has none.
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.com", "ben@example.com"]
    assert run.emailed == 2
    # A text to the one member with a mobile, through the simulator, recorded as a disclosure.
    texts = OutboxMessage.objects.all()
    assert [t.phone for t in texts] == ["13812340001"] and "隐私政策更新" in texts[0].text
    assert SmsNotice.objects.get().user_id == ann.pk and run.texted == 1
    record = DisclosureRecord.objects.get(recipient="sms_gateway")
    assert (record.subject_id, record.purpose, sorted(record.fields)) == (
        ann.pk, "registration", ["message", "phone"]
    )  # fmt: skip

    # The next web visit asks to accept 2.0; so does the next API call.
    visit = client.get("/me/")
    assert visit.status_code == 302 and visit["Location"].startswith("/privacy/accept/")
    api = client.get("/api/v1/ping", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 403
    assert api.json()["code"] == "policy_consent_required" and api.json()["policy_version"] == "2.0"
    assert client.post("/privacy/accept/", {"version": "2.0", "next": "/me/"}).status_code == 302
    assert client.get("/me/").status_code == 200 and client.get("/api/v1/ping").status_code == 200
    # The officer keeps working on the policy in the back office meanwhile.
    assert officer_client.get(f"{DRAFTS}{row.pk}/change/").status_code == 200


def test_a_minor_version_notifies_nobody_and_asks_nothing(
    officer_client, members, client, django_capture_on_commit_callbacks
):
    row = draft(officer_client, number="1.1", significant=False)
    publish(officer_client, row, django_capture_on_commit_callbacks)

    row.refresh_from_db()
    assert row.published_version is not None and not row.published_version.significant
    assert row.notice_run_id is None and not NoticeRun.objects.exists()
    assert not Message.objects.exists() and not mail.outbox and not OutboxMessage.objects.exists()
    assert not DisclosureRecord.objects.exists()
    client.force_login(members["ann"])
    assert client.get("/me/").status_code == 200 and client.get("/api/v1/ping").status_code == 200


def test_a_draft_is_published_once_and_only_by_the_privacy_officer(
    officer_client, members, django_capture_on_commit_callbacks
):
    row = draft(officer_client)
    clerk = logged_in(staff("clerk", "customer_service"))
    assert clerk.post(f"{DRAFTS}{row.pk}/publish/").status_code == 403
    assert not PolicyVersion.objects.filter(number="2.0").exists()

    publish(officer_client, row, django_capture_on_commit_callbacks)
    again = officer_client.post(f"{DRAFTS}{row.pk}/publish/", follow=True)
    assert "already published" in again.content.decode()
    assert PolicyVersion.objects.filter(number="2.0").count() == 1 and NoticeRun.objects.count() == 1
    # Published facts are archived: the draft cannot be edited or deleted any more.
    officer_client.post(f"{DRAFTS}{row.pk}/change/", {"number": "9.9", "summary_en": "changed"})
    row.refresh_from_db()
    assert row.number == "2.0" and row.summary_en == "Explains the location feature"
    assert officer_client.post(f"{DRAFTS}{row.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_bad_draft_is_refused_on_the_form(officer_client, members):
    refused = officer_client.post(
        f"{DRAFTS}add/",
        {"number": "../2", "effective_at_0": "2030-01-01", "effective_at_1": "00:00:00",
         "summary_zh": "x", "summary_en": "x"},
    )  # fmt: skip
    assert refused.status_code == 200 and "letters, digits" in refused.content.decode()
    assert not PolicyDraft.objects.exists()


def test_the_notices_page_lists_every_version(
    client, officer_client, members, django_capture_on_commit_callbacks
):
    publish(
        officer_client,
        draft(officer_client, number="1.1", significant=False),
        django_capture_on_commit_callbacks,
    )
    page = client.get("/notices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/privacy/versions/1.1/"' in page and 'href="/privacy/versions/1.0/"' in page
    assert 'href="/privacy/versions/"' in page and "Explains the location feature" in page
    body = client.get("/api/v1/notices", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["shutdown"] is None
    assert [(c["number"], c["summary"]) for c in body["policy_changes"]] == [
        ("1.1", "新增了位置功能的说明"), ("1.0", "首个版本")
    ]  # fmt: skip


def test_a_refused_text_is_counted_as_not_sent_and_the_others_go_on(
    officer_client, members, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(self, **kwargs):
        raise SmsUnavailable("isv.BUSINESS_LIMIT_CONTROL")

    monkeypatch.setattr(AliyunSms, "send", refuse)
    publish(officer_client, draft(officer_client), django_capture_on_commit_callbacks)
    run = NoticeRun.objects.get()
    assert (run.status, run.done, run.texted, run.text_failures) == ("done", 4, 0, 1)
    # The hand-over was committed before the call (the gateway received the request it refused):
    # its record stays, with no receipt.
    (text,) = SmsNotice.objects.all()
    assert text.receipt == ""
    assert DisclosureRecord.objects.get().target == f"announcements.smsnotice:{text.pk}"
    assert Message.objects.filter(kind="policy").count() == 4 and len(mail.outbox) == 2


def test_a_broadcast_resumed_after_a_failure_texts_nobody_twice(
    officer_client, members, monkeypatch, django_capture_on_commit_callbacks
):
    """Policy notices too: each member's inbox message, cursor and text record commit before the
    text goes; a failure at the next member leaves them, and the rerun goes on after them."""
    dan = member("dan", phone="13812340002")  # after Ann, who has a mobile too
    row = draft(officer_client)
    with django_capture_on_commit_callbacks(execute=False):
        officer_client.post(f"{DRAFTS}{row.pk}/publish/")
    run = NoticeRun.objects.get()
    gateway = KilledAtTheSecondText(monkeypatch)
    with pytest.raises(RuntimeError):
        delivery.run_notice(run.pk)
    assert SmsNotice.objects.get(user=members["ann"]).receipt
    monkeypatch.setattr(delivery, "gateway", lambda: gateway.real)
    assert delivery.run_notice(run.pk).status == "done"
    assert gateway.calls == ["13812340001", "13812340002"]  # nobody texted twice
    assert OutboxMessage.objects.filter(phone__endswith="13812340001").count() == 1
    assert Message.objects.filter(kind="policy", user=members["ann"]).count() == 1
    assert Message.objects.filter(kind="policy", user=dan).count() == 1
    assert DisclosureRecord.objects.filter(subject_id=members["ann"].pk).count() == 1
