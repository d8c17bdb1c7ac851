"""The simulated Kdniao, under /_sim/carrier/ (only with CANDOR_SIMULATORS)."""

from django.urls import path

from candor.integrations.carrier import views

app_name = "sim_carrier"
urlpatterns = [
    path("kdniao/api/", views.api, name="kdniao_api"),
    path("kdniao/", views.shipments, name="shipments"),
    path("kdniao/<str:waybill_no>/advance/", views.advance, name="advance"),
]
