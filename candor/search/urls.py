from django.urls import path

from candor.search import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
    path("history/<int:entry_id>/delete/", views.history_delete, name="history_delete"),
    path("history/clear/", views.history_clear, name="history_clear"),
]
