"""The identity authority simulator, mounted at /_sim/identity/ (API 3.0 posts to "/")."""

from django.urls import path

from candor.integrations.identity import simulator

app_name = "sim_identity"
urlpatterns = [path("", simulator.api, name="api")]
