"""What Bloom stored in words before codes (``bloom.said``), stored as
codes: the change reasons of every history table of ``assistance``.
A text not recognised (a person's own words, a sentence since changed) is left as it is, and
shown as it is."""

from django.db import migrations

from bloom import said


def to_codes(apps, schema_editor):
    said.convert_history(apps, "assistance")


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0006_award_final_report"),
    ]

    operations = [
        migrations.RunPython(to_codes, migrations.RunPython.noop),
    ]
