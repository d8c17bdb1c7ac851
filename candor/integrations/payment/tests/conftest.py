from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from candor.integrations.payment.base import PayOrder
from candor.integrations.payment.tests import urls
from candor.integrations.sms.transport import InProcessTransport

RETURN_URL = "http://testserver/payments/return/"


def notify_url(provider: str) -> str:
    return f"inprocess://localhost/test-notify/{provider}/"


def configure(settings, provider: str, **changes: str) -> None:
    """Change some of ``provider``'s settings for one test."""
    settings.CANDOR_PAYMENT = {
        **settings.CANDOR_PAYMENT,
        provider: {**settings.CANDOR_PAYMENT[provider], **changes},
    }


def pem(key) -> str:
    """``key`` (private or public) as PEM text, the way a setting holds it."""
    if hasattr(key, "private_bytes"):
        return key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def order(number: str = "2026120600000001", amount_fen: int = 12345) -> PayOrder:
    return PayOrder(out_trade_no=number, amount_fen=amount_fen, subject="Candor 订单 2026120600000001")


@pytest.fixture(autouse=True)
def notify_endpoint(settings, db):
    """The test URLconf with the stand-in notify endpoint, and an empty record of it."""
    settings.ROOT_URLCONF = "candor.integrations.payment.tests.urls"
    urls.RECEIVED.clear()
    urls.REJECTED.clear()
    yield
    urls.RECEIVED.clear()
    urls.REJECTED.clear()


@pytest.fixture
def wire(monkeypatch) -> list:
    """Every request an adapter sends to an ``inprocess://`` endpoint, as it would go on the wire."""
    sent: list = []
    original = InProcessTransport.send

    def send(self, request, *args, **kwargs):
        sent.append(request.copy())
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(InProcessTransport, "send", send)
    return sent


@pytest.fixture(scope="session")
def stranger_key() -> rsa.RSAPrivateKey:
    """A key nobody was told about: what an attacker signs with."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def browser() -> Client:
    return Client()
