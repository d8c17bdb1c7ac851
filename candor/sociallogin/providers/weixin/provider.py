"""allauth's WeChat ("weixin") provider with Candor's endpoints and a minimal profile.

Selected through ``SOCIALACCOUNT_PROVIDERS["weixin"]["provider_class"]``, so allauth's own
``weixin`` app stays installed and the provider id (what ``SocialAccount.provider`` holds)
stays ``weixin``. ``/sns/userinfo`` answers with openid, nickname, gender, province, city,
country, avatar, privileges and unionid; Candor keeps the nickname and the avatar address
(C002-09, C001-18) and the openid as the account's ``uid``. The rest is dropped here, before a
``SocialAccount`` exists, so it never reaches the session or the database.
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.providers.weixin.provider import WeixinAccount, WeixinProvider

from candor.sociallogin.providers.weixin.views import WeChatOAuth2Adapter


class WeChatAccount(WeixinAccount):
    def get_avatar_url(self) -> str | None:
        return self.account.extra_data.get("avatar") or None


class WeChatProvider(WeixinProvider):
    account_class = WeChatAccount
    oauth2_adapter_class = WeChatOAuth2Adapter

    def extract_extra_data(self, data: dict[str, Any]) -> dict[str, str]:
        return {"nickname": str(data.get("nickname") or ""), "avatar": str(data.get("headimgurl") or "")}

    def extract_common_fields(self, data: dict[str, Any]) -> dict[str, str]:
        # Not a username: the account name is generated (see the adapter); the nickname is
        # the display name.
        return {"nickname": str(data.get("nickname") or "")}


provider_classes = [WeChatProvider]
