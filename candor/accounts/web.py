"""Request-level steps shared by the pages and the API: the client's address, what happens
after every login (device record, language), and the e-mail verification link (allauth)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.core import context
from django.db import transaction
from django.http import HttpRequest

from candor.accounts.models import User
from candor.devices import network
from candor.devices import services as devices


def client_ip(request: HttpRequest) -> str:
    """The address the rate limits count: the same reading as the device log's (REMOTE_ADDR,
    or the trusted proxy hop of CANDOR_TRUSTED_PROXY_HOPS), "" when it is not an address."""
    return network.client_ip(request) or ""


def after_login(request: HttpRequest, user: User, *, event: str) -> None:
    devices.device_record(request=request, user=user, event=event)


def send_email_verification(request: HttpRequest, user: User) -> bool:
    """Send allauth's verification link for the account's address, after the account commits."""
    if not user.email:
        return False
    with transaction.atomic():
        address, _created = EmailAddress.objects.get_or_create(
            user=user, email=user.email.lower(), defaults={"primary": True, "verified": False}
        )
    if address.verified:
        return False
    transaction.on_commit(lambda: _send(request, address))
    return True


def _send(request: HttpRequest, address: EmailAddress) -> None:
    # After the commit the request may be over (allauth reads it from its context variable).
    with context.request_context(request):
        address.send_confirmation(request, signup=True)


def email_verified(user: User) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
