"""allauth, limited to WeChat and QQ login and binding.

Candor has its own registration and login pages (``/accounts/register/``, ``/login/``);
allauth must not become a second login system. So:

- ``candor.sociallogin.urls`` mounts only the providers' login and callback endpoints, never
  ``allauth.urls``; the few URL names allauth's social flow may reverse (``account_login``,
  ``socialaccount_signup``, ``socialaccount_connections`` …) redirect to Candor's pages.
- ``AccountAdapter.is_open_for_signup`` is False: allauth creates no local account by itself.
  A first third-party login still creates one, through ``SocialAccountAdapter``, which is open
  for sign-up, always signs up automatically (no allauth sign-up form), generates the account
  name and copies the platform nickname to ``User.nickname`` as the display name. The new
  person has accepted no policy yet, so Candor's ``PolicyConsentMiddleware`` sends them to the
  accept page on their next request (C001-18: binding works after the user agrees).
- Binding while logged in goes through ``services.binding_add`` instead of allauth's connect
  flow, so the same rules and audit apply to web and API.
- ``get_requests_session`` mounts the in-process simulator transport when simulators are on.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from candor.errors import CandorError
from candor.sociallogin import services


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Local sign-up is Candor's registration page, never allauth's.
        return False

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        # Logins through allauth (WeChat, QQ) go into the device list like Candor's own.
        from candor.accounts.web import after_login

        after_login(request, user, event="register" if kwargs.get("signup") else "login")
        return super().post_login(request, user, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]) -> Any:
        user = sociallogin.user
        user.username = services.username_generate(provider=sociallogin.account.provider)
        user.nickname = str(data.get("nickname") or "")[:64]
        user.email = ""
        return user

    @transaction.atomic
    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        services.social_signup_record(account=sociallogin.account)
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            self._bind(request, sociallogin)  # always answers with a redirect
        if sociallogin.is_existing:
            services.social_login_record(account=sociallogin.account)

    def _bind(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        target = reverse("sociallogin:bindings")
        if not request.user.is_authenticated:
            raise ImmediateHttpResponse(
                HttpResponseRedirect(settings.LOGIN_URL and reverse(settings.LOGIN_URL))
            )
        try:
            services.binding_add(user_id=request.user.pk, sociallogin=sociallogin)
        except CandorError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request, _("%(platform)s is bound to your account.") % {"platform": _platform(sociallogin)}
            )
        raise ImmediateHttpResponse(HttpResponseRedirect(target))

    def get_connect_redirect_url(self, request: HttpRequest, socialaccount: Any) -> str:
        return reverse("sociallogin:bindings")

    def get_requests_session(self) -> Any:
        session = super().get_requests_session()
        if settings.CANDOR_SIMULATORS:
            from candor.integrations.oauth import transport

            transport.mount(session)
        return session


def _platform(sociallogin: SocialLogin) -> str:
    from candor.sociallogin.selectors import PLATFORMS

    return str(PLATFORMS.get(sociallogin.account.provider, sociallogin.account.provider))
