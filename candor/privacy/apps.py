from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "candor.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from candor.privacy import checks, datamap

        checks.register()
        datamap.autodiscover()
