"""Candor's URLs plus ``/bench/hello``, the baseline every benchmark is compared with."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from candor import urls as candor_urls


def hello(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"hello": "world"})


# Candor's patterns are spliced in, not include()d, so /api/v1/ping resolves exactly as it
# does in production (no extra resolver level to pay for in the numbers).
urlpatterns = [path("bench/hello", hello), *candor_urls.urlpatterns]
handler500 = candor_urls.handler500
