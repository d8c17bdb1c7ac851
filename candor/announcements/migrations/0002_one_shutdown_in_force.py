"""Which shutdown notice is in force (the constraint follows in 0003, its own transaction)."""

from django.db import migrations, models
from django.utils import timezone


def mark_in_force(apps, schema_editor):
    """Only the newest notice whose date has not passed stays in force."""
    notices = apps.get_model("announcements", "ShutdownNotice")
    notices.objects.update(in_force=False)
    newest = notices.objects.filter(shutdown_at__gt=timezone.now()).order_by("-announced_at", "-id").first()
    if newest is not None:
        notices.objects.filter(pk=newest.pk).update(in_force=True)


class Migration(migrations.Migration):
    dependencies = [
        ("announcements", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="shutdownnotice",
            name="in_force",
            field=models.BooleanField(default=True, editable=False, verbose_name="in force"),
        ),
        migrations.RunPython(mark_in_force, migrations.RunPython.noop, elidable=True),
    ]
