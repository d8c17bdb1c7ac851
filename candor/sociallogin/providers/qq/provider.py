"""A QQ Connect (QQ 互联) provider for allauth, which has none.

Protocol (wiki.connect.qq.com): the browser goes to ``/oauth2.0/authorize`` (response_type,
client_id, redirect_uri, state, scope ``get_user_info``); Candor exchanges the code at
``/oauth2.0/token`` (grant_type, client_id, client_secret, code, redirect_uri, ``fmt=json``),
asks ``/oauth2.0/me`` for the openid, then ``/user/get_user_info`` (access_token,
oauth_consumer_key = the app id, openid) for the profile. Candor keeps the nickname and the QQ
avatar (``figureurl_qq``) and the openid as ``uid``; gender, region, birth year and VIP flags
are dropped before a ``SocialAccount`` exists.
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from candor.sociallogin.providers.qq.views import QQOAuth2Adapter


class QQAccount(ProviderAccount):
    def get_avatar_url(self) -> str | None:
        return self.account.extra_data.get("avatar") or None

    def to_str(self) -> str:
        return self.account.extra_data.get("nickname") or super().to_str()


class QQProvider(OAuth2Provider):
    id = "qq"
    name = "QQ"
    account_class = QQAccount
    oauth2_adapter_class = QQOAuth2Adapter

    def get_default_scope(self) -> list[str]:
        return ["get_user_info"]

    def extract_uid(self, data: dict[str, Any]) -> str:
        return str(data["openid"])

    def extract_extra_data(self, data: dict[str, Any]) -> dict[str, str]:
        avatar = data.get("figureurl_qq") or data.get("figureurl_qq_2") or data.get("figureurl_qq_1") or ""
        return {"nickname": str(data.get("nickname") or ""), "avatar": str(avatar)}

    def extract_common_fields(self, data: dict[str, Any]) -> dict[str, str]:
        return {"nickname": str(data.get("nickname") or "")}


provider_classes = [QQProvider]
