"""The one interface Candor collects and refunds money through, and the configured gateways.

The caller (``candor.payments``) builds a ``PayOrder`` from the disclosure payload and nothing
else — the purchase number, the amount and a subject line that names no one — and gets back a
``PayStart``: where the buyer's browser goes to pay, or (WeChat Pay) the QR code the buyer scans
with the institution's app. The institution then tells Candor the outcome by an asynchronous
notification, which ``verify_notice`` checks (signature, and for WeChat Pay decryption) and
turns into a ``PayNotice``; whatever a notification carries beyond that (buyer ids, masked card
numbers) is dropped here and never reaches Candor's tables. No payment product that needs more
of the buyer is used: WeChat Pay's H5 payment wants the buyer's network address, so Candor
takes its Native (QR code) payment instead.

Amounts are fen (integers) on this side of the interface, whatever the institution writes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.integrations.sms.transport import SCHEME as INPROCESS

TIMEOUT = (3.05, 15)  # connect, read: the institutions answer within seconds or not at all


@dataclass(frozen=True)
class PayOrder:
    out_trade_no: str  # Candor's purchase number (digits, <= 32 chars)
    amount_fen: int
    subject: str  # non-personal subject line, e.g. "Candor 订单 2026…"


@dataclass(frozen=True)
class PayStart:
    url: str
    method: str  # "GET" (redirect), "POST" (auto-submitted form of `fields`) or "QR" (show `qr`)
    fields: dict[str, str]
    # A code the buyer scans with the institution's app (WeChat Pay Native's ``code_url``), to be
    # shown as a QR code. Then ``method`` is "QR" and ``url`` empty — except when the institution
    # is the simulator, where ``url`` (GET) is its pay page, what scanning the code would open.
    qr: str = ""


@dataclass(frozen=True)
class PayNotice:
    out_trade_no: str
    amount_fen: int
    provider_trade_no: str
    paid: bool  # the buyer paid this trade (TRADE_SUCCESS / SUCCESS / respCode 00 …)
    notice_id: str  # the provider's id for this notification (notify_id, event id, queryId)
    paid_at: datetime | None


@dataclass(frozen=True)
class RefundResult:
    refund_no: str
    provider_refund_no: str
    succeeded: bool  # the institution accepted the refund; False: it refused (see the adapter)


class NoticeRejected(Exception):
    """A notification that cannot be trusted: bad signature, undecryptable, malformed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PaymentUnavailable(CandorError):
    """The institution could not be reached, refused Candor's credentials, or answered with
    something that does not verify: nothing was started or refunded."""

    status = 503
    code = "payment_unavailable"

    def __init__(self, detail: str = "") -> None:
        super().__init__(_("The payment service cannot be reached just now. Please try again later."))
        self.detail = detail  # the provider's code, for the log; never shown to the user


class PaymentGateway(ABC):
    name: str  # "alipay" | "wechatpay" | "unionpay"

    @abstractmethod
    def start(self, order: PayOrder, *, notify_url: str, return_url: str) -> PayStart:
        """Where the buyer's browser goes to pay ``order``; the outcome is posted to
        ``notify_url`` and the browser comes back to ``return_url``."""

    @abstractmethod
    def verify_notice(self, *, headers: Mapping[str, str], body: bytes) -> PayNotice:
        """The notification ``body`` (raw bytes) with its HTTP ``headers``, verified; raises
        ``NoticeRejected``."""

    @abstractmethod
    def notice_ack(self, *, ok: bool) -> tuple[int, str, bytes]:
        """The answer the institution expects: (status, content type, body). ``ok=False``
        asks it to send the notification again later."""

    @abstractmethod
    def refund(
        self,
        *,
        out_trade_no: str,
        refund_no: str,
        amount_fen: int,
        total_fen: int,
        provider_trade_no: str = "",
    ) -> RefundResult:
        """Refund ``amount_fen`` of the trade (``total_fen`` paid in all); ``refund_no`` is
        Candor's idempotency key for this refund. ``provider_trade_no`` (the PayNotice's) is
        required by UnionPay, which refunds by its own transaction id. Raises
        ``PaymentUnavailable``; a refusal (more than was paid, …) is ``succeeded=False``."""


GATEWAYS = {
    "alipay": "candor.integrations.payment.alipay.Alipay",
    "wechatpay": "candor.integrations.payment.wechatpay.WechatPay",
    "unionpay": "candor.integrations.payment.unionpay.UnionPay",
}


def gateway(name: str) -> PaymentGateway:
    """The gateway called ``name``, configured from ``settings.CANDOR_PAYMENT``."""
    if name not in GATEWAYS:
        raise ValueError(f"payment gateway must be one of {sorted(GATEWAYS)}, not {name!r}")
    gateway_class: type[PaymentGateway] = import_string(GATEWAYS[name])
    return gateway_class()


def browser_url(url: str) -> str:
    """The address a buyer's browser can open for an institution's page at ``url``.

    An in-process endpoint is this very site, which the browser reaches by a relative URL;
    a real institution's page is its own absolute URL.
    """
    parts = urlsplit(url)
    if parts.scheme == INPROCESS:
        return urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    return url
