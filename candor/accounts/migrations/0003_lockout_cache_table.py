"""The table django-axes counts failed logins in when there is no Redis (settings.CACHES["axes"]).

``createcachetable`` is not part of ``migrate``; doing it here means every deployment that
migrates has it, not only the demo. With Redis configured there is no database cache and this
does nothing.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_phone_profile_tokens")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
