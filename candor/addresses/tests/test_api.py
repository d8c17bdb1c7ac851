"""``/api/v1/addresses``: the owner's CRUD, 404 for anyone else's id, 400 per field with
nothing stored, in the request's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from candor.addresses.models import Address
from candor.addresses.tests.conftest import ADDRESS, Api
from candor.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_read_update_default_delete(api, alice):
    created = api.call("post", "/addresses", ADDRESS)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["recipient_name"], body["mobile"], body["is_default"]) == ("张三", "13812348000", True)
    address_id = body["id"]

    listed = api.call("get", "/addresses").json()
    assert [row["id"] for row in listed] == [address_id]
    assert listed[0]["mobile_masked"] == "138****8000" and "mobile" not in listed[0]
    assert listed[0]["region"] == "浙江省 杭州市 西湖区"

    one = api.call("get", f"/addresses/{address_id}")
    assert one.status_code == 200 and one.json()["mobile"] == "13812348000"

    changed = api.call(
        "put", f"/addresses/{address_id}", {**ADDRESS, "detail": "新地址 8 号", "label": "company"}
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["detail"], changed.json()["label"]) == ("新地址 8 号", "company")
    assert Address.objects.get(pk=address_id).detail == "新地址 8 号"

    second = api.call("post", "/addresses", {**ADDRESS, "detail": "第二 2 号"}).json()
    assert second["is_default"] is False
    made = api.call("post", f"/addresses/{second['id']}/default")
    assert made.status_code == 200 and made.json()["is_default"] is True
    assert list(Address.objects.filter(is_default=True).values_list("pk", flat=True)) == [second["id"]]

    gone = api.call("delete", f"/addresses/{address_id}")
    assert gone.status_code == 204
    assert not Address.objects.filter(pk=address_id).exists()


def test_another_users_address_answers_404_like_a_missing_one(client, alice, bob):
    client.force_login(bob)
    bobs = Api(client).call("post", "/addresses", ADDRESS).json()["id"]
    client.force_login(alice)
    api = Api(client)
    before = AuditEvent.objects.count()
    missing = api.call("get", "/addresses/999999").json()
    for method, path, data in (
        ("get", f"/addresses/{bobs}", None),
        ("put", f"/addresses/{bobs}", {**ADDRESS, "detail": "hijack"}),
        ("delete", f"/addresses/{bobs}", None),
        ("post", f"/addresses/{bobs}/default", None),
    ):
        response = api.call(method, path, data)
        assert response.status_code == 404, (method, response.content)
        assert response.json() == missing
    assert missing["code"] == "address_not_found"
    assert Address.objects.get(pk=bobs).detail == ADDRESS["detail"]
    assert AuditEvent.objects.count() == before
    assert api.call("get", "/addresses").json() == []


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_a_malformed_mobile_is_a_400_in_the_request_language_and_stores_nothing(api, lang):
    response = api.call("post", "/addresses", {**ADDRESS, "mobile": "1234"}, lang=lang)
    assert response.status_code == 400
    body = response.json()
    with translation.override(lang):
        expected = translation.gettext("Enter a valid mainland China mobile number.")
        summary = translation.gettext("Please correct the address.")
    assert (body["code"], body["message"], body["fields"]) == (
        "invalid_phone",
        summary,
        {"mobile": [expected]},
    )
    if lang == "en":
        assert expected == "Enter a valid mainland China mobile number."
    assert not Address.objects.exists()


def test_missing_fields_are_named_each_with_its_message(api):
    response = api.call("post", "/addresses", {"mobile": "13812348000"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"recipient_name", "province", "city", "detail"}
    assert not Address.objects.exists()


def test_the_limit_is_a_clear_400(api, alice):
    from candor.addresses import services

    for n in range(services.ADDRESS_LIMIT):
        services.address_create(user=alice, **{**ADDRESS, "detail": f"路 {n} 号"})
    response = api.call("post", "/addresses", ADDRESS)
    assert response.status_code == 400 and response.json()["code"] == "address_limit"
    assert "20" in response.json()["message"]
    assert Address.objects.count() == services.ADDRESS_LIMIT


def test_anonymous_callers_get_401_and_nothing_is_stored(client, db):
    api = Api(client)
    assert api.call("get", "/addresses").status_code == 401
    assert api.call("post", "/addresses", ADDRESS).status_code == 401
    assert not Address.objects.exists()
