from django.urls import path

from candor.storefront import views

app_name = "storefront"
urlpatterns = [
    path("", views.home, name="home"),
    path("contact/", views.contact, name="contact"),
    path("me/", views.me, name="me"),
]
