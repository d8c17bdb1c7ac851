"""Delivery endpoints, under /fulfillment/."""

from django.urls import path

from candor.fulfillment import views

app_name = "fulfillment"
urlpatterns = [
    path("carrier/push/", views.carrier_push, name="carrier_push"),
]
