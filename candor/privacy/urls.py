from django.urls import path

from candor.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.policy_page, name="policy"),
    path("versions/", views.versions_page, name="versions"),
    path("versions/<str:number>/", views.version_page, name="version"),
    path("versions/<str:old>/diff/<str:new>/", views.diff_page, name="diff"),
    path("collection/", views.collection_page, name="collection"),
    path("sharing/", views.sharing_page, name="sharing"),
    path("accept/", views.accept_page, name="accept"),
]
