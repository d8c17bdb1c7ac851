"""The "login devices" page and ``GET /api/v1/devices``: the owner's own events only, the IP
masked; the admin shows the log masked and read-only."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import path, reverse

from candor.devices.admin import DeviceEventAdmin
from candor.devices.models import DeviceEvent
from candor.devices.services import device_record
from candor.devices.tests.conftest import CHROME
from candor.privacy.models import AuditEvent
from candor.urls import urlpatterns as project_urls

pytestmark = pytest.mark.django_db

site = admin.AdminSite(name="admin")
site.register(DeviceEvent, DeviceEventAdmin)
urlpatterns = [path("admin/", site.urls), *(p for p in project_urls if str(p.pattern) != "admin/")]


def record(user, ip: str) -> None:
    request = RequestFactory().post("/login/", REMOTE_ADDR=ip, HTTP_USER_AGENT=CHROME)
    device_record(request=request, user=user, event="login")


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_page_lists_own_logins_with_the_ip_masked(client, alice, bob, lang):
    record(alice, "203.0.113.7")
    record(bob, "198.51.100.9")
    client.force_login(alice)
    response = client.get(reverse("devices:list"), HTTP_ACCEPT_LANGUAGE=lang)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="device-row"') == 1
    assert "203.0.113.*" in html and "203.0.113.7" not in html
    assert "198.51.100" not in html
    assert "Chrome 124" in html and "Windows 10" in html
    assert " style=" not in html


def test_the_page_needs_a_login(client, db):
    assert client.get(reverse("devices:list")).status_code == 302


def test_the_api_lists_own_events_masked(client, alice, bob):
    record(alice, "203.0.113.7")
    record(bob, "198.51.100.9")
    assert client.get("/api/v1/devices").status_code == 401
    client.force_login(alice)
    body = client.get("/api/v1/devices").json()
    assert [(row["event"], row["browser"], row["ip_masked"]) for row in body] == [
        ("login", "Chrome 124", "203.0.113.*")
    ]
    assert "203.0.113.7" not in str(body)


@pytest.mark.urls(__name__)
def test_the_admin_masks_the_ip_is_read_only_and_audits_a_reveal(client, alice):
    record(alice, "203.0.113.7")
    row = DeviceEvent.objects.get()
    clerk = get_user_model().objects.create_user(
        username="clerk", password="x-very-long-password-1", is_staff=True
    )
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_deviceevent", "change_deviceevent"])
    )
    client.force_login(clerk)
    listing = client.get("/admin/devices/deviceevent/").content.decode()
    assert "203.0.113.7" not in listing and "2******" in listing
    form = client.get(f"/admin/devices/deviceevent/{row.pk}/change/").content.decode()
    assert "203.0.113.7" not in form and "/reveal/" not in form and 'name="_save"' not in form
    assert client.post(f"/admin/devices/deviceevent/{row.pk}/change/", {}).status_code == 403

    officer = get_user_model().objects.create_user(
        username="officer", password="x-very-long-password-1", is_staff=True
    )
    officer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_deviceevent", "reveal_personal_data"])
    )
    client.force_login(officer)
    before = AuditEvent.objects.count()
    shown = client.post(
        f"/admin/devices/deviceevent/{row.pk}/reveal/ip_address/", {"reason": "fraud_investigation"}
    )
    assert shown.status_code == 200 and "203.0.113.7" in shown.content.decode()
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.fields, event.subject_id) == ("reveal", ["ip_address"], alice.pk)
