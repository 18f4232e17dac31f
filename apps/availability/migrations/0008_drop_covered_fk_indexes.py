# Drops four single-column foreign-key indexes that composite indexes already lead with. With table
# statistics, search read rates through the lone rate-plan index and filtered ten times the rows it
# returned; bookings kept an index on allocations up to date for nothing.
# Rolling-compatible: the previous release's queries only get other plans.

import django.db.models.deletion
from django.db import migrations, models

from booking_platform.db.operations import DropFieldIndex

COVERED = [
    # (model, field, on_delete, related_name, to): composite index leading with the field
    ("allocation", "inventory", django.db.models.deletion.PROTECT, "allocations", "availability.inventory"),  # allocation_inv_state_idx
    ("inventory", "room_type", django.db.models.deletion.PROTECT, "inventory", "availability.roomtype"),  # inventory_night_uniq
    ("nightrate", "rate_plan", django.db.models.deletion.CASCADE, "night_rates", "availability.rateplan"),  # nightrate_uniq
    ("nightrate", "room_type", django.db.models.deletion.CASCADE, "night_rates", "availability.roomtype"),  # nightrate_rt_night_idx
]


class Migration(migrations.Migration):
    dependencies = [
        ("availability", "0007_property_description"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=model,
                    name=name,
                    field=models.ForeignKey(db_index=False, on_delete=on_delete, related_name=related, to=to),
                )
                for model, name, on_delete, related, to in COVERED
            ],
            database_operations=[DropFieldIndex(model_name=model, name=name) for model, name, *_ in COVERED],
        ),
    ]
