from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_cancellation'),
    ]

    operations = [
        migrations.AddField(
            model_name='cancellation',
            name='held_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='clock stopped at'),
        ),
        migrations.AddField(
            model_name='cancellation',
            name='hold_reason',
            field=models.CharField(blank=True, max_length=300, verbose_name='reason given by staff'),
        ),
    ]
