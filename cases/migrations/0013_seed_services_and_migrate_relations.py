import re

from django.db import migrations
from django.db.models import Min
from django.utils import timezone

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
    """The relation a family member's written relationship names ("" when nothing was written)."""
    text = words.lower()
    said = set(re.findall(r"[a-z]+", text))
    for relation, stems in RELATION_WORDS:
        if any(stem in said or f"{stem}s" in said for stem in stems):
            if relation == "child":
                # A child of unknown age stays "other", with the words kept beside it.
                return {True: "child 18 or over", False: "child under 18"}.get(adult, "other")
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
    catalogue.first_history(
        apps, "FamilyMember", changed, reason="Relation read from the relationship written", kind="~"
    )
    # The first assignment's day, for cases assigned before Bloom kept it: the earliest
    # assignment ever made, read from the history (a reassignment deletes the row), on the
    # program's calendar.
    Case = apps.get_model("cases", "Case")
    HistoricalCaseAssignment = apps.get_model("cases", "HistoricalCaseAssignment")
    firsts = (
        HistoricalCaseAssignment.objects.filter(history_type="+")
        .values("case_id")
        .annotate(first=Min("assigned_on"))
        .order_by("case_id")
    )
    matched = []
    for row in firsts:
        case = Case.objects.filter(pk=row["case_id"], first_assigned_on__isnull=True).first()
        if case is not None:
            case.first_assigned_on = timezone.localtime(row["first"]).date()
            case.save(update_fields=["first_assigned_on"])
            matched.append(case)
    catalogue.first_history(apps, "Case", matched, reason="First assignment read from the history", kind="~")
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
