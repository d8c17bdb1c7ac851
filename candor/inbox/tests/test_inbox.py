"""The inbox: a notice reaches only its member, e-mail goes out after commit to a verified
address only, a broadcast writes one row per member, and a member reads and deletes only their
own messages."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from candor.inbox import selectors, services
from candor.inbox.models import Message

pytestmark = pytest.mark.django_db


def test_a_notice_reaches_its_member_only(alice, bob, client):
    services.message_send(user_id=alice.pk, kind="export_ready", title="Ready", body="Your file", link="/x/")
    client.force_login(bob)
    assert "Ready" not in client.get("/me/messages/").content.decode()
    client.force_login(alice)
    page = client.get("/me/messages/").content.decode()
    assert "Ready" in page and "Your file" in page
    assert selectors.unread_count(user=alice) == 1 and selectors.unread_count(user=bob) == 0


def test_email_goes_after_commit_and_only_to_a_verified_address(
    alice, bob, django_capture_on_commit_callbacks
):
    EmailAddress.objects.create(user=alice, email="alice@example.com", verified=True, primary=True)
    EmailAddress.objects.create(user=bob, email="bob@example.com", verified=False, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.message_broadcast(
            user_ids=[alice.pk, bob.pk], kind="incident", title="Notice", email=True
        )
    assert sent == 2 and Message.objects.count() == 2
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_a_member_reads_and_deletes_only_their_own(alice, bob, client):
    mine = services.message_send(user_id=alice.pk, kind="policy", title="A")
    theirs = services.message_send(user_id=bob.pk, kind="policy", title="B")
    client.force_login(alice)
    client.post(f"/me/messages/{theirs.pk}/read/")
    client.post(f"/me/messages/{theirs.pk}/delete/")
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(f"/me/messages/{mine.pk}/read/")
    mine.refresh_from_db()
    assert mine.read_at is not None
    client.post(f"/me/messages/{mine.pk}/delete/")
    assert list(Message.objects.values_list("pk", flat=True)) == [theirs.pk]
