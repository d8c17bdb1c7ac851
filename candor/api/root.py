"""The API root: one NinjaAPI at ``/api/``, versioned routes under ``/api/v1/``.

Each app contributes a ``router`` from its ``api.py``; this module is the composition root
that mounts them, so apps never import each other's routers.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema

from candor import __version__
from candor.accounts.api import router as accounts_router
from candor.api import errors
from candor.privacy.api import router as privacy_router

api = NinjaAPI(
    title="Candor API",
    version="1",
    description="The JSON API of Candor. Every error answers as "
    '`{"code", "message", "fields"}` in the language of `Accept-Language` (zh-hans or en).',
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

v1 = Router(tags=["meta"])


class PingOut(Schema):
    ok: bool
    version: str


@v1.get("/ping", response=PingOut, summary="Liveness check")
def ping(request: HttpRequest) -> dict[str, object]:
    return {"ok": True, "version": __version__}


api.add_router("/v1/", v1)
api.add_router("/v1/", accounts_router)
api.add_router("/v1/", privacy_router)
