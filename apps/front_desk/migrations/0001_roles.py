"""Staff roles as groups with explicit permissions (definitions in apps/front_desk/roles.py)."""

from django.db import migrations

from apps.front_desk.roles import ROLES, sync_roles


def create_roles(apps, schema_editor):
    sync_roles(apps, reset=True)


def drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("kernel", "0003_staff"),
    ]

    operations = [migrations.RunPython(create_roles, drop_roles)]
