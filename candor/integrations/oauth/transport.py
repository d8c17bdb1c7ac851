"""An in-process transport for Candor's server-to-server calls to the simulators.

Candor's adapters talk to WeChat and QQ with ``requests``, as they would in production. In the
demo and the tests the platform is Candor's own simulator, but a web process cannot reliably
call itself over HTTP (the test client has no socket; a single-threaded dev server would wait
on itself). So the simulated platform gets its own origin, ``SIMULATOR_ORIGIN``
(``http://oauth-simulator.invalid`` — ``.invalid`` can never resolve, so nothing leaves the
machine by mistake), and ``SimulatorAdapter`` is mounted on a ``requests`` session for that
origin: it builds a Django request for the same path, method, query and body, hands it to the
simulator view that the URL resolves to, and returns that view's answer as a
``requests.Response``. The adapter code above it — parameters, signatures of the calls, error
parsing — is exactly what runs against the real platform.

Only views under ``/_sim/`` are reachable this way, and the current language is restored after
the call so the simulated platform's answer cannot change the outer page's language.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils import translation
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

SIMULATOR_ORIGIN = "http://oauth-simulator.invalid"


class SimulatorAdapter(BaseAdapter):
    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(request.url or "")
        path = parts.path
        if not path.startswith("/_sim/"):
            raise requests.ConnectionError(f"no simulator at {request.url}", request=request)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        django_request = RequestFactory().generic(
            request.method or "GET",
            path,
            data=body,
            content_type=request.headers.get("Content-Type", ""),
            QUERY_STRING=parts.query,
        )
        try:
            match = resolve(path)
        except Resolver404:
            status, headers, content = 404, {"Content-Type": "text/plain"}, b"not found"
        else:
            with translation.override(translation.get_language()):
                answer = match.func(django_request, *match.args, **match.kwargs)
            status, headers, content = answer.status_code, dict(answer.items()), answer.content
        response = requests.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict(headers)
        response.encoding = get_encoding_from_headers(response.headers)
        response._content = content
        response.url = request.url or ""
        response.request = request
        response.reason = "OK" if status < 400 else "Error"
        return response

    def close(self) -> None:
        pass


def mount(session: requests.Session) -> requests.Session:
    session.mount(SIMULATOR_ORIGIN + "/", SimulatorAdapter())
    return session
