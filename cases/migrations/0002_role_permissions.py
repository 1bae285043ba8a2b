from django.db import migrations

from bloom.accounts.roles import grant_role_permissions

# view_case, change_case and assign_case held by a role apply to every case (see
# bloom/accounts/roles.py): only the program director has them.
ROLE_PERMISSIONS = {
    "specialist": ["cases.add_survivor", "cases.add_case", "cases.view_case_history"],
    "supervisor": [
        "cases.add_survivor",
        "cases.add_case",
        "cases.view_case_history",
        "cases.view_case_access_log",
    ],
    "program director": [
        "cases.add_survivor",
        "cases.add_case",
        "cases.view_case",
        "cases.change_case",
        "cases.assign_case",
        "cases.view_case_history",
        "cases.view_case_access_log",
    ],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
