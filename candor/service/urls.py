from django.urls import path

from candor.service import views

app_name = "service"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("<int:request_id>/", views.request_detail, name="detail"),
    path("<int:request_id>/withdraw/", views.request_withdraw, name="withdraw"),
    path("<int:request_id>/verify/", views.request_verify, name="verify"),
]
