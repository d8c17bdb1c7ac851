from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from candor.sociallogin.providers.qq.provider import QQProvider

urlpatterns = default_urlpatterns(QQProvider)
