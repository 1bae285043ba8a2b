from django.db import migrations

from bloom.accounts.roles import grant_role_permissions

ROLES = [
    "specialist",
    "supervisor",
    "program director",
    "finance",
    "outreach worker",
    "volunteer",
    "trainer",
    "administrator",
]

ROLE_PERMISSIONS = {
    "administrator": [
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "accounts.add_team",
        "accounts.change_team",
        "accounts.view_team",
        "auth.view_group",
        "directory.add_town",
        "directory.change_town",
        "directory.view_town",
        "directory.add_organization",
        "directory.change_organization",
        "directory.view_organization",
        "audit.view_accesslogentry",
    ],
}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    grant_role_permissions(apps, schema_editor, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("directory", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
