from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialloginConfig(AppConfig):
    name = "candor.sociallogin"
    label = "sociallogin"
    verbose_name = _("Third-party login")
