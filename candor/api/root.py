"""The API root: one NinjaAPI at ``/api/``, versioned routes under ``/api/v1/``.

Each app contributes a ``router`` from its ``api.py``; this module is the composition root
that mounts them, so apps never import each other's routers.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema

from candor import __version__
from candor.accounts.api import router as accounts_router
from candor.addresses.api import router as addresses_router
from candor.announcements.api import router as announcements_router
from candor.api import errors
from candor.cart.api import router as cart_router
from candor.catalog.api import router as catalog_router
from candor.centre.api import router as centre_router
from candor.cookies.api import router as cookies_router
from candor.devices.api import router as devices_router
from candor.fulfillment.api import router as fulfillment_router
from candor.identity.api import router as identity_router
from candor.mydata.api import router as mydata_router
from candor.orders.api import router as orders_router
from candor.payments.api import router as payments_router
from candor.privacy.api import router as privacy_router
from candor.search.api import router as search_router
from candor.service.api import router as service_router
from candor.social.api import router as social_router
from candor.sociallogin.api import router as sociallogin_router
from candor.staff.api import router as staff_router
from candor.verification.api import router as verification_router

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
api.add_router("/v1/", verification_router)
api.add_router("/v1/", identity_router)
api.add_router("/v1/", addresses_router)
api.add_router("/v1/", devices_router)
api.add_router("/v1/", sociallogin_router)
api.add_router("/v1/", staff_router)
api.add_router("/v1/", catalog_router)
api.add_router("/v1/", search_router)
api.add_router("/v1/", cart_router)
api.add_router("/v1/", social_router)
api.add_router("/v1/", orders_router)
api.add_router("/v1/", payments_router)
api.add_router("/v1/", fulfillment_router)
api.add_router("/v1/", centre_router)
api.add_router("/v1/", mydata_router)
api.add_router("/v1/", service_router)
api.add_router("/v1/", announcements_router)
api.add_router("/v1/", cookies_router)
