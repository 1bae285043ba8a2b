from django.db import migrations

from bloom.accounts.roles import grant_role_permissions
from training.instruments import create_default

# Training holds no survivor record. Trainers run the work; supervisors and the program
# director follow it (events and results). Nobody else holds any of these.
FOLLOW_THE_WORK = [
    "training.view_trainingevent",
    "training.view_curriculum",
    "training.view_trainer",
    "training.view_surveyinstrument",
    "training.view_evaluation",
]
ROLE_PERMISSIONS = {
    "trainer": [
        *FOLLOW_THE_WORK,
        "training.add_trainingevent",
        "training.change_trainingevent",
        "training.change_curriculum",
        "training.change_trainer",
        "training.change_surveyinstrument",
        "training.add_surveyresponse",
        "training.change_surveyresponse",
    ],
    "supervisor": FOLLOW_THE_WORK,
    "program director": FOLLOW_THE_WORK,
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, ROLE_PERMISSIONS)


def default_survey(apps, schema_editor):
    """Version 1 of the state's survey, so that the first event can use it (no history: made by the install)."""
    SurveyInstrument = apps.get_model("training", "SurveyInstrument")
    if not SurveyInstrument.objects.exists():
        create_default(SurveyInstrument, apps.get_model("training", "Construct"), apps.get_model("training", "Item"))


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(default_survey, migrations.RunPython.noop),
    ]
