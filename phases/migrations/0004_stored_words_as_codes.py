"""What Bloom stored in words before codes (``bloom.said``), stored as codes: the change reasons of
every history table of ``phases``, and the notes Bloom wrote on withdrawn moves ("Withdrawn.",
which the status already says, and "Withdrawn: moved back to ... instead."). A text not
recognised is left as it is, and shown as it is."""

from django.db import migrations

from bloom import said

WITHDRAWN_NOTE = "Withdrawn."
WITHDRAWN_BACK = "Withdrawn: moved back to %(phase)s instead."


def to_codes(apps, schema_editor):
    said.convert_history(apps, "phases")
    for name in ("PhaseReview", "HistoricalPhaseReview"):
        rows = apps.get_model("phases", name)._base_manager.filter(status="withdrawn")
        rows.filter(decision_note__in=said.in_every_language(WITHDRAWN_NOTE)).update(decision_note="")
        for note in rows.exclude(decision_note="").values_list("decision_note", flat=True).distinct().order_by():
            # The phase is named in the journey beside the move: the code leaves it out.
            if said.message_values(note, WITHDRAWN_BACK) is not None:
                rows.filter(decision_note=note).update(decision_note=str(said.Said("review.withdrawn_back")))


class Migration(migrations.Migration):
    dependencies = [
        ("phases", "0003_review_and_step_rules"),
    ]

    operations = [
        migrations.RunPython(to_codes, migrations.RunPython.noop),
    ]
