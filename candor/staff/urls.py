from django.urls import path

from candor.staff import views

app_name = "staff"
urlpatterns = [
    path("mfa/", views.mfa, name="mfa"),
]
