"""The requester's pages: file a request (for oneself or on behalf), see its status, due date
and answer, withdraw it, type the verification code; another user's request is a 404 page; bad
input re-shows the form with a 400 and the message in the visitor's language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from candor.service import services
from candor.service.models import RightsRequest
from candor.service.tests.conftest import PHONE
from tests.sms_outbox import latest_code

pytestmark = pytest.mark.django_db


def test_file_a_complaint_and_see_its_status_and_due_date(alice_client):
    answer = alice_client.post(
        reverse("service:new"), {"kind": "complaint", "on_behalf": "self", "body": "客服不回复"}
    )
    request = RightsRequest.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("service:detail", args=[request.pk])
    page = alice_client.get(answer["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    due = formats.date_format(timezone.localtime(request.due_at), "DATE_FORMAT")
    assert "客服不回复" in page and due in page and 'data-testid="request-status">Received<' in page
    listing = alice_client.get(reverse("service:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'data-id="{request.pk}"' in listing and due in listing


def test_the_form_can_start_with_a_kind(alice_client):
    page = alice_client.get(reverse("service:new") + "?kind=contest_decision").content.decode()
    assert '<option value="contest_decision" selected>' in page


def test_on_behalf_of_a_child_from_the_page(alice_client):
    alice_client.post(
        reverse("service:new"),
        {"kind": "access", "on_behalf": "child", "relation_name": "李小明", "body": "孩子的数据"},
    )
    request = RightsRequest.objects.get()
    assert (request.on_behalf, request.relation_name) == ("child", "李小明")


def test_bad_input_re_shows_the_form_with_a_400_in_the_visitors_language(alice_client):
    page = alice_client.post(
        reverse("service:new"),
        {"kind": "deletion", "on_behalf": "deceased_relative", "relation_name": "", "body": "删除"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 400
    with translation.override("en"):
        assert translation.gettext("Please give the name of the person concerned.") in page.content.decode()
    assert not RightsRequest.objects.exists()


def test_another_users_request_is_a_404_page(client, alice, bob):
    request = services.request_file(user=alice, kind="access", body="我的秘密")
    client.force_login(bob)
    page = client.get(reverse("service:detail", args=[request.pk]))
    assert page.status_code == 404 and "我的秘密" not in page.content.decode()
    assert client.post(reverse("service:withdraw", args=[request.pk])).status_code == 404
    request.refresh_from_db()
    assert request.status == "received"


def test_withdraw_from_the_page(alice_client, alice):
    request = services.request_file(user=alice, kind="question", body="问题")
    alice_client.post(reverse("service:withdraw", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == "withdrawn"
    page = alice_client.get(reverse("service:detail", args=[request.pk])).content.decode()
    assert 'data-testid="request-withdraw"' not in page


def test_the_answer_and_a_refusals_reason_are_shown(alice_client, alice, officer):
    answered = services.request_file(user=alice, kind="question", body="问题")
    services.request_answer(request_id=answered.pk, actor=officer, answer="这是答复")
    refused = services.request_file(user=alice, kind="access", body="再来一份")
    services.request_refuse(request_id=refused.pk, actor=officer, reason="repeated", explanation="已经给过")
    assert "这是答复" in alice_client.get(reverse("service:detail", args=[answered.pk])).content.decode()
    page = alice_client.get(reverse("service:detail", args=[refused.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "已经给过" in text and "Repeated without a reasonable ground" in text


def test_the_requester_types_the_code_on_the_page(client, with_phone, officer):
    client.force_login(with_phone)
    request = services.request_file(user=with_phone, kind="access", body="数据")
    services.request_code_send(request_id=request.pk, actor=officer, ip="10.0.0.1")
    page = client.get(reverse("service:detail", args=[request.pk])).content.decode()
    assert 'data-testid="request-verify"' in page
    wrong = client.post(reverse("service:verify", args=[request.pk]), {"code": "000000"})
    assert wrong.status_code == 400
    right = client.post(reverse("service:verify", args=[request.pk]), {"code": latest_code(PHONE)})
    assert right.status_code == 302
    request.refresh_from_db()
    assert request.identity_method == "sms_code" and request.status == "in_progress"


def test_anonymous_visitors_are_sent_to_log_in(client):
    page = client.get(reverse("service:list"))
    assert page.status_code == 302 and "login" in page["Location"]
