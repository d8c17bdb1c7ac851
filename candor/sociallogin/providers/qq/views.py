"""The QQ Connect OAuth 2.0 adapter (see ``provider.py`` for the protocol)."""

from __future__ import annotations

import json
from typing import Any

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2Adapter, OAuth2CallbackView, OAuth2LoginView
from django.http import HttpRequest

from candor.sociallogin.providers.endpoints import endpoint


def _json(content: bytes, what: str) -> dict[str, Any]:
    try:
        data = json.loads(content.decode("utf-8"))
    except ValueError as exc:
        raise OAuth2Error(f"QQ {what}: not JSON") from exc
    if not isinstance(data, dict):
        raise OAuth2Error(f"QQ {what}: not an object")
    return data


class QQOAuth2Adapter(OAuth2Adapter):
    provider_id = "qq"
    access_token_method = "GET"  # noqa: S105 (the HTTP verb, not a secret)
    scope_delimiter = ","

    @property
    def authorize_url(self) -> str:
        return endpoint("qq", "authorize")

    @property
    def access_token_url(self) -> str:  # type: ignore[override]
        return endpoint("qq", "access_token")

    def get_access_token_data(
        self, request: HttpRequest, app: Any, client: Any, pkce_code_verifier: Any = None
    ) -> Any:
        code = request.GET.get("code", "")
        data = client.get_access_token(code, extra_data={"fmt": "json"})
        self.did_fetch_access_token = True
        return data

    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> Any:
        with get_adapter().get_requests_session() as session:
            me = session.get(endpoint("qq", "me"), params={"access_token": token.token, "fmt": "json"})
            me.raise_for_status()
            ids = _json(me.content, "me")
            if ids.get("error") or not ids.get("openid"):
                raise OAuth2Error(f"QQ me: {ids.get('error')} {ids.get('error_description', '')}")
            if ids.get("client_id") != app.client_id:
                raise OAuth2Error("QQ me: the token was issued to another app")
            info = session.get(
                endpoint("qq", "userinfo"),
                params={
                    "access_token": token.token,
                    "oauth_consumer_key": app.client_id,
                    "openid": ids["openid"],
                },
            )
            info.raise_for_status()
            profile = _json(info.content, "get_user_info")
        if profile.get("ret") != 0:
            raise OAuth2Error(f"QQ get_user_info: {profile.get('ret')} {profile.get('msg', '')}")
        return self.get_provider().sociallogin_from_response(request, {**profile, "openid": ids["openid"]})


oauth2_login = OAuth2LoginView.adapter_view(QQOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(QQOAuth2Adapter)
