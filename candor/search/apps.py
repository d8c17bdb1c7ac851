from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_index_schema(sender, using="default", **kwargs) -> None:
    # The full-text table is not a model: migration 0002 creates it, but a test database built
    # with --no-migrations only gets the models, so it is (idempotently) created here too.
    from candor.search.backends import backend_for

    connection = connections[using]
    if "catalog_product" in connection.introspection.table_names():
        backend_for(connection).schema_create()


class SearchConfig(AppConfig):
    name = "candor.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        post_migrate.connect(_ensure_index_schema, sender=self, dispatch_uid="candor.search.index_schema")
