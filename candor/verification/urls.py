from django.urls import path

from candor.verification import views

app_name = "verification"
urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
]
