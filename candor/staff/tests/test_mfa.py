"""The back office needs a verified second factor (C002-16: multi-factor authentication):
password alone opens nothing, the 6-digit code does; refused codes are audited; enrolment shows
the QR code and secret once and is confirmed with a code; removal needs a code too."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from candor.privacy.datamap import declaration_for
from candor.privacy.models import AuditEvent
from candor.staff import selectors, services
from tests.staff_login import verify_second_factor

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-42"
ADMIN = "/admin/"
LOGIN = "/admin/login/"
MFA = "/staff/mfa/"


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp locks a device for a growing delay after a wrong code; a test that goes on with
    # the right code at once would otherwise be refused by the lock, not by the code.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def staff():
    return get_user_model().objects.create_user("clerk", password=PASSWORD, is_staff=True)


def _device(user, *, confirmed=True):
    return TOTPDevice.objects.create(user=user, name=services.DEVICE_NAME, confirmed=confirmed)


def _wrong(device):
    return f"{(int(selectors.current_token(device)) + 500_000) % 1_000_000:06d}"


def _login(client, username, password, token=""):
    return client.post(LOGIN, {"username": username, "password": password, "otp_token": token, "next": ADMIN})


def _events(action):
    return list(AuditEvent.objects.filter(action=action, purpose=services.PURPOSE).order_by("seq"))


# --- the gate ---------------------------------------------------------------------------------


@pytest.mark.parametrize("superuser", [False, True])
def test_a_password_session_without_a_verified_second_factor_cannot_open_the_admin(client, staff, superuser):
    staff.is_superuser = superuser
    staff.save()
    _device(staff)
    client.force_login(staff)  # the password step only
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.get("/admin/accounts/user/").status_code == 302


def test_the_right_code_opens_the_admin(client, staff):
    device = _device(staff)
    response = _login(client, "clerk", PASSWORD, selectors.current_token(device))
    assert response.status_code == 302
    assert response["Location"] == ADMIN
    page = client.get(ADMIN)
    assert page.status_code == 200
    assert page.context["user"].is_verified()
    assert _events(services.FAILED) == []


def test_a_wrong_code_is_refused_and_audited(client, staff):
    device = _device(staff)
    response = _login(client, "clerk", PASSWORD, _wrong(device))
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "invalid_token")
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN).status_code == 302
    (event,) = _events(services.FAILED)
    target = f"otp_totp.totpdevice:{device.pk}"
    assert (event.actor_id, event.subject_id, event.target) == (staff.pk, staff.pk, target)
    assert event.detail == {"event": "token_refused", "where": "admin_login"}
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_missing_code_or_a_wrong_password_logs_nobody_in(client, staff):
    device = _device(staff)
    assert _login(client, "clerk", PASSWORD, "").status_code == 200
    assert _login(client, "clerk", "wrong-password", selectors.current_token(device)).status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN).status_code == 302


def test_the_login_page_asks_for_the_code(client):
    html = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="otp_token"' in html and 'autocomplete="one-time-code"' in html
    assert 'name="otp_device"' not in html  # one device: no need to choose


def test_a_staff_user_without_a_device_is_sent_to_enrolment_and_the_admin_stays_closed(client, staff):
    response = _login(client, "clerk", PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith(MFA)
    assert client.get(ADMIN).status_code == 302
    assert client.get(MFA).status_code == 200


def test_a_customer_is_not_let_in_or_sent_to_enrolment(client):
    get_user_model().objects.create_user("buyer", password=PASSWORD)
    response = _login(client, "buyer", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_shared_test_login_passes_the_gate(client, staff):
    verify_second_factor(client, staff)
    assert client.get(ADMIN).status_code == 200


# --- enrolment --------------------------------------------------------------------------------


def test_enrolment_shows_the_qr_code_and_secret_then_a_code_confirms_it(client, staff):
    client.force_login(staff)
    assert client.get(MFA).status_code == 200
    assert client.post(MFA, {"action": "start"}).status_code == 302
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed

    page = client.get(MFA).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert selectors.secret_base32(device) in page
    assert "<script" not in page.split("</head>")[1] and "style=" not in page
    assert page.count(device.key) == 0  # the hex key is never printed, only its base32 form

    wrong = client.post(MFA, {"action": "confirm", "token": _wrong(device)})
    assert wrong.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    assert [e.detail["where"] for e in _events(services.FAILED)] == ["enrolment"]
    assert client.get(ADMIN).status_code == 302

    done = client.post(MFA, {"action": "confirm", "token": selectors.current_token(device), "next": ADMIN})
    assert done.status_code == 302 and done["Location"] == ADMIN
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(ADMIN).status_code == 200  # the session was verified by the fresh code
    events = [e.detail["event"] for e in _events("change")]
    assert events == ["enrolment_started", "enrolled"]


def test_a_second_device_cannot_be_started_while_one_is_confirmed(client, staff):
    _device(staff)
    client.force_login(staff)
    response = client.post(MFA, {"action": "start"})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_removal_needs_a_current_code_and_is_audited(client, staff):
    device = verify_second_factor(client, staff)
    refused = client.post(MFA, {"action": "remove", "token": _wrong(device)})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    removed = client.post(MFA, {"action": "remove", "token": selectors.current_token(device)})
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    (event,) = [e for e in _events("change") if e.detail["event"] == "removed"]
    target = f"otp_totp.totpdevice:{device.pk}"
    assert (event.actor_id, event.subject_id, event.target) == (staff.pk, staff.pk, target)
    assert client.get(ADMIN).status_code == 302


def test_enrolment_is_for_staff_only(client):
    assert client.get(MFA)["Location"].startswith(LOGIN)
    buyer = get_user_model().objects.create_user("buyer", password=PASSWORD)
    client.force_login(buyer)
    assert client.get(MFA).status_code == 403
    assert client.post(MFA, {"action": "start"}).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_an_administrator_reset_in_the_admin_is_audited(client, staff):
    admin_user = get_user_model().objects.create_superuser("root", password=PASSWORD)
    verify_second_factor(client, admin_user)
    device = _device(staff)
    response = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    (event,) = [e for e in _events("change") if e.detail["event"] == "removed"]
    assert (event.actor_id, event.subject_id) == (admin_user.pk, staff.pk)


def test_the_device_admin_never_shows_the_secret(client, staff):
    admin_user = get_user_model().objects.create_superuser("root", password=PASSWORD)
    verify_second_factor(client, admin_user)
    device = _device(staff)
    html = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in html
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403


# --- declarations and the demo command ----------------------------------------------------------


def test_the_device_is_declared():
    declaration = declaration_for(TOTPDevice)
    assert declaration is not None
    assert set(declaration.fields) == {"name", "last_used_at"}
    assert "key" in declaration.not_personal


def test_the_demo_command_prints_the_current_code(staff, settings):
    device = services.totp_device_provision(user=staff, key="3132333435363738393031323334353637383930")
    out = StringIO()
    call_command("staff", "totp", "clerk", stdout=out)
    assert out.getvalue().strip() == selectors.current_token(device)
    assert services.totp_device_provision(user=staff, key=device.key).pk == device.pk  # idempotent
    settings.CANDOR_SIMULATORS = False
    with pytest.raises(CommandError):
        call_command("staff", "totp", "clerk", stdout=StringIO())
