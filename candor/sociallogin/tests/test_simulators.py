"""The WeChat and QQ simulators check what the real platforms check and answer in their shapes;
Candor's adapters read those answers through the in-process transport."""

from __future__ import annotations

import pytest
import requests
from django.conf import settings
from django.urls import reverse

from candor.integrations.oauth import transport
from candor.integrations.oauth.platforms import USERS
from candor.sociallogin.providers.endpoints import REAL, SIMULATED, endpoint
from candor.sociallogin.tests.conftest import code_for

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/accounts/connect/weixin/login/callback/"
QQ_CALLBACK = "http://testserver/accounts/connect/qq/login/callback/"
WECHAT = settings.SOCIALACCOUNT_PROVIDERS["weixin"]["APP"]
QQ = settings.SOCIALACCOUNT_PROVIDERS["qq"]["APP"]


@pytest.fixture
def http():
    with transport.mount(requests.Session()) as session:
        yield session


def _wechat_token(http, code, *, secret=WECHAT["secret"], appid=WECHAT["client_id"]):
    return http.get(
        endpoint("weixin", "access_token"),
        params={"appid": appid, "secret": secret, "code": code, "grant_type": "authorization_code"},
    ).json()


def test_wechat_code_exchange_and_userinfo_return_the_whole_profile(client, http):
    token = _wechat_token(http, code_for(client, user="lixiaolong", redirect_uri=CALLBACK))
    li = USERS["lixiaolong"]
    assert token["openid"] == li.openid(WECHAT["client_id"]) and token["unionid"] == li.unionid
    assert token["scope"] == "snsapi_login" and token["expires_in"] == 7200
    info = http.get(
        endpoint("weixin", "userinfo"),
        params={"access_token": token["access_token"], "openid": token["openid"]},
    )
    profile = info.json()
    assert profile["nickname"] == "李小龙" and profile["sex"] == 1 and profile["city"] == "深圳"
    assert {"province", "country", "headimgurl", "privilege", "unionid"} <= set(profile)


def test_wechat_refuses_a_wrong_secret(client, http):
    code = code_for(client, redirect_uri=CALLBACK)
    assert _wechat_token(http, code, secret="wrong") == {"errcode": 40125, "errmsg": "invalid appsecret"}
    assert _wechat_token(http, code, appid="wx-somebody-else")["errcode"] == 40013


def test_wechat_refuses_a_reused_code(client, http):
    code = code_for(client, redirect_uri=CALLBACK)
    assert "access_token" in _wechat_token(http, code)
    assert _wechat_token(http, code) == {"errcode": 40163, "errmsg": "code been used"}
    assert _wechat_token(http, code + "x")["errcode"] == 40029


def test_wechat_refuses_a_foreign_redirect_uri_and_an_unknown_app(client):
    base = "/_sim/oauth/wechat/connect/qrconnect"
    params = {"appid": WECHAT["client_id"], "response_type": "code", "scope": "snsapi_login", "state": "s"}
    evil = client.get(base, {**params, "redirect_uri": "https://evil.example/steal"})
    assert evil.status_code == 400 and "redirect_uri" in evil.content.decode()
    assert (
        client.post(
            base + "?" + _qs({**params, "redirect_uri": "https://evil.example/"}),
            {"user": "alice", "decision": "allow"},
        ).status_code
        == 400
    )
    assert client.get(base, {**params, "appid": "wx-unknown", "redirect_uri": CALLBACK}).status_code == 400


def test_wechat_userinfo_refuses_another_openid_and_a_bad_token(client, http):
    token = _wechat_token(http, code_for(client, redirect_uri=CALLBACK))
    url = endpoint("weixin", "userinfo")
    other = USERS["alice"].openid(WECHAT["client_id"])
    assert (
        http.get(url, params={"access_token": token["access_token"], "openid": other}).json()["errcode"]
        == 40003
    )
    assert http.get(url, params={"access_token": "forged", "openid": other}).json()["errcode"] == 40001


def test_qq_token_me_and_user_info(client, http):
    code = code_for(client, platform="qq", user="alice", redirect_uri=QQ_CALLBACK)
    token_params = {**_qq_token_params(), "code": code}
    token = http.get(endpoint("qq", "access_token"), params=token_params).json()
    assert set(token) == {"access_token", "expires_in", "refresh_token"}
    me = http.get(endpoint("qq", "me"), params={"access_token": token["access_token"], "fmt": "json"}).json()
    assert me == {"client_id": QQ["client_id"], "openid": USERS["alice"].openid(QQ["client_id"])}
    info = http.get(
        endpoint("qq", "userinfo"),
        params={
            "access_token": token["access_token"],
            "oauth_consumer_key": QQ["client_id"],
            "openid": me["openid"],
        },
    ).json()
    assert info["ret"] == 0 and info["nickname"] == "Alice" and info["gender"] == "女"
    assert {"figureurl_qq", "figureurl_qq_1", "province", "city", "year", "vip"} <= set(info)
    # Without fmt=json, /me answers JSONP as the real service does.
    jsonp = http.get(endpoint("qq", "me"), params={"access_token": token["access_token"]}).text
    assert jsonp.startswith("callback( {")


def test_qq_refuses_wrong_secret_reused_code_and_other_redirect_uri(client, http):
    url = endpoint("qq", "access_token")
    base = _qq_token_params()
    code = code_for(client, platform="qq", redirect_uri=QQ_CALLBACK)
    assert http.get(url, params={**base, "code": code, "client_secret": "wrong"}).json()["error"] == 100009
    assert (
        http.get(url, params={**base, "code": code, "redirect_uri": "http://testserver/else/"}).json()[
            "error"
        ]
        == 100010
    )
    assert "access_token" in http.get(url, params={**base, "code": code}).json()
    assert http.get(url, params={**base, "code": code}).json() == {
        "error": 100020,
        "error_description": "code is reused error",
    }
    evil = {"response_type": "code", "client_id": QQ["client_id"], "redirect_uri": "https://evil.example/"}
    page = client.get("/_sim/oauth/qq/oauth2.0/authorize", evil)
    assert page.status_code == 400 and "100010" in page.content.decode()


def test_the_authorize_page_is_a_real_page(client, flow):
    _url, page = flow.authorize("weixin")
    html = page.content.decode()
    for testid in ("sim-authorize", "sim-allow", "sim-deny", "sim-user-lixiaolong", "sim-scopes"):
        assert f'data-testid="{testid}"' in html
    assert "snsapi_login" in html and "csrfmiddlewaretoken" in html and "<script>" not in html


def test_endpoints_follow_the_simulator_switch(settings):
    settings.CANDOR_SIMULATORS = False
    assert (
        endpoint("weixin", "access_token")
        == REAL["weixin"]["access_token"]
        == "https://api.weixin.qq.com/sns/oauth2/access_token"
    )
    assert endpoint("qq", "authorize") == "https://graph.qq.com/oauth2.0/authorize"
    settings.CANDOR_SIMULATORS = True
    assert endpoint("qq", "me") == SIMULATED["qq"]["me"]
    providers = {**settings.SOCIALACCOUNT_PROVIDERS}
    providers["qq"] = {**providers["qq"], "ENDPOINTS": {"me": "https://proxy.example/qq/me"}}
    settings.SOCIALACCOUNT_PROVIDERS = providers
    assert endpoint("qq", "me") == "https://proxy.example/qq/me"


def test_the_transport_reaches_only_the_simulators(http):
    with pytest.raises(requests.ConnectionError):
        http.get(transport.SIMULATOR_ORIGIN + reverse("sociallogin:bindings"))


def _qs(params):
    from urllib.parse import urlencode

    return urlencode(params)


def _qq_token_params():
    return {
        "grant_type": "authorization_code",
        "client_id": QQ["client_id"],
        "client_secret": QQ["secret"],
        "redirect_uri": QQ_CALLBACK,
        "fmt": "json",
    }
