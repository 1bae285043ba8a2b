from django.db import migrations

from bloom.accounts.roles import grant_role_permissions

# Only the program director decides which intake fields are asked.
ROLE_PERMISSIONS = {"program director": ["cases.manage_intake_fields"]}


def grant(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_intake_fields_and_kept_age"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
