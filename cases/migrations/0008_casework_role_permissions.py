from django.db import migrations

from bloom.accounts.roles import grant_role_permissions

# Capabilities that apply to the cases a person already sees or may change (see
# bloom/accounts/roles.py); opening a case in an emergency is the one that reaches past them.
ROLE_PERMISSIONS = {
    "specialist": ["cases.open_in_emergency"],
    "supervisor": ["cases.approve_closure", "cases.restrict_case", "cases.open_in_emergency"],
    "program director": ["cases.approve_closure", "cases.restrict_case"],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_casework"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
