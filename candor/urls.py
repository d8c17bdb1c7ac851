from allauth.account.views import ConfirmEmailView
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from candor.accounts.views import PasswordLoginView
from candor.api.root import api
from candor.social.urls import share_urlpatterns

admin.site.site_header = _("Candor back office")
admin.site.site_title = _("Candor")
admin.site.index_title = _("Mall, privacy and service administration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "login/",
        PasswordLoginView.as_view(),
        name="login",
    ),
    # allauth's e-mail verification link (the name is allauth's, not namespaced).
    path("accounts/confirm-email/<str:key>/", ConfirmEmailView.as_view(), name="account_confirm_email"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("privacy/", include("candor.privacy.urls")),
    path("accounts/", include("candor.accounts.urls")),
    path("accounts/identity/", include("candor.identity.urls")),
    path("accounts/addresses/", include("candor.addresses.urls")),
    path("accounts/devices/", include("candor.devices.urls")),
    path("accounts/verification/", include("candor.verification.urls")),
    path("accounts/connect/", include("candor.sociallogin.urls")),
    path("staff/", include("candor.staff.urls")),
    path("products/", include("candor.catalog.urls")),
    path("search/", include("candor.search.urls")),
    path("cart/", include("candor.cart.urls")),
    path("me/favorites/", include("candor.social.urls")),
    path("orders/", include("candor.orders.urls")),
    path("payments/", include("candor.payments.urls")),
    path("fulfillment/", include("candor.fulfillment.urls")),
    path("me/messages/", include("candor.inbox.urls")),
    path("me/privacy/", include("candor.centre.urls")),
    path("me/data/", include("candor.mydata.urls")),
    path("me/requests/", include("candor.service.urls")),
    path("notices/", include("candor.announcements.urls")),
    path("cookies/", include("candor.cookies.urls")),
    path("", include((share_urlpatterns, "share"))),  # /s/<token>/: a share link, no personal data
    path("", include("candor.storefront.urls")),
]

if settings.CANDOR_SIMULATORS:
    urlpatterns.insert(0, path("_sim/", include("candor.integrations.urls")))

handler500 = "candor.storefront.views.server_error"
