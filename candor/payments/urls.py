"""Payment endpoints and pages, under /payments/."""

from django.urls import path

from candor.payments import views

app_name = "payments"
urlpatterns = [
    path("notify/<str:provider>/", views.notify, name="notify"),
    path("<str:number>/pay/", views.pay, name="pay"),
    path("<str:number>/return/", views.payment_return, name="return"),
    path("<str:number>/remittance/", views.remittance, name="remittance"),
]
