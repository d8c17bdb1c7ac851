"""Keys and certificates: the configured ones, else laptop ones generated into ``var/payment/``.

A setting holds a key as the institutions hand it out: PEM text, a path to a PEM file, or the
bare base64 their key tools print (Alipay's 密钥工具 does). Empty means "laptop": a key made once
by ``candor.keys.read_or_create`` and kept in the ignored ``var/payment/`` folder, so that a
newcomer's adapters and simulator agree without any key ever being committed. The simulator
holds the institutions' side the same way (``institution_key``); in production the simulator
is off and its keys are never made.

UnionPay does not hand out a public key but signs with a certificate that its root and middle
certificates vouch for; the laptop builds that chain too (a simulated root nobody else trusts).
"""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.x509.oid import NameOID
from django.conf import settings

from candor import keys


def _var(name: str) -> Path:
    return Path(settings.VAR_DIR) / "payment" / name


def _text(value: str) -> str:
    if "-----BEGIN" in value:
        return value
    try:
        path = Path(value)
        if path.is_file():
            return path.read_text()
    except OSError:  # a long base64 key is no file name
        pass
    return value


@cache
def _private(text: str) -> RSAPrivateKey:
    key = (
        serialization.load_pem_private_key(text.encode(), password=None)
        if "-----BEGIN" in text
        else serialization.load_der_private_key(base64.b64decode(text), password=None)
    )
    if not isinstance(key, RSAPrivateKey):
        raise ValueError("payment institutions sign with RSA keys")
    return key


@cache
def _public(text: str) -> RSAPublicKey:
    if "BEGIN CERTIFICATE" in text:
        key = x509.load_pem_x509_certificate(text.encode()).public_key()
    elif "-----BEGIN" in text:
        key = serialization.load_pem_public_key(text.encode())
    else:
        key = serialization.load_der_public_key(base64.b64decode(text))
    if not isinstance(key, RSAPublicKey):
        raise ValueError("payment institutions sign with RSA keys")
    return key


def laptop_key(name: str) -> RSAPrivateKey:
    return _private(keys.read_or_create(_var(f"{name}.pem"), keys.new_rsa_private_key))


def private_key(value: str, *, laptop: str) -> RSAPrivateKey:
    return _private(_text(value)) if value else laptop_key(laptop)


def public_key(value: str, *, laptop: str) -> RSAPublicKey:
    """The configured public key (or certificate), else the laptop key ``laptop``'s."""
    return _public(_text(value)) if value else laptop_key(laptop).public_key()


def merchant_key(provider: str) -> RSAPrivateKey:
    """Candor's signing key at ``provider``."""
    config = settings.CANDOR_PAYMENT[provider]
    setting = {"alipay": "app_private_key", "wechatpay": "private_key", "unionpay": "sign_key"}[provider]
    return private_key(config[setting], laptop=f"{provider}_merchant")


def institution_key(provider: str) -> RSAPrivateKey:
    """The simulated institution's own signing key (the simulator's side only)."""
    return laptop_key(f"{provider}_institution")


def wechatpay_apiv3_key() -> bytes:
    """The APIv3 key (32 characters) that encrypts WeChat Pay's notifications."""
    value = settings.CANDOR_PAYMENT["wechatpay"]["apiv3_key"] or keys.read_or_create(
        _var("wechatpay_apiv3_key"), lambda: secrets.token_hex(16)
    )
    if len(value.encode()) != 32:
        raise ValueError("CANDOR_WECHATPAY_APIV3_KEY must be 32 characters")
    return value.encode()


# --- UnionPay's certificates -----------------------------------------------------------------


@cache
def _certificate(text: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(text.encode())


def _issue(
    *, subject: str, key: RSAPrivateKey, issuer: x509.Certificate | None, issuer_key: RSAPrivateKey, ca: bool
) -> str:
    now = datetime.now(UTC)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Candor simulator"),
            x509.NameAttribute(NameOID.COMMON_NAME, subject),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(key.public_key())
        # UnionPay's certId is the signing certificate's serial number in decimal (11 digits).
        .serial_number(10**10 + secrets.randbelow(9 * 10**10))
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650 if ca else 1825))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def _laptop_root() -> x509.Certificate:
    key = laptop_key("unionpay_root")
    return _certificate(
        keys.read_or_create(
            _var("unionpay_root.crt"),
            lambda: _issue(
                subject="Candor simulated UnionPay root", key=key, issuer=None, issuer_key=key, ca=True
            ),
        )
    )


def _laptop_middle() -> x509.Certificate:
    root = _laptop_root()
    return _certificate(
        keys.read_or_create(
            _var("unionpay_middle.crt"),
            lambda: _issue(
                subject="Candor simulated UnionPay middle",
                key=laptop_key("unionpay_middle"),
                issuer=root,
                issuer_key=laptop_key("unionpay_root"),
                ca=True,
            ),
        )
    )


def unionpay_chain() -> tuple[x509.Certificate, x509.Certificate]:
    """The root and middle certificates that must vouch for UnionPay's signing certificate."""
    config = settings.CANDOR_PAYMENT["unionpay"]
    root = _certificate(_text(config["root_cert"])) if config["root_cert"] else _laptop_root()
    middle = _certificate(_text(config["middle_cert"])) if config["middle_cert"] else _laptop_middle()
    return root, middle


def unionpay_sign_certificate() -> x509.Certificate:
    """The simulated UnionPay's signing certificate (the key is ``institution_key``), whose
    subject names UnionPay the way the SDKs check: the third ``@`` field of the CN."""
    middle = _laptop_middle()
    cn = settings.CANDOR_PAYMENT["unionpay"]["sign_cert_cn"]
    return _certificate(
        keys.read_or_create(
            _var("unionpay_sign.crt"),
            lambda: _issue(
                subject=f"041@Z12@{cn}@00000001",
                key=institution_key("unionpay"),
                issuer=middle,
                issuer_key=laptop_key("unionpay_middle"),
                ca=False,
            ),
        )
    )
