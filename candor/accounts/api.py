"""The accounts API: registration, session and token login (password or SMS code), password
reset, the profile and the public profile. App clients log in with ``POST /tokens`` and send
``Authorization: Bearer <token>``; the web client uses the session routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from candor.accounts import cancellation, selectors, services, tokens
from candor.accounts.models import User
from candor.accounts.web import after_login, client_ip, send_email_verification
from candor.api.csrf import require_csrf
from candor.api.errors import ErrorOut
from candor.errors import CandorError
from candor.privacy import consent

router = Router(tags=["accounts"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class SessionOut(Schema):
    authenticated: bool
    username: str | None
    display_name: str | None


class TokenOut(Schema):
    token: str
    expires_at: datetime
    account: SessionOut


class LoginIn(Schema):
    username: str = Field(min_length=1, max_length=150, description="account name or mobile number")
    password: str = Field(min_length=1, max_length=256)


class SmsLoginIn(Schema):
    phone: str = Field(min_length=1, max_length=32)
    code: str = Field(min_length=1, max_length=12)


class TokenIn(Schema):
    username: str | None = Field(None, max_length=150)
    password: str | None = Field(None, max_length=256)
    phone: str | None = Field(None, max_length=32)
    code: str | None = Field(None, max_length=12)
    device_name: str = Field("", max_length=64)


class RegisterIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=256)
    phone: str = Field(max_length=32)
    code: str = Field(max_length=12)
    email: str = Field(max_length=254)
    birthday: date | None = None
    accept_policy: bool = False
    token: bool = Field(False, description="an app client: answer with a bearer token, set no cookie")
    device_name: str = Field("", max_length=64)


class RegisterOut(Schema):
    account: SessionOut
    token: str | None = None
    email_verification_sent: bool
    guardian_consent_required: bool


class SmsResetIn(Schema):
    phone: str = Field(max_length=32)
    code: str = Field(max_length=12)
    password: str = Field(max_length=256)


class EmailResetIn(Schema):
    email: str = Field(max_length=254)


class ProfileOut(Schema):
    username: str
    nickname: str
    phone: str | None
    email: str
    email_verified: bool
    gender: str
    birthday: date | None
    residence: str
    interests: str
    landline: str
    avatar: str | None = Field(None, description="a data: URL")


class ProfileIn(Schema):
    nickname: str | None = Field(None, max_length=200)
    gender: str | None = Field(None, max_length=16)
    birthday: date | None = None
    residence: str | None = Field(None, max_length=400)
    interests: str | None = Field(None, max_length=400)
    landline: str | None = Field(None, max_length=100)
    clear_birthday: bool = False


class PublicProfileOut(Schema):
    nickname: str
    avatar: str | None


class InvalidCredentials(CandorError):
    status = 400
    code = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__(gettext_lazy("Account name or password is incorrect."))


def _password_user(request: HttpRequest, username: str, password: str) -> User:
    user = authenticate(request, username=selectors.login_name(username), password=password)
    if user is None:
        raise InvalidCredentials()
    assert isinstance(user, User)
    return user


@router.get("/session", response=SessionOut, summary="Who is logged in")
def session_get(request: HttpRequest) -> dict[str, Any]:
    return selectors.session_state(user=request.user)


@router.post("/session", response={200: SessionOut, **ERRORS}, summary="Log in with a password")
def session_create(request: HttpRequest, payload: LoginIn) -> dict[str, Any]:
    require_csrf(request)
    user = _password_user(request, payload.username, payload.password)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    after_login(request, user, event="login")
    return selectors.session_state(user=user)


@router.post("/session/sms", response={200: SessionOut, **ERRORS}, summary="Log in with an SMS code")
def session_create_sms(request: HttpRequest, payload: SmsLoginIn) -> dict[str, Any]:
    require_csrf(request)
    user = services.account_login_by_code(phone=payload.phone, code=payload.code)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    after_login(request, user, event="login")
    return selectors.session_state(user=user)


@router.delete("/session", response=SessionOut, summary="Log out")
def session_delete(request: HttpRequest) -> dict[str, Any]:
    logout(request)
    return selectors.session_state(user=request.user)


@router.post(
    "/tokens",
    response={201: TokenOut, **ERRORS},
    summary="Log an app client in (password or SMS code) and issue a bearer token",
)
def token_create(request: HttpRequest, payload: TokenIn) -> Status:
    if payload.phone and payload.code:
        user = services.account_login_by_code(phone=payload.phone, code=payload.code)
    elif payload.username and payload.password:
        user = _password_user(request, payload.username, payload.password)
    else:
        raise CandorError(
            gettext_lazy("Send an account name and password, or a mobile number and SMS code."),
            code="credentials_missing",
        )
    token, row = tokens.token_issue(user=user, name=payload.device_name)
    after_login(request, user, event="login")
    return Status(
        201, {"token": token, "expires_at": row.expires_at, "account": selectors.session_state(user=user)}
    )


@router.delete("/tokens/current", response={204: None, **ERRORS}, summary="Log an app client out")
def token_delete(request: HttpRequest) -> Status:
    token = tokens.bearer(request)
    if token is None or not tokens.token_revoke(token=token):
        raise CandorError(gettext_lazy("Send the token to revoke."), code="invalid_token", status=401)
    return Status(204, None)


@router.post("/accounts", response={201: RegisterOut, **ERRORS}, summary="Register")
def account_create(request: HttpRequest, payload: RegisterIn) -> Status:
    if not payload.token:
        require_csrf(request)
    data = services.Registration(
        username=payload.username.strip(),
        password=payload.password,
        phone=payload.phone,
        code=payload.code,
        email=payload.email.strip(),
        birthday=payload.birthday,
        accepted_policy=payload.accept_policy,
    )
    channel = consent.Channel.API
    user = services.account_register(data=data, ip=client_ip(request), channel=channel)
    token = None
    if payload.token:
        token, _row = tokens.token_issue(user=user, name=payload.device_name)
    else:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    after_login(request, user, event="register")
    sent = send_email_verification(request, user)
    return Status(
        201,
        {
            "account": selectors.session_state(user=user),
            "token": token,
            "email_verification_sent": sent,
            "guardian_consent_required": selectors.guardian_gate(user),
        },
    )


@router.post(
    "/accounts/password/sms", response={200: SessionOut, **ERRORS}, summary="Reset the password by SMS"
)
def password_reset_sms(request: HttpRequest, payload: SmsResetIn) -> dict[str, Any]:
    services.password_reset_by_code(phone=payload.phone, code=payload.code, password=payload.password)
    return selectors.session_state(user=request.user)


@router.post(
    "/accounts/password/email", response={202: None, **ERRORS}, summary="Reset the password by e-mail"
)
def password_reset_email(request: HttpRequest, payload: EmailResetIn) -> Status:
    # Django's reset form: a link that works once, answered the same whether or not the
    # address has an account (no enumeration).
    form = PasswordResetForm({"email": payload.email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
        )
    return Status(202, None)


@router.get("/accounts/me", response={200: ProfileOut, **ERRORS}, auth=django_auth, summary="My profile")
def profile_get(request: HttpRequest) -> dict[str, Any]:
    assert isinstance(request.user, User)
    return selectors.profile_of(user=request.user)


@router.put(
    "/accounts/me", response={200: ProfileOut, **ERRORS}, auth=django_auth, summary="Change my profile"
)
def profile_put(request: HttpRequest, payload: ProfileIn) -> dict[str, Any]:
    assert isinstance(request.user, User)
    changes = payload.dict(exclude_none=True, exclude={"nickname", "clear_birthday"})
    if payload.clear_birthday:
        changes["birthday"] = None
    services.profile_update(user=request.user, nickname=payload.nickname, changes=changes)
    return selectors.profile_of(user=request.user)


@router.get(
    "/accounts/{user_id}/public", response={200: PublicProfileOut, **ERRORS}, summary="Public profile"
)
def profile_public(request: HttpRequest, user_id: int) -> dict[str, Any]:
    """What other members see (C003-03): the nickname and the avatar, nothing else."""
    user = get_object_or_404(User, pk=user_id, is_active=True)
    return selectors.public_profile(user=user)


class CancellationIn(Schema):
    code: str = Field("", max_length=12, description="the SMS code sent to the account's mobile")
    password: str = Field("", max_length=256, description="for an account without a mobile")


class CancellationOut(Schema):
    in_review: bool
    requested_at: datetime | None = None
    review_until: datetime | None = None
    on_hold: bool = False
    hold_reason: str = ""
    blockers: list[str]


def _cancellation_state(user: User) -> dict[str, Any]:
    row = cancellation.open_cancellation(user)
    return {
        "in_review": row is not None,
        "requested_at": row.requested_at if row else None,
        "review_until": row.review_until if row else None,
        "on_hold": bool(row and row.held_at),
        "hold_reason": row.hold_reason if row else "",
        "blockers": cancellation.blockers(user),
    }


@router.get(
    "/accounts/me/cancellation", response={200: CancellationOut, **ERRORS}, auth=django_auth,
    summary="Where my account cancellation stands",
)  # fmt: skip
def cancellation_get(request: HttpRequest) -> dict[str, Any]:
    assert isinstance(request.user, User)
    return _cancellation_state(request.user)


@router.post(
    "/accounts/me/cancellation", response={202: CancellationOut, **ERRORS, 409: ErrorOut}, auth=django_auth,
    summary="Cancel my account (48-hour review, then erasure)",
    description="Confirm with the SMS code sent for purpose `cancel_account` (`POST /verification/sms`), "
    "or the password when the account has no mobile. 409 `cancellation_blocked` names what blocks it.",
)  # fmt: skip
def cancellation_post(request: HttpRequest, payload: CancellationIn) -> Status:
    assert isinstance(request.user, User)
    cancellation.cancellation_request(user=request.user, code=payload.code, password=payload.password)
    return Status(202, _cancellation_state(request.user))


@router.delete(
    "/accounts/me/cancellation", response={200: CancellationOut, **ERRORS}, auth=django_auth,
    summary="Withdraw my cancellation during the review",
)  # fmt: skip
def cancellation_delete(request: HttpRequest) -> dict[str, Any]:
    assert isinstance(request.user, User)
    cancellation.cancellation_withdraw(user=request.user)
    return _cancellation_state(request.user)
