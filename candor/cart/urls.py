from django.urls import path

from candor.cart import views

app_name = "cart"
urlpatterns = [
    path("", views.cart_detail, name="detail"),
    path("add/", views.cart_add, name="add"),
    path("clear/", views.cart_clear, name="clear"),
    path("<int:sku_id>/quantity/", views.cart_set_quantity, name="set_quantity"),
    path("<int:sku_id>/remove/", views.cart_remove, name="remove"),
]
