"""The WeChat OAuth 2.0 adapter: allauth's, with endpoints from ``endpoints`` and UTF-8 read as
UTF-8.

allauth's adapter re-decodes the nickname on the assumption that the answer was mis-read as
Latin-1; that turns a correctly decoded Chinese nickname into escape sequences. Here the JSON
is decoded from the response's bytes as UTF-8, which is what the platform sends. The token
request uses GET, as the platform documents it.
"""

from __future__ import annotations

import json
from typing import Any

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.weixin.views import WeixinOAuth2Adapter
from django.http import HttpRequest

from candor.sociallogin.providers.endpoints import endpoint


class WeChatOAuth2Adapter(WeixinOAuth2Adapter):
    access_token_method = "GET"  # noqa: S105 (the HTTP verb, not a secret)

    @property
    def authorize_url(self) -> str:  # type: ignore[override]
        return endpoint("weixin", "authorize")

    @property
    def access_token_url(self) -> str:  # type: ignore[override]
        return endpoint("weixin", "access_token")

    @property
    def profile_url(self) -> str:  # type: ignore[override]
        return endpoint("weixin", "userinfo")

    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> Any:
        openid = kwargs.get("response", {}).get("openid")
        with get_adapter().get_requests_session() as session:
            resp = session.get(self.profile_url, params={"access_token": token.token, "openid": openid})
            resp.raise_for_status()
            data = json.loads(resp.content.decode("utf-8"))
        if data.get("errcode"):
            raise OAuth2Error(f"userinfo: {data.get('errcode')} {data.get('errmsg', '')}")
        return self.get_provider().sociallogin_from_response(request, data)


oauth2_login = OAuth2LoginView.adapter_view(WeChatOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(WeChatOAuth2Adapter)
