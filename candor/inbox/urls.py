"""我的—消息 under /me/messages/."""

from django.urls import path

from candor.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox_page, name="list"),
    path("<int:message_id>/read/", views.message_read, name="read"),
    path("<int:message_id>/delete/", views.message_delete, name="delete"),
]
