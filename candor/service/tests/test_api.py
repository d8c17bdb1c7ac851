"""``/api/v1/me/requests``: file, list, read (status, due date, answer), withdraw; another
user's request answers 404 like a missing one; bad input is a 400 per field in the language of
``Accept-Language``, and nothing is stored."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.dateparse import parse_datetime

from candor.service import services
from candor.service.models import RightsRequest
from candor.service.tests.conftest import Api, days_between

pytestmark = pytest.mark.django_db

ACCESS = {"kind": "access", "body": "请给我一份我的全部数据"}


def test_file_list_and_read_a_request_with_its_status_and_due_date(api):
    created = api.call("post", "/me/requests", ACCESS)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind"], body["status"], body["overdue"], body["identity_verified"]) == (
        "access", "received", False, False,
    )  # fmt: skip
    stored = RightsRequest.objects.get(pk=body["id"])
    assert stored.channel == "api" and days_between(stored.received_at, stored.due_at) == 15
    assert [e["action"] for e in body["events"]] == ["filed"]
    listed = api.call("get", "/me/requests").json()
    assert [row["id"] for row in listed] == [body["id"]]
    one = api.call("get", f"/me/requests/{body['id']}").json()
    assert one["body"] == ACCESS["body"]
    assert abs((parse_datetime(one["due_at"]) - stored.due_at).total_seconds()) < 1  # JSON keeps ms


def test_a_request_for_a_deceased_relative_keeps_the_name_and_relationship(api):
    created = api.call(
        "post", "/me/requests",
        {"kind": "deletion", "body": "请删除家父的账户", "on_behalf": "deceased_relative",
         "relation_name": "王大爷", "relationship": "parent"},
    )  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["on_behalf"], body["relation_name"], body["relationship"]) == (
        "deceased_relative", "王大爷", "parent",
    )  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_bad_input_is_a_400_per_field_in_the_callers_language(api, language):
    answer = api.call("post", "/me/requests", {"kind": "child", "body": "hi"}, lang=language)
    assert answer.status_code == 400, answer.content
    with translation.override(language):
        expected = translation.gettext("Choose one of the listed options.")
    assert answer.json()["fields"]["kind"] == [expected]
    missing = api.call("post", "/me/requests", {"kind": "question", "body": ""}, lang=language)
    assert missing.status_code == 400 and "body" in missing.json()["fields"]
    assert not RightsRequest.objects.exists()


def test_the_answer_shows_once_answered(api, alice, officer):
    request_id = api.call(
        "post", "/me/requests", {"kind": "question", "body": "你们保存我的位置吗？"}
    ).json()["id"]
    services.request_answer(request_id=request_id, actor=officer, answer="不保存，除非您开启定位功能。")
    one = api.call("get", f"/me/requests/{request_id}").json()
    assert (one["status"], one["answer"]) == ("answered", "不保存，除非您开启定位功能。")
    assert one["closed_at"] is not None


def test_withdraw_through_the_api(api):
    request_id = api.call("post", "/me/requests", ACCESS).json()["id"]
    withdrawn = api.call("post", f"/me/requests/{request_id}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = api.call("post", f"/me/requests/{request_id}/withdraw")
    assert again.status_code == 409 and again.json()["code"] == "request_closed"


def test_another_users_request_answers_404_like_a_missing_one(client, alice, bob):
    client.force_login(alice)
    mine = Api(client).call("post", "/me/requests", ACCESS).json()["id"]
    client.force_login(bob)
    api = Api(client)
    missing = api.call("get", "/me/requests/999999")
    assert missing.status_code == 404
    for method, path in (("get", f"/me/requests/{mine}"), ("post", f"/me/requests/{mine}/withdraw")):
        answer = api.call(method, path)
        assert answer.status_code == 404 and answer.json() == missing.json()
    assert api.call("get", "/me/requests").json() == []
    assert RightsRequest.objects.get(pk=mine).status == "received"


def test_a_huge_id_is_a_404_not_a_crash(api):
    assert api.call("get", f"/me/requests/{2**63}").status_code == 404


def test_anonymous_callers_get_401(client):
    assert Api(client).call("get", "/me/requests").status_code == 401
    assert Api(client).call("post", "/me/requests", ACCESS).status_code == 401
    assert not RightsRequest.objects.exists()
