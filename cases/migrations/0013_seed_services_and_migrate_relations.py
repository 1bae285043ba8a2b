from django.db import migrations
from django.db.models import Min

from bloom.accounts.roles import grant_role_permissions
from cases import catalogue

# Today's free-text relationship, read for the words people wrote most; anything else is
# "other" and keeps its words beside the choice.
RELATION_WORDS = [
    ("parent", ("mother", "father", "mom", "dad", "parent", "guardian", "stepmother", "stepfather")),
    ("sibling", ("sister", "brother", "sibling")),
    ("partner", ("wife", "husband", "spouse", "partner", "boyfriend", "girlfriend", "fiance")),
    ("child", ("son", "daughter", "child", "kid")),
]


def relation_of(words: str, *, adult: bool | None) -> str:
    text = words.lower()
    for relation, stems in RELATION_WORDS:
        if any(stem in text.replace("-", " ").split() for stem in stems):
            if relation == "child":
                return "child 18 or over" if adult else "child under 18"
            return relation
    return "other" if text.strip() else ""


def forwards(apps, schema_editor):
    catalogue.seed(apps)
    FamilyMember = apps.get_model("cases", "FamilyMember")
    changed = []
    for member in FamilyMember.objects.exclude(relationship=""):
        adult = None
        if member.date_of_birth:
            today = member.added_on
            born = member.date_of_birth
            adult = today.year - born.year - ((today.month, today.day) < (born.month, born.day)) >= 18
        member.relation = relation_of(member.relationship, adult=adult)
        member.save(update_fields=["relation"])
        changed.append(member)
    catalogue.first_history(apps, "FamilyMember", changed, reason="Relation read from the relationship written")
    # The first assignment's day, for cases assigned before Bloom kept it.
    Case = apps.get_model("cases", "Case")
    CaseAssignment = apps.get_model("cases", "CaseAssignment")
    firsts = CaseAssignment.objects.values("case").annotate(first=Min("assigned_on"))
    for row in firsts:
        Case.objects.filter(pk=row["case"]).update(first_assigned_on=row["first"].date())
    grant_role_permissions(
        apps,
        schema_editor,
        {"program director": ["cases.manage_service_catalogue"]},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_services_delivered"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
