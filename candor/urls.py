from django.conf import settings
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
    path("accounts/", include("candor.accounts.urls")),
    path("accounts/identity/", include("candor.identity.urls")),
    path("accounts/addresses/", include("candor.addresses.urls")),
    path("accounts/devices/", include("candor.devices.urls")),
    path("accounts/verification/", include("candor.verification.urls")),
    path("accounts/connect/", include("candor.sociallogin.urls")),
    path("staff/", include("candor.staff.urls")),
    path("", include("candor.storefront.urls")),
]

if settings.CANDOR_SIMULATORS:
    urlpatterns.insert(0, path("_sim/", include("candor.integrations.urls")))

handler500 = "candor.storefront.views.server_error"
