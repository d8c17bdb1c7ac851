from django.urls import path

from candor.addresses import views

app_name = "addresses"
urlpatterns = [
    path("", views.address_list, name="list"),
    path("add/", views.address_add, name="add"),
    path("<int:address_id>/edit/", views.address_edit, name="edit"),
    path("<int:address_id>/delete/", views.address_delete, name="delete"),
    path("<int:address_id>/default/", views.address_set_default, name="default"),
]
