"""The simulators' endpoints, mounted under /_sim/ (see settings.CANDOR_SIMULATORS)."""

from django.urls import include, path

urlpatterns = [
    path("sms/", include("candor.integrations.sms.urls")),
    path("identity/", include("candor.integrations.identity.urls")),
    path("oauth/", include("candor.integrations.oauth.urls")),
    path("pay/", include("candor.integrations.payment.urls")),
    path("carrier/", include("candor.integrations.carrier.urls")),
]
