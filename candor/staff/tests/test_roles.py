"""Roles: each group has exactly the permissions listed for it (those that exist), the sync is
idempotent and undoes hand edits, and who may reveal personal data (C002-16: access control)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from candor.privacy.models import AuditEvent
from candor.privacy.reveal import PERMISSION, Reason, RevealDenied, reveal
from candor.staff import roles

pytestmark = pytest.mark.django_db

# The table under test: what each role may do, said once more by hand (not read from roles.py),
# restricted to permissions whose app exists, as the sync does.
# fmt: off
EXPECTED = {
    "customer_service": {
        PERMISSION, "accounts.view_user", "accounts.view_profile", "addresses.view_address",
        "service.view_rightsrequest", "service.view_requestevent", "service.change_rightsrequest",
        "service.verify_identity",
    },
    "merchant_staff": {
        "catalog.view_product", "catalog.add_product", "catalog.change_product", "catalog.delete_product",
        "catalog.view_sku", "catalog.add_sku", "catalog.change_sku", "catalog.delete_sku",
        "catalog.view_stock", "catalog.add_stock", "catalog.change_stock",
        "catalog.view_productimage", "catalog.add_productimage", "catalog.change_productimage",
        "catalog.delete_productimage",
        "orders.view_order", "fulfillment.view_shipment", "fulfillment.add_shipment",
    },
    "finance": {
        PERMISSION, "orders.view_purchase", "orders.view_order", "payments.add_refund",
        "payments.change_refund", "payments.change_remittanceslip", "payments.view_payment",
        "payments.view_paymentnotice", "payments.view_refund", "payments.view_remittanceslip",
    },
    "privacy_officer": {
        PERMISSION,
        "privacy.view_auditevent", "privacy.view_consentrecord", "privacy.view_disclosurerecord",
        "privacy.view_datakey", "privacy.view_erasurerecord", "privacy.view_policyversion",
        "accounts.view_user", "accounts.view_profile", "addresses.view_address",
        "identity.view_realnameverification", "identity.view_faceverification",
        "identity.view_guardianship", "devices.view_deviceevent", "account.view_emailaddress",
        "socialaccount.view_socialaccount", "otp_totp.view_totpdevice",
        "axes.view_accessattempt", "axes.view_accessfailurelog", "axes.view_accesslog",
        "service.view_rightsrequest", "service.view_requestevent", "service.change_rightsrequest",
        "service.verify_identity", "service.act_on_request",
        "accounts.view_cancellation", "accounts.change_cancellation",
        "announcements.view_policydraft", "announcements.add_policydraft",
        "announcements.change_policydraft", "announcements.delete_policydraft",
        "announcements.view_incident", "announcements.add_incident", "announcements.change_incident",
        "announcements.view_incidentaffected", "announcements.view_noticerun",
        "announcements.view_shutdownnotice", "announcements.add_shutdownnotice",
    },
    "administrator": {
        "accounts.view_user", "accounts.add_user", "accounts.change_user", "auth.view_group",
        "otp_totp.view_totpdevice", "otp_totp.delete_totpdevice",
        "axes.view_accessattempt", "axes.delete_accessattempt",
    },
}
# fmt: on
GROUP_NAMES = {
    "customer_service": "Customer service",
    "merchant_staff": "Merchant staff",
    "finance": "Finance",
    "privacy_officer": "Privacy officer",
    "administrator": "Administrator",
}


def _names(permissions) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions.select_related("content_type")}


def _existing(names: set[str]) -> set[str]:
    return names & _names(Permission.objects.all())


def _group_perms(name: str) -> set[str]:
    return _names(Group.objects.get(name=name).permissions.all())


def _member(code: str, username: str):
    user = get_user_model().objects.create_user(username, password="x-1234567", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.role(code).name))
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached permissions


def test_the_roles_are_those_of_the_table():
    assert {r.code for r in roles.ROLES} == set(EXPECTED)
    assert {r.code: r.name for r in roles.ROLES} == GROUP_NAMES


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_role_has_exactly_its_permissions(code):
    # migrate (post_migrate) already synced the groups of the test database
    assert _group_perms(GROUP_NAMES[code]) == _existing(EXPECTED[code])
    missing = roles.sync_roles()[code]
    assert set(missing) == EXPECTED[code] - _existing(EXPECTED[code])


def test_the_existing_core_permissions_are_applied():
    # The permissions of apps that exist now must not be silently "missing".
    assert PERMISSION in _group_perms("Customer service")
    assert "privacy.view_auditevent" in _group_perms("Privacy officer")
    assert "accounts.change_user" in _group_perms("Administrator")
    assert "otp_totp.delete_totpdevice" in _group_perms("Administrator")
    assert "addresses.view_address" in _group_perms("Customer service")
    assert "identity.view_realnameverification" in _group_perms("Privacy officer")


REVEALS = [
    ("customer_service", True),
    ("privacy_officer", True),
    ("merchant_staff", False),
    ("finance", True),
    ("administrator", False),
]


@pytest.mark.parametrize(("code", "may_reveal"), REVEALS)
def test_only_customer_service_finance_and_the_privacy_officer_may_reveal(code, may_reveal):
    assert _member(code, f"m-{code}").has_perm(PERMISSION) is may_reveal


def test_sync_is_idempotent_and_undoes_hand_edits():
    roles.sync_roles()
    before = {name: _group_perms(name) for name in GROUP_NAMES.values()}
    groups = Group.objects.count()
    merchants = Group.objects.get(name="Merchant staff")
    merchants.permissions.add(Permission.objects.get(codename="reveal_personal_data"))
    Group.objects.filter(name="Administrator").delete()

    roles.sync_roles()
    roles.sync_roles()

    assert Group.objects.count() == groups
    assert {name: _group_perms(name) for name in GROUP_NAMES.values()} == before
    assert PERMISSION not in _group_perms("Merchant staff")


def _customer():
    return get_user_model().objects.create_user("buyer", password="x-1234567", nickname="Wang Xiaoming")


def test_customer_service_can_reveal_and_it_is_audited():
    clerk = _member("customer_service", "clerk")
    customer = _customer()
    events = AuditEvent.objects.count()
    value = reveal(actor=clerk, obj=customer, field="nickname", reason=Reason.CUSTOMER_REQUEST, ticket="CS-1")
    assert value == "Wang Xiaoming"
    event = AuditEvent.objects.order_by("seq").last()
    assert AuditEvent.objects.count() == events + 1
    assert (event.action, event.actor_id, event.subject_id, event.fields) == (
        "reveal", clerk.pk, customer.pk, ["nickname"],
    )  # fmt: skip


def test_merchant_staff_cannot_reveal_and_nothing_is_recorded():
    merchant = _member("merchant_staff", "shopkeeper")
    customer = _customer()
    events = AuditEvent.objects.count()
    with pytest.raises(RevealDenied):
        reveal(actor=merchant, obj=customer, field="nickname", reason=Reason.CUSTOMER_REQUEST)
    assert AuditEvent.objects.count() == events
