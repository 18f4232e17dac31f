"""The partner channel is spelled "partner" everywhere (it was "partners" on rate plans only)."""

from django.db import migrations, models

import apps.availability.models.catalogue


def _respell(apps, old: str, new: str) -> None:
    RatePlan = apps.get_model("availability", "RatePlan")
    for plan in RatePlan.objects.all().only("pk", "channels").iterator():
        channels = list(plan.channels or [])
        if old in channels:
            respelled = [new if channel == old else channel for channel in channels]
            RatePlan.objects.filter(pk=plan.pk).update(channels=list(dict.fromkeys(respelled)))


def forwards(apps, schema_editor) -> None:
    _respell(apps, "partners", "partner")


def backwards(apps, schema_editor) -> None:
    _respell(apps, "partner", "partners")


class Migration(migrations.Migration):
    dependencies = [
        ("availability", "0005_input_bounds_more"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rateplan",
            name="channels",
            field=models.JSONField(
                default=apps.availability.models.catalogue.default_channels, help_text='Any of "web", "partner".'
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
