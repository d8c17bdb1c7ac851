from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from candor.sociallogin.providers.weixin.provider import WeChatProvider

urlpatterns = default_urlpatterns(WeChatProvider)
