"""WeChat and QQ OAuth 2.0 simulators, at the real services' paths under /_sim/oauth/."""

from django.urls import path

from candor.integrations.oauth import views

app_name = "sim_oauth"
urlpatterns = [
    path("wechat/connect/qrconnect", views.wechat_qrconnect, name="wechat_authorize"),
    path("wechat/sns/oauth2/access_token", views.wechat_access_token, name="wechat_access_token"),
    path("wechat/sns/userinfo", views.wechat_userinfo, name="wechat_userinfo"),
    path("qq/oauth2.0/authorize", views.qq_authorize, name="qq_authorize"),
    path("qq/oauth2.0/token", views.qq_token, name="qq_token"),
    path("qq/oauth2.0/me", views.qq_me, name="qq_me"),
    path("qq/user/get_user_info", views.qq_get_user_info, name="qq_get_user_info"),
]
