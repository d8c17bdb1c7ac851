"""The address book's services: encryption at rest, one default per user, the limit, the
owner check, per-field errors with nothing stored, and audit events naming fields, never values."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, connection, transaction

from candor.addresses import selectors, services
from candor.addresses.errors import AddressInvalid, AddressLimitReached, AddressNotFound
from candor.addresses.models import Address
from candor.addresses.tests.conftest import ADDRESS
from candor.privacy import rights
from candor.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

PLAIN = ("张三", "13812348000", "文三路 90 号 5 幢 301 室")


def create(user, **overrides) -> Address:
    return services.address_create(user=user, **{**ADDRESS, **overrides})


def audit_text(event: AuditEvent) -> str:
    return json.dumps([event.target, event.fields, event.detail, event.purpose], ensure_ascii=False)


def test_create_encrypts_name_mobile_and_street_at_rest(alice):
    address = create(alice)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT recipient_name, mobile, detail, province FROM addresses_address WHERE id = %s",
            [address.pk],
        )
        name, mobile, detail, province = cursor.fetchone()
    for stored, plain in zip((name, mobile, detail), PLAIN, strict=True):
        assert stored.startswith("enc1$") and plain not in stored
    assert province == "浙江省"  # the region alone points at no one and stays in clear
    fresh = Address.objects.get(pk=address.pk)
    assert (fresh.recipient_name, fresh.mobile, fresh.detail) == PLAIN


def test_create_normalizes_the_mobile_and_audits_field_names_only(alice):
    before = AuditEvent.objects.count()
    address = create(alice, mobile="+86 138 1234 8000", landline="0571-88886666")
    assert Address.objects.get(pk=address.pk).mobile == "13812348000"
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.actor_id, event.subject_id) == ("change", alice.pk, alice.pk)
    assert event.target == f"addresses.address:{address.pk}"
    assert event.detail == {"operation": "create"}
    declared = {"recipient_name", "mobile", "province", "city", "district", "detail", "postal_code"}
    assert set(event.fields) == {*declared, "landline", "label"}
    text = audit_text(event)
    for value in (*PLAIN, "0571-88886666", "310012", "西湖区"):
        assert value not in text


def test_the_first_address_is_the_default_and_a_new_default_replaces_it(alice):
    first = create(alice)
    second = create(alice, detail="另一条路 1 号")
    assert Address.objects.get(pk=first.pk).is_default
    assert not Address.objects.get(pk=second.pk).is_default
    third = create(alice, detail="第三条路 3 号", is_default=True)
    assert list(Address.objects.filter(user=alice, is_default=True).values_list("pk", flat=True)) == [
        third.pk
    ]


def test_set_default_moves_it_and_is_audited(alice):
    first, second = create(alice), create(alice, detail="另一条路 1 号")
    before = AuditEvent.objects.count()
    services.address_set_default(user=alice, address_id=second.pk)
    assert list(Address.objects.filter(user=alice, is_default=True).values_list("pk", flat=True)) == [
        second.pk
    ]
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.fields, event.detail) == (["is_default"], {"operation": "set_default"})
    assert selectors.address_default(user=alice).pk == second.pk
    assert not Address.objects.get(pk=first.pk).is_default


def test_the_database_refuses_a_second_default_for_one_user(alice, bob):
    create(alice)
    other = create(alice, detail="另一条路 1 号")
    with pytest.raises(IntegrityError), transaction.atomic():
        Address.objects.filter(pk=other.pk).update(is_default=True)
    create(bob)  # another user's default is no conflict
    assert Address.objects.filter(is_default=True).count() == 2


def test_deleting_the_default_promotes_the_latest_other(alice):
    first = create(alice)
    second = create(alice, detail="另一条路 1 号")
    services.address_delete(user=alice, address_id=first.pk)
    assert not Address.objects.filter(pk=first.pk).exists()
    assert Address.objects.get(pk=second.pk).is_default


def test_delete_is_audited_without_values(alice):
    address = create(alice)
    before = AuditEvent.objects.count()
    services.address_delete(user=alice, address_id=address.pk)
    event = AuditEvent.objects.get(seq__gt=before)
    assert event.detail == {"operation": "delete"} and "detail" in event.fields
    assert all(value not in audit_text(event) for value in PLAIN)


def test_the_twenty_first_address_is_refused_and_nothing_is_written(alice):
    for n in range(services.ADDRESS_LIMIT):
        create(alice, detail=f"文三路 {n} 号")
    before = AuditEvent.objects.count()
    with pytest.raises(AddressLimitReached) as caught:
        create(alice, detail="one too many")
    assert (caught.value.status, caught.value.code) == (400, "address_limit")
    assert Address.objects.filter(user=alice).count() == services.ADDRESS_LIMIT
    assert AuditEvent.objects.count() == before


def test_a_malformed_mobile_stores_nothing(alice):
    before = AuditEvent.objects.count()
    with pytest.raises(AddressInvalid) as caught:
        create(alice, mobile="12345")
    assert (caught.value.status, caught.value.code) == (400, "invalid_phone")
    assert list(caught.value.fields) == ["mobile"]
    assert not Address.objects.exists() and AuditEvent.objects.count() == before


def test_every_bad_field_is_named_at_once(alice):
    with pytest.raises(AddressInvalid) as caught:
        create(
            alice,
            recipient_name="  ",
            mobile="",
            detail="x" * 121,
            postal_code="3100",
            landline="call me",
            label="x",
        )
    assert caught.value.code == "address_invalid"
    assert set(caught.value.fields) == {
        "recipient_name",
        "mobile",
        "detail",
        "postal_code",
        "landline",
        "label",
    }
    assert not Address.objects.exists()


def test_update_audits_only_the_fields_that_changed(alice):
    address = create(alice)
    before = AuditEvent.objects.count()
    services.address_update(user=alice, address_id=address.pk, **{**ADDRESS, "detail": "新地址 8 号"})
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.fields, event.detail) == (["detail"], {"operation": "update"})
    assert "新地址" not in audit_text(event)
    assert Address.objects.get(pk=address.pk).detail == "新地址 8 号"
    # The same values again change nothing and record nothing.
    services.address_update(user=alice, address_id=address.pk, **{**ADDRESS, "detail": "新地址 8 号"})
    assert AuditEvent.objects.count() == before + 1


def test_another_users_address_is_not_found_and_left_alone(alice, bob):
    address = create(alice)
    before = AuditEvent.objects.count()
    for call in (
        lambda: services.address_update(user=bob, address_id=address.pk, **{**ADDRESS, "detail": "hijack"}),
        lambda: services.address_delete(user=bob, address_id=address.pk),
        lambda: services.address_set_default(user=bob, address_id=address.pk),
        lambda: selectors.address_get(user=bob, address_id=address.pk),
        lambda: selectors.address_for_order(user=bob, address_id=address.pk),
        lambda: selectors.address_get(user=alice, address_id=2**70),
    ):
        with pytest.raises(AddressNotFound) as caught:
            call()
        assert (caught.value.status, caught.value.code) == (404, "address_not_found")
    assert Address.objects.get(pk=address.pk).detail == ADDRESS["detail"]
    assert AuditEvent.objects.count() == before


def test_an_order_can_copy_the_owners_address_as_plain_values(alice):
    address = create(alice, landline="010-12345678")
    values = selectors.address_for_order(user=alice, address_id=address.pk)
    assert (values.recipient_name, values.mobile, values.detail, values.landline) == (*PLAIN, "010-12345678")
    assert values.full_address == "浙江省 杭州市 西湖区 文三路 90 号 5 幢 301 室"


def test_erasing_the_account_deletes_its_addresses(alice, bob):
    create(alice)
    kept = create(bob)
    rights.erase(alice.pk)
    assert list(Address.objects.values_list("pk", flat=True)) == [kept.pk]
