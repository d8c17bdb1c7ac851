"""What a request says about the device and network it came from, cleaned before it is stored.

Browsers tell us their User-Agent, parsed with ``ua-parser`` (the raw string is not kept). App
clients add their own headers, each optional, each cut to its column's length with control
characters removed (a header is the client's word, never trusted as markup or as a format):

==========================  ============================================  ==========
header                      meaning                                       max length
==========================  ============================================  ==========
``X-Candor-Device-Model``   the device model, e.g. ``HUAWEI Mate 60``      64
``X-Candor-OS``             system and version, e.g. ``HarmonyOS 4.2``     64
``X-Candor-App-Version``    the app's version, e.g. ``3.1.0 (412)``        32
``X-Candor-Resolution``     screen pixels ``<width>x<height>``, e.g.       16
                            ``1260x2720`` (anything else is dropped)
``X-Candor-Carrier``        the carrier's PLMN (``46000``) or its name      64
==========================  ============================================  ==========

The language comes from ``Accept-Language`` (its first tag). The client's IP address is the
connection's, unless ``CANDOR_TRUSTED_PROXY_HOPS`` says how many reverse proxies of ours
stand in front (each appends to ``X-Forwarded-For``; only their entries are believed).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from ua_parser import parse as parse_user_agent

APP_HEADERS = {
    "device_model": ("X-Candor-Device-Model", 64),
    "os": ("X-Candor-OS", 64),
    "app_version": ("X-Candor-App-Version", 32),
    "resolution": ("X-Candor-Resolution", 16),
    "carrier": ("X-Candor-Carrier", 64),
}
USER_AGENT_LIMIT = 512  # longer strings are cut before parsing: real ones are shorter
_RESOLUTION = re.compile(r"([0-9]{2,5})\s*[xX×*]\s*([0-9]{2,5})")
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8}){0,2}")


def clean_text(value: str, limit: int) -> str:
    """Printable characters only, runs of white space as one space, at most ``limit`` long."""
    printable = "".join(ch if ch.isprintable() else " " for ch in value)
    return " ".join(printable.split())[:limit].strip()


@dataclass(frozen=True)
class DeviceInfo:
    device_model: str = ""
    os: str = ""
    app_version: str = ""
    language: str = ""
    resolution: str = ""
    carrier: str = ""
    browser: str = ""


def _version(*parts: str | None) -> str:
    return ".".join(p for p in parts if p)


def from_user_agent(user_agent: str) -> DeviceInfo:
    """Browser, OS and device model from a User-Agent string ("" where it says nothing)."""
    result = parse_user_agent(user_agent[:USER_AGENT_LIMIT])
    browser = os_name = model = ""
    if result.user_agent is not None and result.user_agent.family != "Other":
        browser = f"{result.user_agent.family} {result.user_agent.major or ''}"
    if result.os is not None and result.os.family != "Other":
        os_name = f"{result.os.family} {_version(result.os.major, result.os.minor, result.os.patch)}"
    if result.device is not None and result.device.family not in {"Other", "Spider"}:
        model = " ".join(p for p in (result.device.brand, result.device.model or result.device.family) if p)
    return DeviceInfo(
        device_model=clean_text(model, 64), os=clean_text(os_name, 64), browser=clean_text(browser, 64)
    )


def _resolution(value: str) -> str:
    found = _RESOLUTION.fullmatch(value.strip())
    return f"{int(found[1])}x{int(found[2])}" if found else ""


def _language(request: HttpRequest) -> str:
    first = request.headers.get("Accept-Language", "").split(",")[0].split(";")[0].strip()
    return first[:16] if _LANGUAGE.fullmatch(first) else ""


def device_info(request: HttpRequest) -> DeviceInfo:
    """Everything the request tells about the device: app headers first, the User-Agent for
    what they leave out."""
    parsed = from_user_agent(request.headers.get("User-Agent", ""))
    sent = {
        name: clean_text(request.headers.get(header, ""), limit)
        for name, (header, limit) in APP_HEADERS.items()
    }
    return DeviceInfo(
        device_model=sent["device_model"] or parsed.device_model,
        os=sent["os"] or parsed.os,
        app_version=sent["app_version"],
        language=_language(request),
        resolution=_resolution(sent["resolution"]),
        carrier=sent["carrier"],
        browser=parsed.browser,
    )


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address in canonical form, or None when it is not an address."""
    candidate = request.META.get("REMOTE_ADDR", "")
    hops = int(getattr(settings, "CANDOR_TRUSTED_PROXY_HOPS", 0))
    if hops > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate.strip()))
    except ValueError:
        return None


def mask_ip(value: str | None) -> str:
    """203.0.113.7 → 203.0.113.*; 2001:db8:85a3::7 → 2001:db8:85a3:*. Enough to tell a home
    network from a strange one, not enough to point at a line."""
    if not value:
        return ""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return "*"
    if isinstance(address, ipaddress.IPv4Address):
        return ".".join(str(address).split(".")[:3]) + ".*"
    groups = address.exploded.split(":")[:3]
    return ":".join(g.lstrip("0") or "0" for g in groups) + ":*"
