"""At most one shutdown notice in force, enforced by the database (two staff announcing at once)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0002_one_shutdown_in_force"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="shutdownnotice",
            constraint=models.UniqueConstraint(
                condition=models.Q(("in_force", True)),
                fields=("in_force",),
                name="announcements_one_shutdown_in_force",
            ),
        ),
    ]
