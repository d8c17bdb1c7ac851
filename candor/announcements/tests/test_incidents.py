"""Incidents (C003-25, C004-19, PIPL art. 57): the officer records the facts, finds the affected
members by a query (data sets of the data map, a login time range, or account numbers), notifies
exactly those members — inbox, e-mail to a verified address, a text through the SMS simulator,
each notification recorded — and prints the report for the regulator with the facts art. 57
asks for and the counts notified."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from candor.addresses.services import address_create
from candor.announcements import audience, delivery, services
from candor.announcements.models import Incident, IncidentAffected, NoticeRun
from candor.announcements.tests.conftest import KilledAtTheSecondText, logged_in, member, staff
from candor.devices.models import DeviceEvent
from candor.inbox.models import Message
from candor.integrations.sms.models import OutboxMessage
from candor.privacy.models import DisclosureRecord

pytestmark = pytest.mark.django_db

INCIDENTS = "/admin/announcements/incident/"
FACTS = {
    "title": "Address export left readable",
    "what_happened": "A delivery report with recipients' addresses was readable by a wrong link.",
    "cause": "A misconfigured storage bucket.",
    "consequences": "Someone could learn where a member receives parcels.",
    "measures": "The link was closed and the bucket audited.",
    "advice": "Be wary of calls that quote your address and ask for payment.",
    "contact": "privacy@candor.example, 400-000-0000",
}


def _split(name: str, moment) -> dict[str, str]:
    local = timezone.localtime(moment)
    return {f"{name}_0": local.strftime("%Y-%m-%d"), f"{name}_1": local.strftime("%H:%M:%S")}


def record(officer_client) -> Incident:
    now = timezone.now()
    data = {
        **FACTS, "status": "contained", "categories": ["location", "basic"],
        **_split("occurred_at", now - timedelta(days=2)), **_split("discovered_at", now - timedelta(days=1)),
        "reported_to_regulator_at_0": "", "reported_to_regulator_at_1": "",
    }  # fmt: skip
    added = officer_client.post(f"{INCIDENTS}add/", data)
    assert added.status_code == 302, added.content.decode()[:3000]
    return Incident.objects.get()


def address(user) -> None:
    address_create(
        user=user, recipient_name="收件人", mobile="13900001111", province="上海市", city="上海市",
        detail="世纪大道100号",
    )  # fmt: skip


def notify(officer_client, incident, capture):
    with capture(execute=True):
        return officer_client.post(f"{INCIDENTS}{incident.pk}/notify/")


def test_exactly_the_affected_members_are_notified_and_the_report_has_the_facts(
    officer_client, officer, members, django_capture_on_commit_callbacks
):
    ann, ben, cai = members["ann"], members["ben"], members["cai"]
    address(ann)
    address(cai)
    incident = record(officer_client)
    assert incident.created_by_id == officer.pk and incident.categories == ["location", "basic"]

    found = officer_client.post(
        f"{INCIDENTS}{incident.pk}/affected/", {"source": "records", "data_sets": ["addresses.address"]}
    )
    assert found.status_code == 302
    assert set(incident.affected.values_list("user_id", flat=True)) == {ann.pk, cai.pk}
    assert Incident.objects.get().queries[0]["data_sets"] == ["addresses.address"]
    assert not Message.objects.exists()  # finding tells nobody yet

    assert notify(officer_client, incident, django_capture_on_commit_callbacks).status_code == 302
    # In-app: the two affected members, nobody else, with every fact of the notice.
    told = Message.objects.filter(kind="incident")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([ann.pk, cai.pk])
    assert not Message.objects.exclude(kind="incident").exists()
    body = told.get(user=ann).body
    for fact in ("what_happened", "cause", "consequences", "measures", "advice", "contact"):
        assert FACTS[fact] in body, fact
    assert "Location" in body and "Address export left readable" in told.get(user=ann).title
    # E-mail: Ann's verified address only (Cai's is unverified; Ben was not affected).
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]
    # SMS: Ann's mobile only, through the simulator, disclosed for account security.
    assert list(OutboxMessage.objects.values_list("phone", flat=True)) == ["13812340001"]
    assert "个人信息安全事件" in OutboxMessage.objects.get().text
    record_ = DisclosureRecord.objects.get()
    assert (record_.subject_id, record_.recipient, record_.purpose, record_.basis) == (
        ann.pk, "sms_gateway", "transaction_security", "legal_obligation"
    )  # fmt: skip
    # Each notification recorded on the affected row.
    rows = {row.user_id: row for row in IncidentAffected.objects.all()}
    assert rows[ann.pk].notified_at and rows[ann.pk].emailed and rows[ann.pk].sms_receipt
    assert rows[cai.pk].notified_at and not rows[cai.pk].emailed and not rows[cai.pk].sms_receipt
    assert ben.pk not in rows and officer.pk not in rows
    run = NoticeRun.objects.get()
    assert (run.status, run.total, run.done, run.emailed, run.texted) == ("done", 2, 2, 1, 1)

    report = officer_client.get(f"{INCIDENTS}{incident.pk}/report/")
    assert report.status_code == 200
    page = report.content.decode()
    for fact in FACTS.values():
        assert html.escape(fact) in page, fact
    assert (
        "Location" in page and "Basic personal details" in page and "sensitive personal information" in page
    )
    assert 'data-testid="count-affected">2<' in page and 'data-testid="count-notified">2<' in page
    assert 'data-testid="count-emailed">1<' in page and 'data-testid="count-texted">1<' in page


def test_a_notice_missing_a_fact_is_refused_and_sends_nothing(
    officer_client, members, django_capture_on_commit_callbacks
):
    incident = Incident.objects.create(
        **{**FACTS, "advice": " "}, categories=["basic"],
        occurred_at=timezone.now(), discovered_at=timezone.now(),
    )  # fmt: skip
    IncidentAffected.objects.create(incident=incident, user=members["ann"])
    refused = notify(officer_client, incident, django_capture_on_commit_callbacks)
    assert refused.status_code == 409 and "Missing" in refused.content.decode()
    assert not Message.objects.exists() and not mail.outbox and not OutboxMessage.objects.exists()
    assert not NoticeRun.objects.exists()
    assert not IncidentAffected.objects.filter(notified_at__isnull=False).exists()


def test_widening_the_set_later_never_tells_anyone_twice(
    officer, members, django_capture_on_commit_callbacks
):
    ann, ben = members["ann"], members["ben"]
    incident = Incident.objects.create(
        **FACTS, categories=["basic"], occurred_at=timezone.now(), discovered_at=timezone.now()
    )
    ids = audience.AudienceQuery(source=audience.Source.IDS, ids=(ann.pk,))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.incident_find_affected(incident_id=incident.pk, query=ids, actor_id=officer.pk) == 1
        services.incident_notify(incident_id=incident.pk, actor_id=officer.pk)
    wider = audience.AudienceQuery(source=audience.Source.IDS, ids=(ann.pk, ben.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.incident_find_affected(incident_id=incident.pk, query=wider, actor_id=officer.pk) == 1
        services.incident_notify(incident_id=incident.pk, actor_id=officer.pk)
    counts = {u: Message.objects.filter(kind="incident", user=u).count() for u in (ann, ben)}
    assert counts == {ann: 1, ben: 1}
    assert OutboxMessage.objects.count() == 1  # Ann's one text
    with pytest.raises(services.AnnouncementRefused):
        services.incident_notify(incident_id=incident.pk, actor_id=officer.pk)  # nobody left to tell


def test_the_three_sources_find_active_accounts_only(members):
    ann, ben, cai = members["ann"], members["ben"], members["cai"]
    now = timezone.now()
    DeviceEvent.objects.create(user=ann, event="login", at=now - timedelta(hours=5))
    DeviceEvent.objects.create(user=ben, event="login", at=now - timedelta(hours=1))
    DeviceEvent.objects.create(user=cai, event="register", at=now - timedelta(hours=1))
    window = audience.AudienceQuery(source=audience.Source.LOGINS, since=now - timedelta(hours=2), until=now)
    assert list(audience.members(window)) == [ben.pk]

    address(ann)
    address(cai)
    cai.is_active = False  # as after erasure: nobody left to tell
    cai.save()
    records = audience.AudienceQuery(source=audience.Source.RECORDS, data_sets=("addresses.address",))
    assert list(audience.members(records)) == [ann.pk]
    devices = audience.AudienceQuery(source=audience.Source.RECORDS, data_sets=("devices.deviceevent",))
    assert set(audience.members(devices)) == {ann.pk, ben.pk}

    ids = audience.AudienceQuery(
        source=audience.Source.IDS, ids=audience.parse_ids(f"#{ann.pk}, {cai.pk}\n999999")
    )
    assert list(audience.members(ids)) == [ann.pk]


def test_a_bad_query_is_refused_and_stores_nothing(officer_client, members):
    incident = Incident.objects.create(
        **FACTS, categories=["basic"], occurred_at=timezone.now(), discovered_at=timezone.now()
    )
    url = f"{INCIDENTS}{incident.pk}/affected/"
    bad_ids = officer_client.post(url, {"source": "ids", "ids": "12, DROP TABLE"})
    assert bad_ids.status_code == 400 and "Not an account number" in bad_ids.content.decode()
    unknown = officer_client.post(url, {"source": "records", "data_sets": ["auth.permission"]})
    assert unknown.status_code == 400
    backwards = officer_client.post(
        url, {"source": "logins", "since": "2030-01-02T00:00", "until": "2030-01-01T00:00"}
    )
    assert backwards.status_code == 400
    assert not IncidentAffected.objects.exists() and Incident.objects.get().queries == []


def test_only_the_privacy_officer_handles_incidents(members):
    incident = Incident.objects.create(
        **FACTS, categories=["basic"], occurred_at=timezone.now(), discovered_at=timezone.now()
    )
    clerk = logged_in(staff("clerk", "customer_service"))
    assert clerk.post(f"{INCIDENTS}{incident.pk}/affected/", {"source": "ids", "ids": "1"}).status_code == 403
    assert clerk.post(f"{INCIDENTS}{incident.pk}/notify/").status_code == 403
    assert clerk.get(f"{INCIDENTS}{incident.pk}/report/").status_code == 403
    assert not IncidentAffected.objects.exists() and not NoticeRun.objects.exists()


def test_a_failure_after_a_text_went_out_keeps_its_record_and_the_retry_texts_nobody_twice(
    officer_client, officer, members, monkeypatch, django_capture_on_commit_callbacks
):
    """A text is sent after the member's record commits, outside any transaction: a failure at the
    next member cannot roll back the disclosure of a text that went out, and the rerun skips them."""
    dan = member("dan", phone="13812340002")
    incident = record(officer_client)
    services.incident_find_affected(
        incident_id=incident.pk,
        query=audience.AudienceQuery(source=audience.Source.IDS, ids=(members["ann"].pk, dan.pk)),
        actor_id=officer.pk,
    )
    with django_capture_on_commit_callbacks(execute=False):
        run = services.incident_notify(incident_id=incident.pk, actor_id=officer.pk)
    gateway = KilledAtTheSecondText(monkeypatch)
    with pytest.raises(RuntimeError):
        delivery.run_notice(run.pk)
    ann_row = IncidentAffected.objects.get(user=members["ann"])
    assert ann_row.notified_at and ann_row.sms_receipt
    assert DisclosureRecord.objects.filter(subject_id=members["ann"].pk, recipient="sms_gateway").count() == 1
    assert NoticeRun.objects.get(pk=run.pk).status == "failed"

    gateway.killed = False  # the rerun, still counting
    assert delivery.run_notice(run.pk).status == "done"
    assert gateway.calls.count("13812340001") == 1  # Ann texted once
    assert OutboxMessage.objects.filter(phone__endswith="13812340001").count() == 1
    assert DisclosureRecord.objects.filter(subject_id=members["ann"].pk).count() == 1
    assert Message.objects.filter(kind="incident", user=members["ann"]).count() == 1
