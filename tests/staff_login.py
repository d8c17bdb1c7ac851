"""Staff logins for tests: the admin asks for a verified second factor (candor.staff.sites), so a
test that opens ``/admin/`` logs its staff user in *and* marks the session verified by a TOTP
device, as a real login with the 6-digit code would.

Use ``verify_second_factor(client, user)``, or import the ``admin_client`` fixture into a test
module (``from tests.staff_login import admin_client  # noqa: F401``) in place of pytest-django's.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def verify_second_factor(client: Client, user: Any) -> TOTPDevice:
    """Log ``user`` in on ``client`` with a confirmed TOTP device, the session verified by it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test device", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def admin_client(db: None, admin_user: Any) -> Client:
    """pytest-django's ``admin_client``, past the second factor."""
    client = Client()
    verify_second_factor(client, admin_user)
    return client
