"""``candor.storefront.csp.CSPMiddleware`` writes what django-csp's own middleware writes, for
the site-wide policy (built once) and for every answer that changes it (built each time)."""

from __future__ import annotations

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from candor.storefront.csp import CSPMiddleware, site_headers


def _both(response_for):  # type: ignore[no-untyped-def]
    """The headers of (ours, django-csp's) for the same request and answer."""
    out = []
    for middleware in (CSPMiddleware, DjangoCSPMiddleware):
        request = RequestFactory().get("/products/")
        mw = middleware(lambda r: response_for(r))
        mw.process_request(request)
        response = mw.process_response(request, response_for(request))
        out.append((response.get(HEADER), response.get(HEADER_REPORT_ONLY)))
    return out


def test_the_site_policy_is_django_csps():
    ours, theirs = _both(lambda r: HttpResponse("x"))
    assert ours == theirs and "default-src 'self'" in ours[0]


@pytest.mark.parametrize(
    "change",
    [
        {"_csp_update": {"form-action": ["https://pay.example"]}},
        {"_csp_replace": {"img-src": ["https://img.example"]}},
        {"_csp_exempt": True},
    ],
)
def test_an_answer_that_changes_the_policy_gets_it_changed(change):
    def answer(request):  # type: ignore[no-untyped-def]
        response = HttpResponse("x")
        for name, value in change.items():
            setattr(response, name, value)
        return response

    ours, theirs = _both(answer)
    assert ours == theirs
    assert ours[0] != site_headers()[0]


@override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": ["'self'", NONCE]}})
def test_a_nonce_asked_for_goes_into_the_header():
    def answer(request):  # type: ignore[no-untyped-def]
        str(request.csp_nonce)  # a template asked for it
        return HttpResponse("x")

    request = RequestFactory().get("/")
    mw = CSPMiddleware(answer)
    mw.process_request(request)
    response = mw.process_response(request, answer(request))
    assert f"script-src 'self' 'nonce-{request._csp_nonce}'" in response[HEADER]


def test_a_changed_setting_is_seen():
    before = site_headers()[0]
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        ours, theirs = _both(lambda r: HttpResponse("x"))
        assert ours == theirs == ("default-src 'none'", None)
    assert site_headers()[0] == before
