"""Staff see personal data masked; revealing a value needs the permission and a reason code, and
is audited — and a denied attempt leaves nothing behind. Also the user admin: masked password
page, search by id only, no deletion."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import path
from django.utils import timezone

from candor.privacy import crypto, taxonomy
from candor.privacy.admin_mixins import PrivacyAdminMixin
from candor.privacy.datamap import KeyClass
from candor.privacy.keyring import RestrictedData
from candor.privacy.models import AuditEvent
from candor.privacy.reveal import (
    InvalidTicket,
    NothingToReveal,
    NotPersonalField,
    Reason,
    RevealDenied,
    RevealReasonRequired,
    reveal,
)
from candor.urls import urlpatterns as project_urls
from tests import staff_login
from tests.privacy_app.crypto_models import Person, Receipt

pytestmark = pytest.mark.django_db
# The admin asks for a verified second factor: pytest-django's admin_client, past it.
admin_client = staff_login.admin_client

PHONE = "13812348000"
REASON = Reason.DELIVERY_PROBLEM
TICKET = "CS-4711"


class PersonAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "nickname", "phone")
    fieldsets = ((None, {"fields": ("user", ("nickname", "phone"), "id_number")}),)


class ReceiptAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "recipient_phone")


# An admin site of its own, in place of the project's, so the test models need no global
# registration; the project's other URLs stay (its templates link to them).
site = admin.AdminSite(name="admin")
site.register(Person, PersonAdmin)
site.register(Receipt, ReceiptAdmin)
urlpatterns = [path("admin/", site.urls), *(p for p in project_urls if str(p.pattern) != "admin/")]
own_urls = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def fresh_keys():
    with crypto.key_scope():
        yield


def make_user(username: str, *, reveal_permission: bool = False, **extra):
    user = get_user_model().objects.create_user(username=username, password="x-very-long-password", **extra)
    if reveal_permission:
        user.user_permissions.add(Permission.objects.get(codename="reveal_personal_data"))
    return get_user_model().objects.get(pk=user.pk)  # a fresh instance: no cached permissions


@pytest.fixture
def alice() -> Person:
    return Person.objects.create(
        user=make_user("alice-subject"), phone=PHONE, id_number="110101199003071234", nickname="欧阳娜娜"
    )


def test_reveal_returns_the_value_and_audits_the_reason_code_and_ticket_only(alice):
    officer = make_user("officer", reveal_permission=True)
    before = AuditEvent.objects.count()
    row = Person.objects.get(pk=alice.pk)
    assert reveal(actor=officer, obj=row, field="phone", reason=REASON, ticket=f" {TICKET} ") == PHONE
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.actor_id, event.subject_id) == ("reveal", officer.pk, alice.user_id)
    assert (event.target, event.fields, event.purpose) == (
        f"privacy_app.person:{alice.pk}",
        ["phone"],
        "staff_reveal",
    )
    assert event.detail == {"reason": "delivery_problem", "ticket": TICKET}


def test_the_ticket_is_optional(alice):
    officer = make_user("officer", reveal_permission=True)
    before = AuditEvent.objects.count()
    assert reveal(actor=officer, obj=alice, field="phone", reason="after_sales") == PHONE
    assert AuditEvent.objects.get(seq__gt=before).detail == {"reason": "after_sales", "ticket": ""}


def test_reveal_without_the_permission_is_refused_and_leaves_no_trace(alice):
    clerk = make_user("clerk")
    before = AuditEvent.objects.count()
    with pytest.raises(RevealDenied) as caught:
        reveal(actor=clerk, obj=alice, field="phone", reason=REASON)
    assert (caught.value.status, caught.value.code) == (403, "reveal_denied")
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "reason", ["", "   ", "why", "ticket #4711: the buyer called from 13812348000", "DELIVERY_PROBLEM"]
)
def test_reveal_without_a_known_reason_code_is_refused_and_leaves_no_trace(alice, reason):
    officer = make_user("officer", reveal_permission=True)
    before = AuditEvent.objects.count()
    with pytest.raises(RevealReasonRequired) as caught:
        reveal(actor=officer, obj=alice, field="phone", reason=reason)
    assert (caught.value.status, caught.value.code) == (400, "reveal_reason_required")
    assert list(caught.value.fields) == ["reason"]
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "ticket", ["called from 138 1234 8000", "47\n11", "张三", "A" * 33, "CS_4711", "CS#4711"]
)
def test_reveal_with_a_ticket_that_is_not_a_reference_is_refused_and_leaves_no_trace(alice, ticket):
    officer = make_user("officer", reveal_permission=True)
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidTicket) as caught:
        reveal(actor=officer, obj=alice, field="phone", reason=REASON, ticket=ticket)
    assert (caught.value.status, caught.value.code, list(caught.value.fields)) == (
        400,
        "reveal_ticket_invalid",
        ["ticket"],
    )
    assert AuditEvent.objects.count() == before


def test_a_hashed_field_has_nothing_to_reveal():
    officer = make_user("officer", reveal_permission=True)
    member = make_user("member")
    before = AuditEvent.objects.count()
    with pytest.raises(NothingToReveal) as caught:
        reveal(actor=officer, obj=member, field="password", reason=REASON)
    assert (caught.value.status, caught.value.code) == (400, "nothing_to_reveal")
    assert AuditEvent.objects.count() == before


def test_only_declared_fields_can_be_revealed(alice):
    officer = make_user("officer", reveal_permission=True)
    before = AuditEvent.objects.count()
    with pytest.raises(NotPersonalField):
        reveal(actor=officer, obj=alice, field="phone_bidx", reason=REASON)
    assert AuditEvent.objects.count() == before


def restricted_receipt() -> Receipt:
    buyer = make_user("buyer")
    receipt = Receipt.objects.create(user=buyer, recipient_phone=PHONE)
    crypto.restrict(buyer.pk, KeyClass.TRANSACTION, until=timezone.now() + timedelta(days=30))
    return Receipt.objects.get(pk=receipt.pk)


def test_a_restricted_record_is_not_revealed_for_customer_service_and_nothing_is_audited():
    # Kept only because a law requires it (PIPL art. 47): customer service is not a legal purpose.
    assert taxonomy.CUSTOMER_SERVICE.code not in taxonomy.LEGAL_PURPOSES
    row = restricted_receipt()
    officer = make_user("officer", reveal_permission=True)
    before = AuditEvent.objects.count()
    with pytest.raises(RestrictedData) as caught:
        reveal(actor=officer, obj=row, field="recipient_phone", reason=Reason.CUSTOMER_REQUEST)
    assert caught.value.status == 403
    assert AuditEvent.objects.count() == before


def test_a_destroyed_value_reveals_nothing_but_the_look_is_recorded(alice):
    crypto.shred(alice.user_id, KeyClass.PROFILE)
    officer = make_user("officer", reveal_permission=True)
    before = AuditEvent.objects.count()
    assert reveal(actor=officer, obj=Person.objects.get(pk=alice.pk), field="phone", reason=REASON) is None
    assert AuditEvent.objects.count() == before + 1


# --- the admin ---------------------------------------------------------------------------------


@own_urls
def test_change_list_shows_masked_values_only(admin_client, alice):
    html = admin_client.get("/admin/privacy_app/person/").content.decode()
    assert "138****8000" in html and "欧阳**" in html
    assert PHONE not in html and "欧阳娜娜" not in html


@own_urls
def test_change_form_shows_masked_read_only_values_with_reveal_links(admin_client, alice):
    response = admin_client.get(f"/admin/privacy_app/person/{alice.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "138****8000" in html and "1101**********1234" in html
    assert PHONE not in html and "110101199003071234" not in html
    assert f"/admin/privacy_app/person/{alice.pk}/reveal/phone/" in html
    assert 'name="phone"' not in html  # no input to type over the masked value


@own_urls
def test_saving_the_change_form_keeps_the_masked_values(admin_client, alice):
    before = Person.objects.values_list("phone", flat=True).get(pk=alice.pk).token
    response = admin_client.post(
        f"/admin/privacy_app/person/{alice.pk}/change/",
        {"user": alice.user_id, "nickname": "typed over", "phone": "13900000000"},
    )
    assert response.status_code == 302
    assert Person.objects.values_list("phone", flat=True).get(pk=alice.pk).token == before
    assert Person.objects.get(pk=alice.pk).nickname == "欧阳娜娜"  # declared: changed by business flows only


@own_urls
def test_reveal_page_asks_for_a_reason_code_then_shows_the_value_once(admin_client, alice):
    url = f"/admin/privacy_app/person/{alice.pk}/reveal/phone/"
    before = AuditEvent.objects.count()
    page = admin_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and PHONE not in html
    assert '<select name="reason"' in html
    assert all(f'value="{code}"' in html for code in Reason.values)
    assert set(Reason.values) == {
        "customer_request", "delivery_problem", "after_sales", "payment_problem", "fraud_investigation",
        "legal_request",
    }  # fmt: skip
    assert 'name="ticket"' in html and "<textarea" not in html
    assert page.templates[0].name == "privacy/admin/reveal.html"
    shown = admin_client.post(url, {"reason": "delivery_problem", "ticket": TICKET})
    assert shown.status_code == 200 and PHONE in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.detail) == ("reveal", {"reason": "delivery_problem", "ticket": TICKET})


@own_urls
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "no"}, "reason"),
        ({}, "reason"),
        ({"reason": "after_sales", "ticket": "call 138 1234"}, "ticket"),
    ],
)
def test_reveal_page_with_a_bad_reason_or_ticket_reveals_and_records_nothing(
    admin_client, alice, data, field
):
    before = AuditEvent.objects.count()
    response = admin_client.post(f"/admin/privacy_app/person/{alice.pk}/reveal/phone/", data)
    assert response.status_code == 400 and PHONE not in response.content.decode()
    assert list(response.context["form"].errors) == [field]
    assert AuditEvent.objects.count() == before


@own_urls
def test_reveal_page_of_a_restricted_record_is_a_clear_403_and_records_nothing(admin_client):
    row = restricted_receipt()
    url = f"/admin/privacy_app/receipt/{row.pk}/reveal/recipient_phone/"
    listing = admin_client.get("/admin/privacy_app/receipt/", HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200 and "(restricted)" in listing.content.decode()
    before = AuditEvent.objects.count()
    response = admin_client.post(url, {"reason": "customer_request"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 403 and PHONE not in html
    assert response.templates[0].name == "privacy/admin/reveal.html"
    assert "kept only because the law requires it" in html
    assert '<select name="reason"' not in html  # nothing to retry
    assert AuditEvent.objects.count() == before


@own_urls
def test_staff_without_the_permission_see_masks_but_cannot_reveal(client, alice):
    clerk = make_user("clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_person"))
    client.force_login(clerk)
    form = client.get(f"/admin/privacy_app/person/{alice.pk}/change/").content.decode()
    assert "138****8000" in form and "/reveal/" not in form
    before = AuditEvent.objects.count()
    response = client.post(f"/admin/privacy_app/person/{alice.pk}/reveal/phone/", {"reason": REASON})
    assert response.status_code == 403 and PHONE not in response.content.decode()
    assert AuditEvent.objects.count() == before


@own_urls
def test_unknown_objects_and_undeclared_fields_are_not_found(admin_client, alice):
    assert admin_client.get(f"/admin/privacy_app/person/{alice.pk}/reveal/phone_bidx/").status_code == 404
    assert admin_client.get("/admin/privacy_app/person/999999/reveal/phone/").status_code in (302, 404)


@own_urls
def test_a_value_that_does_not_open_shows_a_placeholder_not_a_500(admin_client, alice):
    bob = Person.objects.create(user=make_user("bob-subject"), phone="13900000000", nickname="bob")
    token = Person.objects.values_list("phone", flat=True).get(pk=bob.pk).token
    Person.objects.filter(pk=alice.pk).update(phone=token)  # bob's ciphertext in alice's row
    listing = admin_client.get("/admin/privacy_app/person/", HTTP_ACCEPT_LANGUAGE="en")
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "(cannot be shown)" in html and "139****0000" in html  # the other rows still show
    assert "13900000000" not in html
    form = admin_client.get(f"/admin/privacy_app/person/{alice.pk}/change/", HTTP_ACCEPT_LANGUAGE="en")
    assert form.status_code == 200 and "(cannot be shown)" in form.content.decode()
    before = AuditEvent.objects.count()
    refused = admin_client.post(
        f"/admin/privacy_app/person/{alice.pk}/reveal/phone/",
        {"reason": "after_sales"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 409 and "13900000000" not in refused.content.decode()
    assert "cannot be opened" in refused.content.decode()
    assert AuditEvent.objects.count() == before


def test_a_staff_change_to_declared_fields_is_audited(rf, alice):
    officer = make_user("officer", is_staff=True)
    request = rf.post("/")
    request.user = officer
    form_class = forms.modelform_factory(Person, fields=["user", "nickname"])
    form = form_class({"user": alice.user_id, "nickname": "张三"}, instance=Person.objects.get(pk=alice.pk))
    assert form.is_valid()
    before = AuditEvent.objects.count()
    with transaction.atomic():
        PersonAdmin(Person, site).save_model(request, form.save(commit=False), form, change=True)
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.actor_id, event.subject_id, event.target, event.fields, event.purpose) == (
        "change", officer.pk, alice.user_id, f"privacy_app.person:{alice.pk}", ["nickname"],
        "customer_service",
    )  # fmt: skip
    assert event.detail == {}
    assert Person.objects.get(pk=alice.pk).nickname == "张三"


def test_a_staff_change_to_undeclared_fields_only_is_not_audited_as_personal(rf, alice):
    request = rf.post("/")
    request.user = make_user("officer", is_staff=True)
    other = make_user("other-subject")
    form = forms.modelform_factory(Person, fields=["user", "nickname"])(
        {"user": other.pk, "nickname": alice.nickname}, instance=Person.objects.get(pk=alice.pk)
    )
    assert form.is_valid() and form.changed_data == ["user"]
    before = AuditEvent.objects.count()
    PersonAdmin(Person, site).save_model(request, form.save(commit=False), form, change=True)
    assert AuditEvent.objects.count() == before


@own_urls
def test_saving_a_change_form_without_a_declared_change_audits_nothing(admin_client, alice):
    before = AuditEvent.objects.count()
    response = admin_client.post(f"/admin/privacy_app/person/{alice.pk}/change/", {"user": alice.user_id})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(seq__gt=before, action="change").exists()


def test_user_admin_masks_the_account_and_still_adds_staff(admin_client):
    member = make_user("zhangsan", email="zhangsan@example.com", nickname="欧阳娜娜")
    listing = admin_client.get("/admin/accounts/user/").content.decode()
    assert "欧阳**" in listing and "欧阳娜娜" not in listing
    form = admin_client.get(f"/admin/accounts/user/{member.pk}/change/").content.decode()
    assert "z******n@example.com" in form and "zhangsan@example.com" not in form
    assert admin_client.get("/admin/accounts/user/add/").status_code == 200
    created = admin_client.post(
        "/admin/accounts/user/add/",
        {"username": "new-staff", "password1": "a-long-pass-phrase-1", "password2": "a-long-pass-phrase-1",
         "usable_password": "true"},
    )  # fmt: skip
    assert created.status_code == 302, created.content.decode()[:2000]
    assert get_user_model().objects.filter(username="new-staff").exists()


@pytest.mark.parametrize(
    "model", ["auditevent", "consentrecord", "disclosurerecord", "datakey", "erasurerecord"]
)
def test_privacy_ledgers_are_read_only_in_the_admin(admin_client, model):
    assert admin_client.get(f"/admin/privacy/{model}/").status_code == 200
    assert admin_client.get(f"/admin/privacy/{model}/add/").status_code == 403


def test_the_key_list_never_shows_a_wrapped_key(admin_client, alice):
    html = admin_client.get("/admin/privacy/datakey/").content.decode()
    assert "profile" in html and "wrapped" not in html.lower()


# --- the user admin ----------------------------------------------------------------------------


NEW_PASSWORD = {
    "password1": "a-new-long-pass-phrase", "password2": "a-new-long-pass-phrase", "set-password": "1",
    "usable_password": "true",
}  # fmt: skip


@pytest.fixture
def member():
    return make_user("zhangsan-the-member", email="zhangsan@example.com")


def test_the_password_page_names_the_account_by_its_masked_label(admin_client, member):
    response = admin_client.get(f"/admin/accounts/user/{member.pk}/password/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "zhangsan" not in html
    assert f"#{member.pk}" in html and str(member) in response.context["title"]
    assert response.context["title"] == f"Change password: {member}"


def test_a_password_set_by_staff_is_audited_with_the_change(admin_client, member):
    before = AuditEvent.objects.count()
    response = admin_client.post(f"/admin/accounts/user/{member.pk}/password/", NEW_PASSWORD)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a-new-long-pass-phrase")
    event = AuditEvent.objects.get(seq__gt=before)
    admin_user = get_user_model().objects.get(username="admin")
    assert (event.action, event.actor_id, event.subject_id, event.target, event.fields) == (
        "change", admin_user.pk, member.pk, f"accounts.user:{member.pk}", ["password"],
    )  # fmt: skip


def test_a_refused_password_form_audits_nothing(admin_client, member):
    before = AuditEvent.objects.count()
    response = admin_client.post(
        f"/admin/accounts/user/{member.pk}/password/",
        {"password1": "a-new-long-pass-phrase", "password2": "another", "set-password": "1"},
    )
    assert response.status_code == 200 and "zhangsan" not in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_the_password_change_and_its_audit_commit_together(admin_client, member):
    old_hash = member.password
    with (
        mock.patch("candor.privacy.admin_mixins.audit.record", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        admin_client.post(f"/admin/accounts/user/{member.pk}/password/", NEW_PASSWORD)
    assert get_user_model().objects.get(pk=member.pk).password == old_hash


@pytest.mark.parametrize("term", ["{pk}", "#{pk}", " {pk} "])
def test_accounts_are_found_by_id(admin_client, member, term):
    response = admin_client.get("/admin/accounts/user/", {"q": term.format(pk=member.pk)})
    assert response.status_code == 200
    assert [u.pk for u in response.context["cl"].result_list] == [member.pk]


@pytest.mark.parametrize("term", ["zhangsan", "z", "zhangsan@example.com", "1" * 30])
def test_personal_fields_are_not_searchable(admin_client, member, term):
    response = admin_client.get("/admin/accounts/user/", {"q": term}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    assert "Personal fields are not searchable" in response.content.decode()


def test_accounts_cannot_be_deleted_in_the_admin(admin_client, member):
    before = AuditEvent.objects.count()
    assert admin_client.get(f"/admin/accounts/user/{member.pk}/delete/").status_code == 403
    assert admin_client.post(f"/admin/accounts/user/{member.pk}/delete/", {"post": "yes"}).status_code == 403
    listing = admin_client.get("/admin/accounts/user/")
    assert "delete_selected" not in listing.content.decode()
    admin_client.post(
        "/admin/accounts/user/", {"action": "delete_selected", "_selected_action": [member.pk], "post": "yes"}
    )
    assert get_user_model().objects.filter(pk=member.pk).exists()
    assert AuditEvent.objects.count() == before


def test_a_bare_phone_number_is_no_ticket():
    from candor.privacy import reveal as reveal_module

    assert reveal_module.TICKET.fullmatch("CS-2026-0001")
    assert not reveal_module.TICKET.fullmatch("13812348000")
