"""Payment endpoints, under /payments/."""

from django.urls import path

from candor.payments import views

app_name = "payments"
urlpatterns = [
    path("notify/<str:provider>/", views.notify, name="notify"),
]
