"""django-csp's middleware, with the site-wide policy's headers built once per settings.

django-csp builds the header text from the settings on every response (two ``asdict`` copies
and a walk over some thirty directives, about 30 µs): a tenth of a cheap API answer. Most
responses carry the site-wide policy unchanged — no per-view ``_csp_config``/``_update``/
``_replace``, no nonce, no exemption, no header of their own — and for those the two headers
are the same text every time. Any other response goes through django-csp unchanged.
"""

from __future__ import annotations

import functools
import http.client
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What django-csp reads off a response or request to change its policy for that one answer.
_RESPONSE_CHANGES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt",
    "_csp_exempt_ro",
)


@functools.cache
def site_headers() -> tuple[str, str]:
    """(Content-Security-Policy, Content-Security-Policy-Report-Only) for the settings' policy;
    "" for one that is not configured."""
    return build_policy(), build_policy(report_only=True)


@functools.cache
def _excludes_prefixes() -> bool:
    return any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    )


@receiver(setting_changed)
def _forget(setting: str, **_: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        site_headers.cache_clear()
        _excludes_prefixes.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) not in (None, False) for name in _RESPONSE_CHANGES)
            or HEADER in response
            or HEADER_REPORT_ONLY in response
            or _excludes_prefixes()
            or (
                settings.DEBUG
                and response.status_code in (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)
            )
        ):
            return super().process_response(request, response)
        header, report_only = site_headers()
        if header:
            response[HEADER] = header
        if report_only:
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
