"""Staff see addresses masked and cannot edit them; a reveal needs the permission and a reason
and writes an audit event. The admin classes run on a plain AdminSite of the test's own, so
the test is about masking, not about the staff second-factor gate in front of the real one."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import path

from candor.addresses import services
from candor.addresses.admin import AddressAdmin
from candor.addresses.models import Address
from candor.addresses.tests.conftest import ADDRESS
from candor.privacy.models import AuditEvent
from candor.urls import urlpatterns as project_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

site = admin.AdminSite(name="admin")
site.register(Address, AddressAdmin)
urlpatterns = [path("admin/", site.urls), *(p for p in project_urls if str(p.pattern) != "admin/")]


def staff(username: str, *perms: str):
    user = get_user_model().objects.create_user(
        username=username, password="x-very-long-password-1", is_staff=True
    )
    user.user_permissions.add(*Permission.objects.filter(codename__in=perms))
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def address(alice) -> Address:
    return services.address_create(user=alice, **ADDRESS, landline="010-12345678")


def test_staff_without_reveal_see_masked_values_and_no_reveal_link(client, address):
    client.force_login(staff("clerk", "view_address"))
    listing = client.get("/admin/addresses/address/").content.decode()
    assert "138****8000" in listing and "张*" in listing
    assert "13812348000" not in listing and "张三" not in listing
    form = client.get(f"/admin/addresses/address/{address.pk}/change/").content.decode()
    assert "138****8000" in form and "010-****5678" in form
    for plain in ("13812348000", "张三", "文三路", "010-12345678"):
        assert plain not in form
    assert "/reveal/" not in form
    before = AuditEvent.objects.count()
    refused = client.post(
        f"/admin/addresses/address/{address.pk}/reveal/mobile/", {"reason": "delivery_problem"}
    )
    assert refused.status_code == 403 and "13812348000" not in refused.content.decode()
    assert AuditEvent.objects.count() == before


def test_staff_cannot_edit_add_or_delete_addresses(client, address):
    client.force_login(staff("clerk", "view_address", "change_address", "add_address", "delete_address"))
    form = client.get(f"/admin/addresses/address/{address.pk}/change/").content.decode()
    assert 'name="_save"' not in form
    posted = client.post(f"/admin/addresses/address/{address.pk}/change/", {"label": "company"})
    assert posted.status_code == 403
    assert client.get("/admin/addresses/address/add/").status_code == 403
    assert client.post(f"/admin/addresses/address/{address.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Address.objects.get(pk=address.pk).label == "home"


def test_reveal_with_the_permission_shows_the_value_and_is_audited(client, address):
    officer = staff("officer", "view_address", "reveal_personal_data")
    client.force_login(officer)
    form = client.get(f"/admin/addresses/address/{address.pk}/change/").content.decode()
    assert f"/admin/addresses/address/{address.pk}/reveal/detail/" in form
    before = AuditEvent.objects.count()
    shown = client.post(
        f"/admin/addresses/address/{address.pk}/reveal/detail/",
        {"reason": "delivery_problem", "ticket": "CS-1"},
    )
    assert shown.status_code == 200 and ADDRESS["detail"] in shown.content.decode()
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.actor_id, event.subject_id) == ("reveal", officer.pk, address.user_id)
    assert (event.target, event.fields) == (f"addresses.address:{address.pk}", ["detail"])
    assert event.detail == {"reason": "delivery_problem", "ticket": "CS-1"}
