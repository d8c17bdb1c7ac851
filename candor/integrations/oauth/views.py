"""The WeChat and QQ OAuth 2.0 simulators: the same endpoints, parameters, checks and answers as
the real platforms, for the demo and the tests (mounted under ``/_sim/oauth/`` only when
``settings.CANDOR_SIMULATORS``).

WeChat web login (open.weixin.qq.com / api.weixin.qq.com):
``/wechat/connect/qrconnect`` → ``/wechat/sns/oauth2/access_token`` → ``/wechat/sns/userinfo``.
QQ Connect (graph.qq.com): ``/qq/oauth2.0/authorize`` → ``/qq/oauth2.0/token`` →
``/qq/oauth2.0/me`` → ``/qq/user/get_user_info``.

The authorize page stands in for the platform's own page (on WeChat, the QR code scanned with
the phone): a person picks one of the fake users, sees what Candor asks for, and allows or
refuses. The profile endpoints return everything the real ones return — gender, region,
unionid, VIP flags — so the tests can show that Candor keeps only what it should.
Errors use each platform's shape: WeChat ``{"errcode", "errmsg"}`` with HTTP 200; QQ
``{"error", "error_description"}`` (``fmt=json``) or ``callback( … );`` without it, and
``{"ret", "msg"}`` from its OpenAPI.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template import engines
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from candor.integrations.oauth import platforms
from candor.integrations.oauth.platforms import USERS, Refused

WECHAT_SCOPES = {"snsapi_login", "snsapi_userinfo", "snsapi_base"}
QQ_SCOPES = {"get_user_info", "get_vip_info", "get_vip_rich_info", "list_album", "add_share"}
PLATFORM_NAMES = {"wechat": "微信 WeChat", "qq": "QQ"}


@cache
def _authorize_template() -> Any:
    # The simulator is not an installed app, so its one page is compiled from its own file
    # by the project's template engine (it extends base.html like every page).
    return engines["django"].from_string((Path(__file__).parent / "templates" / "authorize.html").read_text())


def _params(request: HttpRequest) -> Any:
    # The documents show GET; allauth's WeChat client posts a form. Both are read.
    return request.POST if request.method == "POST" else request.GET


def _with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = "&".join(p for p in (parts.query, urlencode(params)) if p)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _authorize(
    request: HttpRequest, *, platform: str, appid: str, redirect_uri: str, scopes: list[str], state: str
) -> HttpResponse:
    """The shared authorize page and decision (parameters are checked by the caller)."""
    if request.method == "POST":
        if request.POST.get("decision") != "allow":
            return HttpResponseRedirect(_with_query(redirect_uri, {"error": "access_denied", "state": state}))
        user = USERS.get(request.POST.get("user", ""))
        if user is None:
            return HttpResponseBadRequest("unknown user")
        code = platforms.issue_code(
            platform=platform, appid=appid, user=user, scopes=scopes, redirect_uri=redirect_uri
        )
        return HttpResponseRedirect(_with_query(redirect_uri, {"code": code, "state": state}))
    html = _authorize_template().render(
        {
            "platform": platform,
            "platform_name": PLATFORM_NAMES[platform],
            "users": list(USERS.values()),
            "scopes": scopes,
            "callback_host": urlsplit(redirect_uri).hostname,
        },
        request,
    )
    return HttpResponse(html)


def _error_page(platform: str, message: str) -> HttpResponse:
    # Both platforms show a plain error page and do not redirect to an unchecked address.
    return HttpResponseBadRequest(
        f"{PLATFORM_NAMES[platform]}: {message}", content_type="text/plain; charset=utf-8"
    )


# --- WeChat -------------------------------------------------------------------------------


def _wechat(data: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/json; encoding=utf-8")


def _wechat_error(errcode: int, errmsg: str) -> HttpResponse:
    return _wechat({"errcode": errcode, "errmsg": errmsg})


@require_http_methods(["GET", "POST"])
def wechat_qrconnect(request: HttpRequest) -> HttpResponse:
    p = request.GET  # the decision form posts back to this same address
    appid, redirect_uri = p.get("appid", ""), p.get("redirect_uri", "")
    if platforms.registered_app("wechat", appid) is None:
        return _error_page("wechat", "参数错误 (appid)")
    if not platforms.callback_allowed(redirect_uri):
        return _error_page("wechat", "redirect_uri 参数错误")
    scopes = [s for s in p.get("scope", "").split(",") if s]
    if p.get("response_type") != "code" or not scopes or not set(scopes) <= WECHAT_SCOPES:
        return _error_page("wechat", "scope 参数错误或没有 scope 权限")
    return _authorize(
        request,
        platform="wechat",
        appid=appid,
        redirect_uri=redirect_uri,
        scopes=scopes,
        state=p.get("state", ""),
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wechat_access_token(request: HttpRequest) -> HttpResponse:
    p = _params(request)
    app = platforms.registered_app("wechat", p.get("appid", ""))
    if app is None:
        return _wechat_error(40013, "invalid appid")
    if p.get("secret") != app["secret"]:
        return _wechat_error(40125, "invalid appsecret")
    if p.get("grant_type") != "authorization_code":
        return _wechat_error(40002, "invalid grant_type")
    try:
        claims = platforms.redeem_code(p.get("code", ""), platform="wechat", appid=app["appid"])
    except Refused as exc:
        return (
            _wechat_error(40163, "code been used")
            if exc.reason == "used"
            else _wechat_error(40029, "invalid code")
        )
    user = USERS[claims["u"]]
    return _wechat(
        {
            "access_token": platforms.issue_token(claims),
            "expires_in": platforms.TOKEN_SECONDS,
            "refresh_token": platforms.issue_token(claims) + ".r",
            "openid": user.openid(app["appid"]),
            "scope": ",".join(claims["s"]),
            "unionid": user.unionid,
        }
    )


@csrf_exempt
@require_http_methods(["GET"])
def wechat_userinfo(request: HttpRequest) -> HttpResponse:
    claims = platforms.read_token(request.GET.get("access_token", ""), platform="wechat")
    if claims is None:
        return _wechat_error(40001, "invalid credential, access_token is invalid or not latest")
    user = USERS[claims["u"]]
    if request.GET.get("openid") != user.openid(claims["a"]):
        return _wechat_error(40003, "invalid openid")
    if not {"snsapi_login", "snsapi_userinfo"} & set(claims["s"]):
        return _wechat_error(48001, "api unauthorized")
    return _wechat(
        {
            "openid": user.openid(claims["a"]),
            "nickname": user.nickname,
            "sex": user.sex,
            "province": user.province,
            "city": user.city,
            "country": "CN",
            "headimgurl": f"https://thirdwx.qlogo.cn/mmopen/sim/{user.key}/132",
            "privilege": [],
            "unionid": user.unionid,
        }
    )


# --- QQ -----------------------------------------------------------------------------------


def _qq(request: HttpRequest, data: dict[str, Any]) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False)
    if request.GET.get("fmt") == "json":
        return HttpResponse(body, content_type="application/json; charset=utf-8")
    # Without fmt=json QQ answers JSONP for /me and errors, a query string for a token.
    if "access_token" in data and "openid" not in data:
        return HttpResponse(urlencode(data), content_type="text/html; charset=utf-8")
    return HttpResponse(f"callback( {body} );\n", content_type="text/html; charset=utf-8")


def _qq_error(request: HttpRequest, error: int, description: str) -> HttpResponse:
    return _qq(request, {"error": error, "error_description": description})


@require_http_methods(["GET", "POST"])
def qq_authorize(request: HttpRequest) -> HttpResponse:
    p = request.GET  # the decision form posts back to this same address
    appid, redirect_uri = p.get("client_id", ""), p.get("redirect_uri", "")
    if p.get("response_type") != "code":
        return _error_page("qq", "100000: response_type is empty or illegal")
    if platforms.registered_app("qq", appid) is None:
        return _error_page("qq", "100008: client id is not exist")
    if not platforms.callback_allowed(redirect_uri):
        return _error_page("qq", "100010: redirect uri is illegal")
    scopes = [s for s in p.get("scope", "get_user_info").split(",") if s]
    if not set(scopes) <= QQ_SCOPES:
        return _error_page("qq", "110401: scope is illegal")
    return _authorize(
        request,
        platform="qq",
        appid=appid,
        redirect_uri=redirect_uri,
        scopes=scopes,
        state=p.get("state", ""),
    )


@csrf_exempt
@require_http_methods(["GET"])
def qq_token(request: HttpRequest) -> HttpResponse:
    p = request.GET
    if p.get("grant_type") != "authorization_code":
        return _qq_error(request, 100004, "param grant_type is wrong")
    app = platforms.registered_app("qq", p.get("client_id", ""))
    if app is None:
        return _qq_error(request, 100008, "client id is not exist")
    if p.get("client_secret") != app["secret"]:
        return _qq_error(request, 100009, "client secret is illegal")
    try:
        claims = platforms.redeem_code(
            p.get("code", ""), platform="qq", appid=app["appid"], redirect_uri=p.get("redirect_uri", "")
        )
    except Refused as exc:
        if exc.reason == "used":
            return _qq_error(request, 100020, "code is reused error")
        if exc.reason == "redirect_uri":
            return _qq_error(request, 100010, "redirect uri is illegal")
        return _qq_error(request, 100019, "code to access token error")
    return _qq(
        request,
        {
            "access_token": platforms.issue_token(claims),
            "expires_in": "7776000",
            "refresh_token": platforms.issue_token(claims) + ".r",
        },
    )


@csrf_exempt
@require_http_methods(["GET"])
def qq_me(request: HttpRequest) -> HttpResponse:
    claims = platforms.read_token(request.GET.get("access_token", ""), platform="qq")
    if claims is None:
        return _qq_error(request, 100016, "access token check failed")
    user = USERS[claims["u"]]
    data = {"client_id": claims["a"], "openid": user.openid(claims["a"])}
    if request.GET.get("unionid") == "1":
        data["unionid"] = user.unionid
    return _qq(request, data)


@csrf_exempt
@require_http_methods(["GET"])
def qq_get_user_info(request: HttpRequest) -> HttpResponse:
    claims = platforms.read_token(request.GET.get("access_token", ""), platform="qq")
    if claims is None or request.GET.get("oauth_consumer_key") != claims["a"]:
        return _qq_json({"ret": 100016, "msg": "access token check failed"})
    user = USERS[claims["u"]]
    if request.GET.get("openid") != user.openid(claims["a"]):
        return _qq_json({"ret": -1, "msg": "client request's parameters are invalid, invalid openid"})
    if "get_user_info" not in claims["s"]:
        return _qq_json({"ret": 100030, "msg": "this api without user authorization"})
    avatar = f"http://thirdqq.qlogo.cn/sim/{user.key}"
    return _qq_json(
        {
            "ret": 0,
            "msg": "",
            "is_lost": 0,
            "nickname": user.nickname,
            "gender": {1: "男", 2: "女"}.get(user.sex, ""),
            "gender_type": user.sex,
            "province": user.province,
            "city": user.city,
            "year": user.year,
            "constellation": "",
            "figureurl": f"http://qzapp.qlogo.cn/qzapp/sim/{user.key}/30",
            "figureurl_1": f"http://qzapp.qlogo.cn/qzapp/sim/{user.key}/50",
            "figureurl_2": f"http://qzapp.qlogo.cn/qzapp/sim/{user.key}/100",
            "figureurl_qq_1": f"{avatar}/40",
            "figureurl_qq_2": f"{avatar}/100",
            "figureurl_qq": f"{avatar}/640",
            "figureurl_type": "1",
            "is_yellow_vip": "0",
            "vip": "0",
            "yellow_vip_level": "0",
            "level": "0",
            "is_yellow_year_vip": "0",
        }
    )


def _qq_json(data: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/json; charset=utf-8")
