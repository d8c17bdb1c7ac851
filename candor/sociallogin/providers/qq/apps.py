from django.apps import AppConfig


class QQProviderConfig(AppConfig):
    """Installed so that allauth's provider registry finds ``provider.py`` (its only way)."""

    name = "candor.sociallogin.providers.qq"
    label = "sociallogin_qq"
    verbose_name = "QQ"
