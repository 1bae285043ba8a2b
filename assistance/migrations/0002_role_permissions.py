from django.db import migrations

from bloom.accounts.roles import grant_role_permissions

# Capabilities (bloom/accounts/roles.py): which cases they apply to is still decided per
# case, except view_all_requests, which lets finance and the director see every request's
# client code, amount and payee (never the rest of the case), because they pay them.
WORK_THE_CASE = [
    "assistance.view_fund",
    "assistance.add_assistancerequest",
    "assistance.add_inkinditem",
    "assistance.add_housingplacement",
]
ROLE_PERMISSIONS = {
    "specialist": WORK_THE_CASE,
    "supervisor": [*WORK_THE_CASE, "assistance.approve_request"],
    "program director": [
        *WORK_THE_CASE,
        "assistance.approve_request",
        "assistance.approve_large_request",
        "assistance.view_all_requests",
        "assistance.add_fund",
        "assistance.change_fund",
    ],
    "finance": [
        "assistance.view_fund",
        "assistance.add_fund",
        "assistance.change_fund",
        "assistance.approve_large_request",
        "assistance.view_all_requests",
        "assistance.record_payment",
    ],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
