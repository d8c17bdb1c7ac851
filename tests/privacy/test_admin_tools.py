"""The privacy officer's tools in the back office: the audit chain check (the same walk as
``candor audit verify``) names the first damaged row, and the generated data map is shown."""

from __future__ import annotations

import pytest
from django.db import connection

from candor.privacy import audit
from candor.privacy.models import AuditEvent
from tests.staff_login import admin_client  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_chain_check_passes_then_names_an_edited_row(admin_client):  # noqa: F811
    for n in range(3):
        audit.record(action=audit.Action.CHANGE, subject_id=n, target=f"x:{n}", purpose="ordering")
    page = admin_client.get("/admin/privacy/auditevent/verify/").content.decode()
    assert 'data-testid="audit-ok"' in page

    victim = AuditEvent.objects.order_by("seq")[1]
    with connection.cursor() as cursor:  # an attacker's edit, behind the model's back
        cursor.execute("UPDATE privacy_auditevent SET target = %s WHERE id = %s", ["x:forged", victim.pk])
    page = admin_client.get("/admin/privacy/auditevent/verify/").content.decode()
    assert 'data-testid="audit-damaged"' in page and f"<strong>{victim.seq}</strong>" in page


def test_the_data_map_is_the_generated_one(admin_client):  # noqa: F811
    page = admin_client.get("/admin/privacy/auditevent/datamap/").content.decode()
    assert "orders.Order" in page and "recipient_phone" in page


def test_staff_without_the_audit_permission_get_neither(client, django_user_model):
    from tests.staff_login import verify_second_factor

    clerk = django_user_model.objects.create_user("clerk", password="x-1234567", is_staff=True)
    client.force_login(clerk)
    verify_second_factor(client, clerk)
    assert client.get("/admin/privacy/auditevent/verify/").status_code in (302, 403)
    assert client.get("/admin/privacy/auditevent/datamap/").status_code in (302, 403)
