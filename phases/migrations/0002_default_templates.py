from django.db import migrations

from bloom.accounts.roles import grant_role_permissions

# The program's phases (DOMAIN: Strengthen, Heal, Revitalize, at least a year in all) and a
# second ready template for programs that phase by crisis, stabilization and sustainability.
# Written in English: they are the program's own words, which a director may change.
TEMPLATES = [
    {
        "name": "Strengthen, Heal, Revitalize",
        "description": "The program's three-phase case plan, designed to take at least a year.",
        "in_use": True,
        "phases": [
            {
                "name": "Strengthen",
                "purpose": "Stabilize housing and income.",
                "suggested_domains": ["housing", "income and employment", "budgeting", "safety"],
                "expected_months": 4,
                "checklist": [
                    "Housing is settled for now (emergency, transitional or long-term).",
                    "Income or benefits are in place, or on the way.",
                    "A monthly budget has been worked through together.",
                    "The safety plan was reviewed during this phase.",
                    "The survivor says they are ready to move on.",
                ],
            },
            {
                "name": "Heal",
                "purpose": (
                    "Spiritual and therapeutic recovery: mental, behavioral or trauma therapy, joined with "
                    "the survivor's own religious or spiritual beliefs where the survivor wants it."
                ),
                "suggested_domains": ["mental health and therapy", "spiritual", "physical health", "relationships"],
                "expected_months": 4,
                "checklist": [
                    "Therapy or counseling was offered, and taken up if the survivor wanted it.",
                    "Spiritual support was offered as the survivor wished.",
                    "Health needs are being looked after.",
                    "Healthy relationships and safe work have been talked through.",
                    "The survivor says they are ready to move on.",
                ],
            },
            {
                "name": "Revitalize",
                "purpose": (
                    "Reintegration into the community: community events, AA/NA meetings, local sports "
                    "and the like."
                ),
                "suggested_domains": ["community", "education", "income and employment", "relationships"],
                "expected_months": 4,
                "checklist": [
                    "The survivor takes part in community activities they chose.",
                    "The survivor knows who to call once the program ends.",
                    "Continued care has been talked through.",
                ],
            },
        ],
    },
    {
        "name": "Crisis, stabilization, sustainability",
        "description": "For programs that phase by crisis response, stabilization and sustainability.",
        "in_use": False,
        "phases": [
            {
                "name": "Crisis",
                "purpose": "Immediate safety, shelter, food, clothing and medical care.",
                "suggested_domains": ["safety", "housing", "physical health"],
                "expected_months": 1,
                "checklist": [
                    "The survivor is somewhere safe tonight.",
                    "A safety plan has been made together.",
                    "Urgent medical needs have been met.",
                ],
            },
            {
                "name": "Stabilization",
                "purpose": "Steady housing, income, health care and legal help.",
                "suggested_domains": ["housing", "income and employment", "legal and immigration", "mental health and therapy"],
                "expected_months": 5,
                "checklist": [
                    "Housing is settled for now.",
                    "Income or benefits are in place, or on the way.",
                    "Legal and immigration needs have been looked at with the survivor.",
                    "The survivor says they are ready to move on.",
                ],
            },
            {
                "name": "Sustainability",
                "purpose": "Independence: long-term housing, work or school, and community ties.",
                "suggested_domains": ["income and employment", "education", "community", "budgeting"],
                "expected_months": 6,
                "checklist": [
                    "Long-term housing is in place or planned.",
                    "The survivor knows who to call once the program ends.",
                ],
            },
        ],
    },
]

ROLE_PERMISSIONS = {
    # Configuring the program's phases is the director's.
    "program director": [
        "phases.view_phasetemplate",
        "phases.add_phasetemplate",
        "phases.change_phasetemplate",
        "phases.sign_off_phase_move",
    ],
    # Signing off a move forward, on the cases of one's team.
    "supervisor": ["phases.sign_off_phase_move"],
}


def add_templates(apps, schema_editor):
    PhaseTemplate = apps.get_model("phases", "PhaseTemplate")
    Phase = apps.get_model("phases", "Phase")
    HistoricalPhaseTemplate = apps.get_model("phases", "HistoricalPhaseTemplate")
    HistoricalPhase = apps.get_model("phases", "HistoricalPhase")
    for spec in TEMPLATES:
        if PhaseTemplate.objects.filter(name=spec["name"]).exists():
            continue
        template = PhaseTemplate.objects.create(
            name=spec["name"], description=spec["description"], in_use=spec["in_use"]
        )
        _history(HistoricalPhaseTemplate, template, ["id", "name", "description", "in_use", "created_by_id", "created"])
        for position, phase_spec in enumerate(spec["phases"], start=1):
            phase = Phase.objects.create(template=template, position=position, **phase_spec)
            _history(
                HistoricalPhase,
                phase,
                ["id", "template_id", "position", "name", "purpose", "suggested_domains", "expected_months", "checklist"],
            )


def _history(model, row, fields):
    from django.utils import timezone  # noqa: PLC0415

    model.objects.create(
        **{name: getattr(row, name) for name in fields},
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="Default phase templates",
    )


def grant(apps, schema_editor):
    grant_role_permissions(apps, schema_editor, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("phases", "0001_plans"),
        ("accounts", "0003_user_groups_history"),
    ]

    operations = [
        migrations.RunPython(add_templates, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
