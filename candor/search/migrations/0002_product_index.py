"""The product full-text index: an FTS5 virtual table on SQLite, a tsvector table with a GIN
index on PostgreSQL. Neither is a Django model, so the SQL runs per vendor; the statements are
idempotent (they also run after ``migrate`` for test databases built without migrations, see
``apps.py``)."""

from django.db import migrations


def create(apps, schema_editor):
    from candor.search.backends import backend_for

    backend_for(schema_editor.connection).schema_create()


def drop(apps, schema_editor):
    from candor.search.backends import backend_for

    backend_for(schema_editor.connection).schema_drop()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("catalog", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
