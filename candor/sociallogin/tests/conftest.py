"""Drive WeChat and QQ logins through Candor and the platform simulators with the test client."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

SIM_PATHS = {"weixin": "/_sim/oauth/wechat/", "qq": "/_sim/oauth/qq/"}


class Flow:
    def __init__(self, client):
        self.client = client

    def authorize(self, provider: str, *, process: str = "login"):
        """Start a login and land on the simulated platform's authorize page."""
        start = self.client.post(reverse(f"{provider}_login"), {"process": process})
        assert start.status_code == 302, start.content
        authorize_url = start["Location"]
        assert authorize_url.startswith(SIM_PATHS[provider])
        page = self.client.get(authorize_url)
        assert page.status_code == 200
        return authorize_url, page

    def login(
        self, provider: str, *, user: str = "lixiaolong", process: str = "login", decision: str = "allow"
    ):
        """The whole round trip; returns Candor's answer to the callback."""
        authorize_url, _page = self.authorize(provider, process=process)
        answer = self.client.post(authorize_url, {"user": user, "decision": decision})
        assert answer.status_code == 302
        callback = answer["Location"]
        assert urlsplit(callback).path == reverse(f"{provider}_callback")
        return self.client.get(callback)


def code_for(client, *, platform: str = "wechat", user: str = "lixiaolong", redirect_uri: str) -> str:
    """A code from the simulator's authorize page, as an app's SDK would receive it."""
    from django.conf import settings

    provider = {"wechat": "weixin", "qq": "qq"}[platform]
    appid = settings.SOCIALACCOUNT_PROVIDERS[provider]["APP"]["client_id"]
    if platform == "wechat":
        url = "/_sim/oauth/wechat/connect/qrconnect?" + _q(
            appid=appid, redirect_uri=redirect_uri, response_type="code", scope="snsapi_login", state="s"
        )
    else:
        url = "/_sim/oauth/qq/oauth2.0/authorize?" + _q(
            client_id=appid, redirect_uri=redirect_uri, response_type="code", scope="get_user_info", state="s"
        )
    answer = client.post(url, {"user": user, "decision": "allow"})
    assert answer.status_code == 302, answer.content
    return parse_qs(urlsplit(answer["Location"]).query)["code"][0]


def _q(**params: str) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


@pytest.fixture
def flow(client) -> Flow:
    return Flow(client)
