"""``inprocess://`` endpoints: the signed HTTP request served by this process's own Django.

The simulators are Django views, and during a web request no second server is listening to
call them over a socket. So an adapter whose endpoint has the ``inprocess`` scheme gets a
``requests`` session with this transport adapter mounted: the request is built, signed and
serialized exactly as it would be for the provider — method, path, headers, body bytes — and
then handed to Django's request handler (all middleware, URL routing, the simulator's view)
as a WSGI environ instead of being written to a TCP connection. The simulator therefore
verifies the very bytes that would go on the wire. Production endpoints are ``https://`` and
never touch this module.

The nested request must not disturb the outer one: it fires no request_started/finished
signals (they would close the database connection the outer transaction is using — the same
reason Django's test client leaves them out), and the active language is restored afterwards.
"""

from __future__ import annotations

import io
import sys
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.utils import translation
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

SCHEME = "inprocess"
_handler: BaseHandler | None = None


def _django() -> BaseHandler:
    global _handler
    if _handler is None:
        handler = BaseHandler()
        handler.load_middleware()
        _handler = handler
    return _handler


class InProcessTransport(BaseAdapter):
    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        url = urlsplit(request.url or "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        environ: dict[str, Any] = {
            "REQUEST_METHOD": request.method or "GET",
            # WSGI carries the decoded path as latin-1 text (PEP 3333).
            "PATH_INFO": unquote(url.path, encoding="latin-1") or "/",
            "QUERY_STRING": url.query,
            "SERVER_NAME": url.hostname or "localhost",
            "SERVER_PORT": str(url.port or 80),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": url.netloc,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        for name, value in request.headers.items():
            key = name.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            elif key != "CONTENT_LENGTH":
                environ[f"HTTP_{key}"] = value
        with translation.override(translation.get_language()):
            answer = _django().get_response(WSGIRequest(environ))
        response = requests.Response()
        response.status_code = answer.status_code
        response.reason = answer.reason_phrase
        response.headers = CaseInsensitiveDict(dict(answer.items()))
        response._content = answer.content
        response.encoding = requests.utils.get_encoding_from_headers(response.headers)
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


def session_for(endpoint: str) -> requests.Session:
    """A session for ``endpoint``; ``inprocess://`` endpoints are served in this process."""
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment sees the signed request
    if endpoint.startswith(f"{SCHEME}://"):
        session.mount(f"{SCHEME}://", InProcessTransport())
    return session
