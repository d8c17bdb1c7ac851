from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "candor.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from candor.catalog import signals

        signals.connect()
