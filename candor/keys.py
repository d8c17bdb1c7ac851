"""Laptop keys: generated once into the ignored ``var/`` folder, never committed.

Production sets ``CANDOR_SECRET_KEY`` and ``CANDOR_MASTER_KEY`` in the environment; a
newcomer sets nothing and still gets keys that survive restarts (so sessions and encrypted
rows stay readable), without a shared default key ever existing in the repository.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def read_or_create(path: Path, make: Callable[[], str]) -> str:
    """Return the key stored at ``path``, creating it (mode 0600) on first use."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    # O_EXCL: two processes starting at once (web + worker) must not write different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def new_secret_key() -> str:
    return secrets.token_urlsafe(50)


def new_master_key() -> str:
    """A versioned AES-256 master key: ``v1:<base64 of 32 random bytes>``."""
    return "v1:" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_rsa_private_key() -> str:
    """A 2048-bit RSA private key, PKCS#8 PEM: a laptop's stand-in for a merchant's signing key
    at a payment institution, and the simulated institution's own."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
