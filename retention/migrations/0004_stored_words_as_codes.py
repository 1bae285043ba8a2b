"""What Bloom stored in words before codes (``bloom.said``), stored as
codes: the change reasons of every history table of ``retention``.
A text not recognised (a person's own words, a sentence since changed) is left as it is, and
shown as it is."""

from django.db import migrations

from bloom import said


def to_codes(apps, schema_editor):
    said.convert_history(apps, "retention")


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0003_policy_in_force_since"),
    ]

    operations = [
        migrations.RunPython(to_codes, migrations.RunPython.noop),
    ]
