"""What Bloom stored in words before codes (``bloom.said``), stored as codes: the change reasons of
every history table of ``cases``, the titles Bloom gave the signed forms of releases, and the
"Withdrawn." note of a withdrawn closure, which becomes its own status. A text not recognised
(a person's own words, a sentence since changed) is left as it is, and shown as it is."""

from django.db import migrations, models

from bloom import said

WITHDRAWN_NOTE = "Withdrawn."
SIGNED_RELEASE = "Signed release: %(to)s"


def titles_as_codes(model) -> None:
    """The titles Bloom wrote on signed release forms, in whichever language, as codes."""
    rows = model._base_manager.filter(kind="signed form")
    for title in rows.values_list("title", flat=True).distinct().order_by():
        code = said.converted_message(title, SIGNED_RELEASE, "document.signed_release", limit=200)
        if code is not None:
            rows.filter(title=title).update(title=code)


def to_codes(apps, schema_editor):
    said.convert_history(apps, "cases")
    for name in ("Document", "HistoricalDocument"):
        titles_as_codes(apps.get_model("cases", name))
    for name in ("Closure", "HistoricalClosure"):
        apps.get_model("cases", name)._base_manager.filter(
            status="returned", decision_note__in=said.in_every_language(WITHDRAWN_NOTE)
        ).update(status="withdrawn", decision_note="")


def withdrawn_back(apps, schema_editor):
    """Undone, a withdrawn closure is again a returned one noted "Withdrawn.", as the code before
    this migration reads it; the codes themselves stay, shown as they are by that code."""
    for name in ("Closure", "HistoricalClosure"):
        apps.get_model("cases", name)._base_manager.filter(status="withdrawn").update(
            status="returned", decision_note=WITHDRAWN_NOTE
        )


def status():
    return models.CharField(
        choices=[
            ("requested", "Waiting for approval"),
            ("approved", "Approved"),
            ("returned", "Returned for changes"),
            ("withdrawn", "Withdrawn"),
        ],
        default="requested",
        max_length=20,
        verbose_name="status",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_survivor_name_key_indexes"),
    ]

    operations = [
        migrations.AlterField(model_name="closure", name="status", field=status()),
        migrations.AlterField(model_name="historicalclosure", name="status", field=status()),
        migrations.RunPython(to_codes, withdrawn_back),
    ]
