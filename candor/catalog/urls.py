from django.urls import path

from candor.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("c/<slug:slug>/", views.category_page, name="category"),
    path("m/<slug:slug>/", views.merchant_page, name="merchant"),
    path("<int:product_id>/", views.product_detail, name="detail"),
    path("history/", views.history_page, name="history"),
    path("history/<int:product_id>/delete/", views.history_delete, name="history_delete"),
    path("history/clear/", views.history_clear, name="history_clear"),
]
