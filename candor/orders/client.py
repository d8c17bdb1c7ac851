"""Where an order request came from, read the same way by the web checkout and the API.

The abnormal-order check (``risk.check_order``) counts orders per network address and per
device; it hashes both before storing them. The address is the one ``devices.network`` reads
(which honours the trusted proxy hops); the device is what an app says in ``X-Candor-Device``
or, for a browser, its User-Agent.
"""

from __future__ import annotations

from django.http import HttpRequest

from candor.devices.network import clean_text, client_ip
from candor.orders.checkout import ClientSignals

DEVICE_HEADER = "X-Candor-Device"
DEVICE_LIMIT = 200


def client_signals(request: HttpRequest) -> ClientSignals:
    device = request.headers.get(DEVICE_HEADER) or request.headers.get("User-Agent", "")
    return ClientSignals(ip=client_ip(request), device=clean_text(device, DEVICE_LIMIT))
