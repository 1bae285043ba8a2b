from django.db import migrations

from bloom.accounts.roles import grant_role_permissions

# The program director sets the policy, previews and runs the purge, and asks for or
# confirms a deletion (never both for the same one). Specialists and supervisors place holds
# on the cases they may change, as the director does; on a restricted case, only the people
# named on it can.
ROLE_PERMISSIONS = {
    "program director": [
        "retention.manage_retention",
        "retention.place_hold",
        "retention.delete_survivor_record",
    ],
    "supervisor": ["retention.place_hold"],
    "specialist": ["retention.place_hold"],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
