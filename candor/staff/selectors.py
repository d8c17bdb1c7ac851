"""Reads of the staff second factor: a user's devices, the enrolment QR code, the current code."""

from __future__ import annotations

import base64
from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user: Any) -> TOTPDevice | None:
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice | None:
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_data_url(device: TOTPDevice) -> str:
    """The ``otpauth://`` URI as an SVG QR code in a ``data:`` URL: the page's CSP allows
    ``img-src data:``, and an image needs no inline style or script."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def current_token(device: TOTPDevice) -> str:
    """The code the device's authenticator shows now (for the demo's command only)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
