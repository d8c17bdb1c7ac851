"""Pages of announcements: /notices/."""

from django.urls import path

from candor.announcements import views

app_name = "announcements"
urlpatterns = [
    path("", views.notices_page, name="list"),
]
