"""Staff see real names, ID numbers and guardian phones masked without the reveal permission."""

from __future__ import annotations

from django.contrib.auth.models import Permission

from candor.identity import services
from candor.identity.models import Guardianship, RealNameVerification
from candor.identity.tests.conftest import birthday_for_age
from candor.identity.tests.test_realname import ZHANG
from candor.privacy.models import AuditEvent
from tests.staff_login import verify_second_factor


def _staff(make_user, *codenames):
    staff = make_user("clerk")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return staff


def test_admin_masks_name_and_id_number(client, api, make_user, fake_codes):
    person = make_user("person")
    client.force_login(person)
    assert api.call("post", "/identity/realname", ZHANG).status_code == 200
    row = RealNameVerification.objects.get(user=person)
    staff = _staff(make_user, "view_realnameverification")
    verify_second_factor(client, staff)
    for url in (
        "/admin/identity/realnameverification/",
        f"/admin/identity/realnameverification/{row.pk}/change/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        content = page.content.decode()
        assert "1101**********002X" in content and "张*" in content
        assert "11010519491231002X" not in content and "张三" not in content


def test_admin_masks_guardian_phone(client, make_user, fake_codes):
    child = make_user("kid")
    services.minor_check(user=child, birthday=birthday_for_age(9))
    services.guardian_code_send(user=child, phone="13912345678", ip="127.0.0.1")
    services.guardian_decide(
        user=child, phone="13912345678", code="123456", relation="parent", consent_given=True, channel="web"
    )
    row = Guardianship.objects.get(child=child)
    verify_second_factor(client, _staff(make_user, "view_guardianship"))
    content = client.get(f"/admin/identity/guardianship/{row.pk}/change/").content.decode()
    assert "139****5678" in content and "13912345678" not in content


def test_reveal_needs_the_permission_and_is_audited(client, api, make_user):
    person = make_user("person")
    client.force_login(person)
    assert api.call("post", "/identity/realname", ZHANG).status_code == 200
    row = RealNameVerification.objects.get(user=person)
    url = f"/admin/identity/realnameverification/{row.pk}/reveal/id_number/"
    clerk = _staff(make_user, "view_realnameverification")
    verify_second_factor(client, clerk)
    refused = client.post(url, {"reason": "customer_request"})
    assert refused.status_code == 403 and b"11010519491231002X" not in refused.content
    assert not AuditEvent.objects.filter(action="reveal").exists()
    clerk.user_permissions.add(Permission.objects.get(codename="reveal_personal_data"))
    verify_second_factor(client, clerk)
    shown = client.post(url, {"reason": "customer_request"})
    assert shown.status_code == 200 and b"11010519491231002X" in shown.content
    event = AuditEvent.objects.get(action="reveal")
    assert event.actor_id == clerk.pk and event.subject_id == person.pk and event.fields == ["id_number"]
