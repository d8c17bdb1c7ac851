"""Writes on accounts: registration, password and SMS-code login, password reset, the profile.

Each service validates everything it can *before* it checks the SMS code, so a weak password or
a taken account name neither burns the code the person just received nor creates anything
(acceptance of #4: "nothing half-created"). The code is checked in its own transaction, outside
the one that creates the account: a wrong code must count towards the lockout even though the
request fails, which a rolled-back outer transaction would undo. Every change of personal data
writes its audit row in the same transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candor.accounts.models import Profile, User
from candor.errors import CandorError
from candor.identity import services as identity
from candor.privacy import audit, policy
from candor.privacy.crypto import lookup
from candor.verification import services as codes
from candor.verification.phones import InvalidPhone, normalize_cn_mobile


class AccountInvalid(CandorError):
    """One answer naming every field that is wrong, so a form can show them all at once."""

    status = 400
    code = "account_invalid"

    def __init__(self, fields: dict[str, list[str]], code: str | None = None) -> None:
        super().__init__(_("Some fields need your attention."), fields=fields, code=code)


class SmsLoginFailed(CandorError):
    status = 400
    code = "sms_login_failed"


_USERNAME = UnicodeUsernameValidator()


@dataclass(frozen=True)
class Registration:
    username: str
    password: str
    phone: str
    code: str
    email: str
    birthday: date | None = None
    accepted_policy: bool = False


def _field_error(fields: dict[str, list[str]], name: str, message: Any) -> None:
    fields.setdefault(name, []).append(str(message))


def _validate_username(username: str, fields: dict[str, list[str]]) -> None:
    if not 3 <= len(username) <= 32:
        _field_error(fields, "username", _("Use 3 to 32 characters for the account name."))
        return
    try:
        _USERNAME(username)
    except ValidationError:
        _field_error(fields, "username", _("Use letters, digits and @ . + - _ only."))
        return
    if username.lower().startswith("erased-"):
        _field_error(fields, "username", _("This account name is reserved."))
    elif User.objects.filter(username__iexact=username).exists():
        _field_error(fields, "username", _("This account name is taken."))


def _validate_password(password: str, user: User, fields: dict[str, list[str]]) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        for message in error.messages:
            _field_error(fields, "password", message)


def phone_owner(phone: str) -> User | None:
    return User.objects.filter(**lookup(User, "phone", phone)).first()


def _validate_registration(data: Registration) -> tuple[str, dict[str, list[str]]]:
    fields: dict[str, list[str]] = {}
    _validate_username(data.username, fields)
    phone = ""
    try:
        phone = normalize_cn_mobile(data.phone)
    except InvalidPhone as error:
        _field_error(fields, "phone", error.message)
    if phone and phone_owner(phone) is not None:
        _field_error(fields, "phone", _("This mobile number already has an account: log in instead."))
    try:
        validate_email(data.email)
    except ValidationError:
        _field_error(fields, "email", _("Enter a valid e-mail address."))
    else:
        if User.objects.filter(email__iexact=data.email).exists():
            _field_error(fields, "email", _("This e-mail address already has an account."))
    if data.birthday is not None and not date(1900, 1, 1) <= data.birthday <= timezone.localdate():
        _field_error(fields, "birthday", _("Enter your real date of birth."))
    candidate = User(username=data.username, email=data.email)
    _validate_password(data.password, candidate, fields)
    if not data.accepted_policy:
        _field_error(fields, "accept_policy", _("Read and accept the privacy policy to register."))
    if not data.code.strip():
        _field_error(fields, "code", _("Enter the code we sent to your mobile."))
    return phone, fields


def account_register(*, data: Registration, ip: str, channel: str) -> User:
    """Create the account; the SMS code is consumed only when everything else is valid."""
    phone, fields = _validate_registration(data)
    if fields:
        raise AccountInvalid(fields)
    codes.code_check(channel="sms", target=phone, purpose="register", code=data.code.strip())
    return _create_account(data=data, phone=phone, ip=ip, channel=channel)


@transaction.atomic
def _create_account(*, data: Registration, phone: str, ip: str, channel: str) -> User:
    version = policy.current()
    user = User(
        username=data.username,
        email=data.email.strip(),
        nickname=data.username,  # the account name is the default nickname (C001-02)
        phone=phone,
        phone_verified_at=timezone.now(),
    )
    user.set_password(data.password)
    user.save()
    if data.birthday is not None:
        Profile.objects.create(user=user, birthday=data.birthday)
    if version is not None:
        policy.accept(
            user_id=user.pk,
            version=version,
            channel=channel,
            evidence={"page": "registration", "version": version.number, "ip": ip},
        )
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user.pk,
        subject_id=user.pk,
        target=f"accounts.user:{user.pk}",
        fields=["username", "password", "phone", "phone_verified_at", "email", "nickname"]
        + (["birthday"] if data.birthday else []),
        purpose="registration",
        detail={"operation": "create", "channel": channel},
    )
    identity.minor_check(user=user, birthday=data.birthday)
    return user


def account_login_by_code(*, phone: str, code: str) -> User:
    """The account of a verified mobile number, after its login code checks out. Whether the
    number has an account is said only to someone who holds a valid code for it."""
    number = normalize_cn_mobile(phone)
    codes.code_check(channel="sms", target=number, purpose="login", code=code.strip())
    user = phone_owner(number)
    if user is None or not user.is_active:
        raise SmsLoginFailed(_("No active account uses this mobile number. Register first."))
    return user


def password_reset_by_code(*, phone: str, code: str, password: str) -> User:
    number = normalize_cn_mobile(phone)
    user = phone_owner(number)
    fields: dict[str, list[str]] = {}
    if user is not None:
        _validate_password(password, user, fields)
    if fields:
        raise AccountInvalid(fields)
    codes.code_check(channel="sms", target=number, purpose="reset_password", code=code.strip())
    if user is None or not user.is_active:
        raise SmsLoginFailed(_("No active account uses this mobile number. Register first."))
    return password_set(user=user, password=password, via="sms")


@transaction.atomic
def password_set(*, user: User, password: str, via: str) -> User:
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user.pk,
        subject_id=user.pk,
        target=f"accounts.user:{user.pk}",
        fields=["password"],
        purpose="registration",
        detail={"operation": "update", "via": via},
    )
    return user


PROFILE_FIELDS = ("gender", "birthday", "residence", "interests", "landline")
AVATAR_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}
AVATAR_MAX_BYTES = 256 * 1024
_MAGIC = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif", b"RIFF": "image/webp"}


def _avatar_type(data: bytes) -> str | None:
    # Trust the bytes, not the browser's Content-Type: a page shows this as a data: URL.
    for magic, kind in _MAGIC.items():
        if data.startswith(magic) and (kind != "image/webp" or data[8:12] == b"WEBP"):
            return kind
    return None


@transaction.atomic
def profile_update(*, user: User, nickname: str | None = None, changes: dict[str, Any]) -> list[str]:
    """Apply the changed profile fields; returns the names that changed (audited, never values)."""
    fields: dict[str, list[str]] = {}
    profile, _created = Profile.objects.get_or_create(user=user)
    changed: list[str] = []
    if nickname is not None:
        nickname = nickname.strip()
        if len(nickname) > 64:
            _field_error(fields, "nickname", _("Use at most 64 characters."))
        elif (nickname or user.username) != user.nickname:
            user.nickname = nickname or user.username
            changed.append("nickname")
    for name in PROFILE_FIELDS:
        if name not in changes:
            continue
        value = changes[name]
        if name == "gender" and value not in {"", *Profile.Gender.values}:
            _field_error(fields, name, _("Choose one of the listed options."))
            continue
        if name == "birthday" and value is not None and not date(1900, 1, 1) <= value <= timezone.localdate():
            _field_error(fields, name, _("Enter your real date of birth."))
            continue
        if isinstance(value, str):
            value = value.strip()
            limit = Profile._meta.get_field(name).max_length or 0
            if len(value) > limit:
                _field_error(fields, name, _("Use at most %(n)d characters.") % {"n": limit})
                continue
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.append(name)
    if "avatar" in changes:
        data: bytes | None = changes["avatar"]
        if data is None:
            if profile.avatar:
                profile.avatar, profile.avatar_type = None, ""
                changed.append("avatar")
        elif len(data) > AVATAR_MAX_BYTES:
            _field_error(fields, "avatar", _("The picture is larger than 256 KB."))
        elif (kind := _avatar_type(data)) is None:
            _field_error(fields, "avatar", _("Upload a PNG, JPEG, GIF or WebP picture."))
        else:
            profile.avatar, profile.avatar_type = data, kind
            changed.append("avatar")
    if fields:
        raise AccountInvalid(fields)
    if not changed:
        return []
    if "nickname" in changed:
        user.save(update_fields=["nickname"])
    profile.save()
    if "birthday" in changed:
        identity.minor_check(user=user, birthday=profile.birthday)
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user.pk,
        subject_id=user.pk,
        target=f"accounts.profile:{user.pk}",
        fields=changed,
        purpose="display",
        detail={"operation": "update"},
    )
    return changed
