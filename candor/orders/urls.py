"""Order pages: checkout, my orders, an order, under /orders/."""

from django.urls import path  # noqa: F401

app_name = "orders"
urlpatterns: list = []
