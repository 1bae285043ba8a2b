from django.db import migrations

from bloom.accounts.roles import grant_role_permissions

# Funder and program reports count every case, restricted ones included: the director's role
# holds the permission, and a program can give it to another role.
ROLE_PERMISSIONS = {"program director": ["reports.produce_program_reports"]}


def grant(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_submitted_reports"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
