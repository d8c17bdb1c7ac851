"""Order pages: checkout, my orders, an order, under /orders/."""

from django.urls import path

from candor.orders import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("checkout/", views.checkout, name="checkout"),
    path("<str:number>/", views.order_detail, name="detail"),
    path("<str:number>/cancel/", views.order_cancel, name="cancel"),
    path("<str:number>/confirm/", views.order_confirm, name="confirm"),
    path("<str:number>/delete/", views.order_delete, name="delete"),
    path("<str:number>/tracking/refresh/", views.tracking_refresh, name="tracking_refresh"),
]
