"""The cookie page, the choice form behind the banner, and the page-view beacon."""

from django.urls import path

from candor.cookies import views

app_name = "cookies"
urlpatterns = [
    path("", views.cookie_list, name="list"),
    path("consent/", views.consent_choose, name="consent"),
    path("beacon/", views.beacon, name="beacon"),
]
