"""Where each platform's endpoints are: the real services, or Candor's simulators.

``SOCIALACCOUNT_PROVIDERS[<provider>]["ENDPOINTS"]`` may name any endpoint explicitly (from the
environment). Otherwise the simulator's address is used when ``settings.CANDOR_SIMULATORS`` is
on, the real one when it is off. It is decided per call, not at import, so a test settings
module that switches the simulators on is honoured.

The authorize page is visited by the person's browser, so its simulated address is a path on
Candor's own site; the server-to-server endpoints go to the simulator origin, which
``candor.integrations.oauth.transport`` serves in-process.
"""

from __future__ import annotations

from django.conf import settings

from candor.integrations.oauth.transport import SIMULATOR_ORIGIN

REAL = {
    "weixin": {
        "authorize": "https://open.weixin.qq.com/connect/qrconnect",
        "access_token": "https://api.weixin.qq.com/sns/oauth2/access_token",
        "userinfo": "https://api.weixin.qq.com/sns/userinfo",
    },
    "qq": {
        "authorize": "https://graph.qq.com/oauth2.0/authorize",
        "access_token": "https://graph.qq.com/oauth2.0/token",
        "me": "https://graph.qq.com/oauth2.0/me",
        "userinfo": "https://graph.qq.com/user/get_user_info",
    },
}

SIMULATED = {
    "weixin": {
        "authorize": "/_sim/oauth/wechat/connect/qrconnect",
        "access_token": f"{SIMULATOR_ORIGIN}/_sim/oauth/wechat/sns/oauth2/access_token",
        "userinfo": f"{SIMULATOR_ORIGIN}/_sim/oauth/wechat/sns/userinfo",
    },
    "qq": {
        "authorize": "/_sim/oauth/qq/oauth2.0/authorize",
        "access_token": f"{SIMULATOR_ORIGIN}/_sim/oauth/qq/oauth2.0/token",
        "me": f"{SIMULATOR_ORIGIN}/_sim/oauth/qq/oauth2.0/me",
        "userinfo": f"{SIMULATOR_ORIGIN}/_sim/oauth/qq/user/get_user_info",
    },
}


def endpoint(provider_id: str, name: str) -> str:
    configured = settings.SOCIALACCOUNT_PROVIDERS.get(provider_id, {}).get("ENDPOINTS", {}).get(name)
    if configured:
        return str(configured)
    return (SIMULATED if settings.CANDOR_SIMULATORS else REAL)[provider_id][name]
