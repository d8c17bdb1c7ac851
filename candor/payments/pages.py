"""What the payment pages need besides the services: where institutions call back and send
the buyer back to, the QR code a buyer scans to pay (WeChat Pay Native), and the buyer's own
remittance slips (their review state, not the files)."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from candor.orders.models import Purchase
from candor.payments.models import RemittanceSlip


def return_url(request: HttpRequest, number: str) -> str:
    """Where the institution sends the buyer's browser back: the page that shows what the
    verified notification said (it marks nothing paid itself)."""
    return request.build_absolute_uri(reverse("payments:return", args=[number]))


def notify_base() -> str:
    """This site as the institutions reach it (``/payments/notify/<provider>/`` is appended)."""
    return str(settings.CANDOR_PUBLIC_BASE_URL).rstrip("/")


def qr_data_url(text: str) -> str:
    """``text`` (a ``weixin://`` code) as an SVG QR code in a ``data:`` URL: the site's CSP
    allows ``img-src data:``, and an image needs no inline style or script."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def slips_of(purchase: Purchase) -> list[RemittanceSlip]:
    return list(
        RemittanceSlip.objects.filter(purchase=purchase)
        .only("pk", "purchase_id", "status", "uploaded_at", "reviewed_at", "review_note")
        .order_by("-uploaded_at", "-id")
    )
