from django.urls import path

from candor.devices import views

app_name = "devices"
urlpatterns = [
    path("", views.device_list, name="list"),
]
