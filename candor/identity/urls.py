from django.urls import path

from candor.identity import views

app_name = "identity"
urlpatterns = [
    path("", views.realname, name="realname"),
    path("face/", views.face, name="face"),
    path("guardian/", views.guardian, name="guardian"),
    path("guardian/notice/", views.guardian_notice, name="guardian_notice"),
]
