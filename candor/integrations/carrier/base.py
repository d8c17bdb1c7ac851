"""The one interface Candor hands parcels to a carrier through, and the configured gateway.

Orders and fulfillment call only what is here. A gateway creates the electronic waybill (电子面单)
for an order — the recipient and the items it receives are the payload
``candor.privacy.disclosure.disclose`` built for the logistics recipient, nothing more — asks
for a waybill's tracking events, and verifies the tracking pushes the carrier posts to Candor's
callback. Events come back as ``TrackEvent`` with one of five states, whatever codes the
carrier uses, and with aware datetimes (carriers in China send Beijing time without a zone).

A push carries every event of a waybill so far, not only the new one (Kdniao pushes the full
trace each time), so the receiver keeps what it has not seen and ignores the rest.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError

# The states of a parcel, in the order a normal delivery goes through them; "problem" (问题件:
# refused, lost, returned, overdue) can come at any point.
COLLECTED = "collected"
IN_TRANSIT = "in_transit"
OUT_FOR_DELIVERY = "out_for_delivery"
DELIVERED = "delivered"
PROBLEM = "problem"
STATES = (COLLECTED, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED, PROBLEM)


@dataclass(frozen=True)
class TrackEvent:
    at: datetime  # aware (UTC)
    state: str  # one of STATES
    description: str  # the carrier's text (Chinese, as carriers send it)
    location: str  # the city the carrier names, or ""


@dataclass(frozen=True)
class Waybill:
    carrier_code: str  # e.g. "SF", "ZTO", "YTO" (Kdniao ShipperCode)
    waybill_no: str  # LogisticCode


@dataclass(frozen=True)
class TrackUpdate:
    """One waybill's events from a verified push, oldest first."""

    waybill_no: str
    events: list[TrackEvent]


class PushRejected(Exception):
    """A push that is not the carrier's (bad DataSign) or cannot be read: nothing in it is used."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # a short code for the log: signature, content_type, malformed …


class CarrierUnavailable(CandorError):
    """The carrier refused or could not be reached: no waybill exists, nothing was kept."""

    status = 503
    code = "carrier_unavailable"

    def __init__(self, detail: str = "") -> None:
        super().__init__(_("The carrier could not be reached just now. Please try again later."))
        self.detail = detail  # the carrier's result code or the exception name; never shown


class CarrierGateway(ABC):
    name: str

    @abstractmethod
    def create_waybill(
        self,
        *,
        order_no: str,
        recipient: Mapping[str, str],
        items: Sequence[Mapping[str, object]],
        sender: Mapping[str, str],
        carrier_code: str = "",
    ) -> Waybill:
        """Create the electronic waybill of one order. ``recipient`` and ``sender`` have the keys
        name, mobile, province, city, district, address; ``items`` are ``{"name", "quantity"}``.
        ``carrier_code`` "" means the configured default carrier. Asking again for the same
        ``order_no`` answers the waybill created the first time. Raises ``CarrierUnavailable``."""

    @abstractmethod
    def track(self, *, carrier_code: str, waybill_no: str) -> list[TrackEvent]:
        """The waybill's events so far, oldest first ([] before collection).
        Raises ``CarrierUnavailable``."""

    @abstractmethod
    def verify_push(self, *, body: bytes, content_type: str) -> list[TrackUpdate]:
        """The updates of a tracking push, from the raw request body, once its signature is
        verified. Raises ``PushRejected``."""

    @abstractmethod
    def push_ack(self, *, ok: bool) -> tuple[int, str, bytes]:
        """The answer the carrier expects to a push: HTTP status, content type, body. A push
        answered with ``ok=False`` is sent again later by the carrier."""


GATEWAYS = {"kdniao": "candor.integrations.carrier.kdniao.KdniaoGateway"}


def gateway() -> CarrierGateway:
    """The gateway ``settings.CANDOR_CARRIER["gateway"]`` names, configured from settings."""
    name = settings.CANDOR_CARRIER["gateway"]
    if name not in GATEWAYS:
        raise ValueError(f'CANDOR_CARRIER["gateway"] must be one of {sorted(GATEWAYS)}, not {name!r}')
    gateway_class: type[CarrierGateway] = import_string(GATEWAYS[name])
    return gateway_class()
