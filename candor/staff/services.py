"""Writes of the staff second factor: enrolment, removal, and the record of refused codes.

Every change of a device is audited in its transaction (the device's ``name`` and use are
declared personal data, ``personal_data.py``). A refused code is audited too (C002-16, data-access
log analysis): the record commits even though the attempt fails, so a wrong code is checked and
recorded inside a transaction that returns normally, and the error is raised after it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from candor.errors import CandorError
from candor.privacy import audit

PURPOSE = "staff_mfa"
# Audit action of a refused second-factor code; the privacy core's ``Action`` has no security
# event of its own yet.
FAILED = "mfa_failed"
DEVICE_NAME = "Authenticator app"


class NotStaff(CandorError):
    status = 403
    code = "staff_only"

    def __init__(self) -> None:
        super().__init__(_("Only staff accounts set up a second factor here."))


class AlreadyEnrolled(CandorError):
    status = 409
    code = "mfa_already_enrolled"

    def __init__(self) -> None:
        super().__init__(_("You already have a second factor. Remove it first to set up another one."))


class NotStarted(CandorError):
    status = 400
    code = "mfa_not_started"

    def __init__(self) -> None:
        super().__init__(_("Start the set-up first: a new secret is made for you."))


class TokenInvalid(CandorError):
    status = 400
    code = "mfa_token_invalid"

    def __init__(self) -> None:
        message = _("That code is not right. Enter the 6-digit code your authenticator app shows now.")
        super().__init__(message, fields={"token": [str(message)]})


class TokenThrottled(CandorError):
    status = 429
    code = "mfa_throttled"

    def __init__(self) -> None:
        message = _("Too many wrong codes. Wait a little and try again.")
        super().__init__(message, fields={"token": [str(message)]})


def _target(device: TOTPDevice) -> str:
    return f"{device._meta.label_lower}:{device.pk}"


def _record(device: TOTPDevice, *, action: str, actor_id: int | None, event: str, **detail: Any) -> None:
    audit.record(
        action=action,
        actor_id=actor_id,
        subject_id=device.user_id,
        target=_target(device),
        fields=["name"] if action == audit.Action.CHANGE else [],
        purpose=PURPOSE,
        detail={"event": event, **detail},
    )


def token_failure_record(*, user: Any, device: TOTPDevice | None, where: str) -> None:
    """Audit a refused code (``where``: "admin_login", "enrolment", "removal"). Call it in a
    transaction that commits."""
    audit.record(
        action=FAILED,
        actor_id=user.pk,
        subject_id=user.pk,
        target=_target(device) if device is not None else "",
        purpose=PURPOSE,
        detail={"event": "token_refused", "where": where},
    )


def _verify(user: Any, device: TOTPDevice, token: str, *, where: str) -> bool:
    """Check ``token`` on ``device`` (django-otp throttles and moves the window); audit a refusal."""
    allowed, _extra = device.verify_is_allowed()
    ok = allowed and device.verify_token(token.strip())
    if not ok:
        token_failure_record(user=user, device=device, where=where)
    return ok


def _refuse(device: TOTPDevice) -> CandorError:
    device.refresh_from_db()
    return TokenInvalid() if device.verify_is_allowed()[0] else TokenThrottled()


@transaction.atomic
def totp_device_start(*, user: Any) -> TOTPDevice:
    """A new, unconfirmed TOTP device with a fresh secret for a staff user, replacing an earlier
    unfinished one. It counts for nothing until confirmed with a code."""
    if not (user.is_authenticated and user.is_staff):
        raise NotStaff()
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise AlreadyEnrolled()
    for old in TOTPDevice.objects.filter(user=user, confirmed=False):
        _record(old, action=audit.Action.CHANGE, actor_id=user.pk, event="enrolment_abandoned")
        old.delete()
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    _record(device, action=audit.Action.CHANGE, actor_id=user.pk, event="enrolment_started")
    return device


def totp_device_confirm(*, user: Any, token: str) -> TOTPDevice:
    """Confirm the user's unfinished device with a current code: from now on the admin asks for it."""
    device, ok = _confirm(user, token)
    if not ok:
        raise _refuse(device)
    return device


@transaction.atomic
def _confirm(user: Any, token: str) -> tuple[TOTPDevice, bool]:
    if not (user.is_authenticated and user.is_staff):
        raise NotStaff()
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise NotStarted()
    if not _verify(user, device, token, where="enrolment"):
        return device, False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _record(device, action=audit.Action.CHANGE, actor_id=user.pk, event="enrolled")
    return device, True


def totp_device_remove_own(*, user: Any, token: str) -> None:
    """A staff member removes their own device, proving it with a current code (so a stolen
    session alone cannot swap the second factor)."""
    device, ok = _remove_own(user, token)
    if not ok:
        raise _refuse(device)


@transaction.atomic
def _remove_own(user: Any, token: str) -> tuple[TOTPDevice, bool]:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        raise NotStarted()
    if not _verify(user, device, token, where="removal"):
        return device, False
    totp_device_remove(actor_id=user.pk, device=device)
    return device, True


@transaction.atomic
def totp_device_remove(*, actor_id: int | None, device: TOTPDevice) -> None:
    """Remove a device (its owner, or an administrator resetting a lost one), audited."""
    _record(device, action=audit.Action.CHANGE, actor_id=actor_id, event="removed")
    device.delete()


@transaction.atomic
def totp_device_provision(*, user: Any, key: str) -> TOTPDevice:
    """A confirmed device with a known hex ``key``, for the demo's superuser only: refused unless
    the simulators (the demo set-up) are on."""
    if not settings.CANDOR_SIMULATORS:
        raise ImproperlyConfigured("a TOTP device with a known key is for the demo only (CANDOR_SIMULATORS)")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and device.key == key:
        return device
    if device is not None:
        totp_device_remove(actor_id=None, device=device)
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key, confirmed=True)
    _record(device, action=audit.Action.CHANGE, actor_id=None, event="provisioned")
    return device
