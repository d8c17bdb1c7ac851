"""Pages of the privacy centre, under /me/privacy/."""

from django.urls import path

from candor.centre import views

app_name = "centre"
urlpatterns = [
    path("", views.home, name="home"),
    path("permissions/", views.permissions, name="permissions"),
    path("permissions/switch/", views.switch, name="switch"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/tags/delete/", views.tag_delete, name="tag_delete"),
    path("decisions/tags/allow/", views.tag_allow, name="tag_allow"),
    path("decisions/contest/", views.contest, name="contest"),
]
