"""Third-party login under /accounts/connect/.

Mounted here: the WeChat and QQ login and callback endpoints (allauth's URL names
``weixin_login``, ``weixin_callback``, ``qq_login``, ``qq_callback``), Candor's binding page
(namespace ``sociallogin``), and the URL names allauth's social flow may reverse, each sent to
Candor's own pages. allauth's account pages (``allauth.urls``) are deliberately not mounted:
Candor has its own registration and login (see ``adapter.py``).

No module-level ``app_name``: allauth reverses its names without a namespace.
"""

from django.urls import include, path
from django.views.generic import RedirectView

from candor.sociallogin import views

candor_patterns = (
    [
        path("bindings/", views.bindings, name="bindings"),
        path("bindings/<slug:provider>/unbind/", views.unbind, name="unbind"),
    ],
    "sociallogin",
)

urlpatterns = [
    path("", include(candor_patterns)),
    path("", include("candor.sociallogin.providers.weixin.urls")),
    path("", include("candor.sociallogin.providers.qq.urls")),
    # Names allauth reverses, answered by Candor's pages.
    path("cancelled/", views.login_cancelled, name="socialaccount_login_cancelled"),
    path("signup/", RedirectView.as_view(pattern_name="login"), name="socialaccount_signup"),
    path(
        "connections/",
        RedirectView.as_view(pattern_name="sociallogin:bindings"),
        name="socialaccount_connections",
    ),
    path("login/", RedirectView.as_view(pattern_name="login"), name="account_login"),
    path("inactive/", RedirectView.as_view(pattern_name="login"), name="account_inactive"),
]
