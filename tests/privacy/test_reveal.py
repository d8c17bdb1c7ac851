"""Staff see personal data masked; revealing a value needs the permission and a reason, and is
audited — and a denied attempt leaves nothing behind."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import path
from django.utils import timezone

from candor.privacy import crypto, taxonomy
from candor.privacy.admin_mixins import PrivacyAdminMixin
from candor.privacy.datamap import KeyClass
from candor.privacy.models import AuditEvent
from candor.privacy.reveal import NotPersonalField, RevealDenied, RevealReasonRequired, reveal
from candor.urls import urlpatterns as project_urls
from tests.privacy_app.crypto_models import Person, Receipt

pytestmark = pytest.mark.django_db

PHONE = "13812348000"
REASON = "ticket #4711: courier cannot reach the buyer"


class PersonAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "nickname", "phone")
    fieldsets = ((None, {"fields": ("user", ("nickname", "phone"), "id_number")}),)


# An admin site of its own, in place of the project's, so the test model needs no global
# registration; the project's other URLs stay (its templates link to them).
site = admin.AdminSite(name="admin")
site.register(Person, PersonAdmin)
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


def test_reveal_returns_the_value_and_audits_it_once(alice):
    officer = make_user("officer", reveal_permission=True)
    before = AuditEvent.objects.count()
    assert reveal(actor=officer, obj=Person.objects.get(pk=alice.pk), field="phone", reason=REASON) == PHONE
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.actor_id, event.subject_id) == ("reveal", officer.pk, alice.user_id)
    assert (event.target, event.fields, event.purpose) == (
        f"privacy_app.person:{alice.pk}",
        ["phone"],
        "staff_reveal",
    )
    assert event.detail == {"reason": REASON}


def test_reveal_without_the_permission_is_refused_and_leaves_no_trace(alice):
    clerk = make_user("clerk")
    before = AuditEvent.objects.count()
    with pytest.raises(RevealDenied) as caught:
        reveal(actor=clerk, obj=alice, field="phone", reason=REASON)
    assert (caught.value.status, caught.value.code) == (403, "reveal_denied")
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("reason", ["", "   ", "why"])
def test_reveal_without_a_reason_is_refused_and_leaves_no_trace(alice, reason):
    officer = make_user("officer", reveal_permission=True)
    before = AuditEvent.objects.count()
    with pytest.raises(RevealReasonRequired) as caught:
        reveal(actor=officer, obj=alice, field="phone", reason=reason)
    assert (caught.value.status, caught.value.code) == (400, "reveal_reason_required")
    assert AuditEvent.objects.count() == before


def test_only_declared_fields_can_be_revealed(alice):
    officer = make_user("officer", reveal_permission=True)
    before = AuditEvent.objects.count()
    with pytest.raises(NotPersonalField):
        reveal(actor=officer, obj=alice, field="phone_bidx", reason=REASON)
    assert AuditEvent.objects.count() == before


def test_a_restricted_record_can_be_revealed_for_customer_service():
    buyer = make_user("buyer")
    receipt = Receipt.objects.create(user=buyer, recipient_phone=PHONE)
    crypto.restrict(buyer.pk, KeyClass.TRANSACTION, until=timezone.now() + timedelta(days=30))
    officer = make_user("officer", reveal_permission=True)
    row = Receipt.objects.get(pk=receipt.pk)
    assert reveal(actor=officer, obj=row, field="recipient_phone", reason=REASON) == PHONE
    assert taxonomy.CUSTOMER_SERVICE.code in taxonomy.LEGAL_PURPOSES


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
def test_reveal_page_asks_for_a_purpose_then_shows_the_value_once(admin_client, alice):
    url = f"/admin/privacy_app/person/{alice.pk}/reveal/phone/"
    before = AuditEvent.objects.count()
    page = admin_client.get(url)
    assert (
        page.status_code == 200
        and PHONE not in page.content.decode()
        and 'name="reason"' in page.content.decode()
    )
    shown = admin_client.post(url, {"reason": REASON})
    assert shown.status_code == 200 and PHONE in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    assert AuditEvent.objects.filter(seq__gt=before, action="reveal").count() == 1
    assert AuditEvent.objects.count() == before + 1


@own_urls
def test_reveal_page_without_a_reason_reveals_and_records_nothing(admin_client, alice):
    before = AuditEvent.objects.count()
    response = admin_client.post(f"/admin/privacy_app/person/{alice.pk}/reveal/phone/", {"reason": "no"})
    assert response.status_code == 400 and PHONE not in response.content.decode()
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
