from django.db import migrations

from bloom.accounts.roles import grant_role_permissions

# Outreach roles see no survivor record; these are outreach's own records. Supervisors and
# the director follow the work (sessions, partnerships, the dashboard); outreach workers
# run it. A volunteer holds none of these: they see their own sessions and hours through
# their volunteer record (outreach.access).
SEE_THE_WORK = [
    "outreach.view_outreachsession",
    "outreach.view_partnershipactivity",
    "outreach.add_partnershipactivity",
    "outreach.view_outreach_dashboard",
]
ROLE_PERMISSIONS = {
    "outreach worker": [
        *SEE_THE_WORK,
        "outreach.add_outreachsession",
        "outreach.change_outreachsession",
        "outreach.pass_to_intake",
        "outreach.view_volunteer",
        "outreach.add_volunteer",
        "outreach.change_volunteer",
        "outreach.change_partnershipactivity",
    ],
    "supervisor": SEE_THE_WORK,
    "program director": [*SEE_THE_WORK, "outreach.view_volunteer", "outreach.change_partnershipactivity"],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
