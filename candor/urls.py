from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from candor.api.root import api

admin.site.site_header = _("Candor back office")
admin.site.site_title = _("Candor")
admin.site.index_title = _("Mall, privacy and service administration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", auth_views.LoginView.as_view(template_name="storefront/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("privacy/", include("candor.privacy.urls")),
    path("", include("candor.storefront.urls")),
]

handler500 = "candor.storefront.views.server_error"
