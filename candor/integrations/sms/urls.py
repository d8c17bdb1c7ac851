"""The SMS providers' simulated endpoints, under /_sim/sms/ (only with CANDOR_SIMULATORS)."""

from django.urls import path

from candor.integrations.sms import views

app_name = "sim_sms"
urlpatterns = [
    path("aliyun/", views.aliyun_send, name="aliyun"),
    path("tencent/", views.tencent_send, name="tencent"),
]
