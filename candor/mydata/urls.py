"""Pages of "my data" under /me/data/: what is held, a downloadable copy, who received it."""

from django.urls import path

from candor.mydata import views

app_name = "mydata"
urlpatterns = [
    path("", views.home, name="home"),
    path("ask-deletion/", views.ask_deletion, name="ask_deletion"),
    path("export/", views.export, name="export"),
    path("export/status/", views.export_status, name="export_status"),
    path("export/<str:token>/", views.download, name="download"),
    path("disclosures/", views.disclosures, name="disclosures"),
]
