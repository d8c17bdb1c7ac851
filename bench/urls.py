"""Candor's URLs plus ``/bench/hello``, the baseline every benchmark is compared with, and the
catalog benchmark's raw-SQL baselines (``bench.catalog_raw``)."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from bench import catalog_raw
from candor import urls as candor_urls


def hello(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"hello": "world"})


# Candor's patterns are spliced in, not include()d, so /api/v1/ping resolves exactly as it
# does in production (no extra resolver level to pay for in the numbers).
urlpatterns = [path("bench/hello", hello), *catalog_raw.urlpatterns, *candor_urls.urlpatterns]
handler500 = candor_urls.handler500
