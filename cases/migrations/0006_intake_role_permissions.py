from django.db import migrations

from bloom.accounts.roles import grant_role_permissions

# Capabilities that apply to the cases a person already sees (see bloom/accounts/roles.py).
ROLE_PERMISSIONS = {
    "specialist": ["cases.view_sensitive_details"],
    "supervisor": ["cases.view_sensitive_details", "cases.override_eligibility"],
    "program director": ["cases.view_sensitive_details", "cases.override_eligibility"],
    # The program's rules (the minimum age), edited in the admin.
    "administrator": ["cases.view_programsettings", "cases.change_programsettings"],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_intake_and_screening"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
